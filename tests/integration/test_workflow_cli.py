"""The CLI goes through the same access functions and services as the web and the API."""

import pytest

from zhengwu.cli import main
from zhengwu.workflow.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(full_demo):
    pass  # the full demo, loaded once for the module (tests/conftest.py)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_inbox_lists_the_persons_open_tasks(loaded, capsys):
    code, out, _ = run(capsys, "inbox", "fuqu2")
    assert code == 0 and "关于第三小学新建教学楼项目立项的请示" in out and "批示" in out
    assert "冬季供暖" not in out  # someone else's


def test_another_persons_task_is_refused_and_the_owner_completes_it(loaded, capsys):
    task = Task.objects.get(assignee__username="fuqu2", status="open", kind="step",
                            approval__title="关于第三小学新建教学楼项目立项的请示")
    code, _, err = run(capsys, "task", "show", str(task.pk), "--as", "fuqu3")
    assert code == 2 and "无权" in err
    code, _, err = run(capsys, "task", "complete", str(task.pk), "--as", "fuqu3", "--opinion", "同意")
    assert code == 2
    task.refresh_from_db()
    assert task.status == "open"
    code, out, _ = run(capsys, "task", "complete", str(task.pk), "--as", "fuqu2", "--opinion", "同意")
    assert code == 0 and "已办" in out
    code, _, err = run(capsys, "task", "complete", "999999", "--as", "fuqu2", "--opinion", "同意")
    assert code == 2 and "不存在" in err
