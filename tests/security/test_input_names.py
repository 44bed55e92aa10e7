"""People's names, units' names and posts' titles are one line of text: a line break, a tab or a
control character is refused naming the field, and nothing is written (zhengwu.textcheck)."""

import pytest

from zhengwu.errors import Refused
from zhengwu.org import services
from zhengwu.org.models import Person, Position, Unit


@pytest.fixture
def gov(org_demo):
    return org_demo


@pytest.mark.parametrize("bad", ["张\n三", "张\t三", "张\x0b三", "张\u2028三"])
def test_a_persons_name_with_a_line_break_or_control_character_is_refused(gov, bad):
    with pytest.raises(Refused) as e:
        services.person_create(actor=None, government=gov, username="newclerk", full_name=bad)
    assert e.value.field == "full_name" and "姓名" in e.value.message
    assert not Person.objects.filter(username="newclerk").exists()


def test_a_plain_name_is_accepted_and_trimmed(gov):
    person = services.person_create(actor=None, government=gov, username="newclerk", full_name=" 张三 ")
    assert person.full_name == "张三"


def test_a_unit_name_and_a_post_title_are_one_line(gov):
    with pytest.raises(Refused) as e:
        services.unit_create(actor=None, government=gov, name="测试\n局", kind="component_dept")
    assert e.value.field == "name" and not Unit.objects.filter(name__startswith="测试").exists()
    with pytest.raises(Refused) as e:
        services.position_create(actor=None, government=gov, code="deputy_head", title="副区长\r（测试）")
    assert e.value.field == "title" and not Position.objects.filter(title__startswith="副区长\r").exists()
    unit = services.unit_create(actor=None, government=gov, name="测试局", kind="component_dept")
    assert unit.name == "测试局"
