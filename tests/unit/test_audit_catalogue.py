"""The catalogue of audit actions, without a database."""

import pytest

from zhengwu.audit import catalogue


def test_registered_actions_have_labels_and_unknown_codes_read_as_themselves():
    catalogue.register_actions({"test_cat.thing.create": "测试新建"})
    assert catalogue.is_registered("test_cat.thing.create")
    assert catalogue.label("test_cat.thing.create") == "测试新建"
    assert not catalogue.is_registered("test_cat.thing.gone")
    assert catalogue.label("test_cat.thing.gone") == "test_cat.thing.gone"
    assert catalogue.actions()["test_cat.thing.create"] == "测试新建"


def test_registering_the_same_label_twice_is_harmless():
    catalogue.register_actions({"test_cat.thing.twice": "两次"})
    catalogue.register_actions({"test_cat.thing.twice": "两次"})
    assert catalogue.label("test_cat.thing.twice") == "两次"


def test_one_code_cannot_get_two_labels():
    catalogue.register_actions({"test_cat.thing.owned": "甲"})
    with pytest.raises(ValueError, match="already registered"):
        catalogue.register_actions({"test_cat.thing.owned": "乙"})
    assert catalogue.label("test_cat.thing.owned") == "甲"


@pytest.mark.parametrize("code", ["Org.Unit", "nodot", "org..unit", "org.unit.", "org.单位", ""])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ValueError, match="^action:"):
        catalogue.register_actions({code: "标签"})
    assert not catalogue.is_registered(code)


def test_an_empty_label_is_refused_and_nothing_of_the_batch_is_registered():
    with pytest.raises(ValueError, match="label must be"):
        catalogue.register_actions({"test_cat.batch.ok": "好", "test_cat.batch.bad": " "})
    assert not catalogue.is_registered("test_cat.batch.ok")
