"""The work calendar app: the CLI (`zhengwu calendar …`), the services and the selectors."""

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.cli import main
from zhengwu.errors import Refused
from zhengwu.org.models import Person
from zhengwu.workcalendar import selectors, services
from zhengwu.workcalendar.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date
NOTICES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"
NOTICE_2027 = NOTICES / "2027-fictional-test-fixture.txt"


def table_state():
    """Every row of both calendar tables and the audit trail length: proof that nothing changed."""
    days = list(CalendarDay.objects.order_by("date").values_list("id", "date", "is_workday", "name", "source", "updated"))
    years = list(CalendarYear.objects.order_by("year").values_list("id", "year", "official", "source", "note", "loaded_at"))
    return days, years, AuditEvent.objects.count()


def cli(capsys, *args):
    code = main(["calendar", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.fixture
def seeded():
    services.calendar_seed(last_year=2027)


@pytest.fixture
def clerk():
    return Person.objects.create(username="calendar-clerk", full_name="日历管理员")


# ------------------------------------------------------------------------------------ CLI ----

@pytest.mark.parametrize("with_table", [False, True], ids=["empty-table-fallback", "seeded"])
def test_cli_add_workdays_gives_21_october_for_14_days_after_24_september_2026(capsys, request, with_table):
    if with_table:
        request.getfixturevalue("seeded")
    else:
        assert CalendarDay.objects.count() == 0  # nothing is seeded implicitly
    assert cli(capsys, "add-workdays", "2026-09-24", "14") == (0, "2026-10-21", "")
    if not with_table:
        assert CalendarDay.objects.count() == 0 and CalendarYear.objects.count() == 0


def test_cli_is_workday_answers_yes_and_no(capsys, seeded):
    assert cli(capsys, "is-workday", "2026-10-10") == (0, "yes", "")  # Saturday make-up working day
    assert cli(capsys, "is-workday", "2026-10-07") == (0, "no", "")  # Wednesday in 国庆节
    assert cli(capsys, "is-workday", "2026-10-08") == (0, "yes", "")  # Thursday after 国庆节: back at work
    assert cli(capsys, "is-workday", "2026-01-04") == (0, "yes", "")  # Sunday make-up working day


def test_cli_warns_on_stderr_when_the_answer_depends_on_2027(capsys, seeded):
    code, out, err = cli(capsys, "is-workday", "2027-03-01")
    assert (code, out) == (0, "yes")
    assert "2027 年的国务院办公厅放假安排尚未载入" in err
    code, out, err = cli(capsys, "add-workdays", "2026-12-15", "20")
    assert code == 0 and out.startswith("2027-")
    assert "2027 年的国务院办公厅放假安排尚未载入" in err


def test_importing_the_2027_notice_changes_2027_and_silences_the_warning(capsys, seeded):
    # before: the package's guess — Thursday 02-11 works, Saturday 02-20 is off, with a warning
    assert cli(capsys, "is-workday", "2027-02-11")[:2] == (0, "yes")
    assert cli(capsys, "is-workday", "2027-02-20")[:2] == (0, "no")
    events = AuditEvent.objects.count()

    code, out, err = cli(capsys, "import-notice", str(NOTICE_2027))
    assert code == 0 and err == ""
    assert "2027 年放假安排" in out and "春节 02-05至02-11（7天）" in out

    assert cli(capsys, "is-workday", "2027-02-11") == (0, "no", "")
    assert cli(capsys, "is-workday", "2027-02-20") == (0, "yes", "")
    assert cli(capsys, "add-workdays", "2027-09-24", "3") == (0, "2027-09-28", "")  # Sunday 09-26 works
    assert CalendarYear.objects.get(year=2027).official is True
    assert CalendarYear.objects.get(year=2027).source == "notice"
    ev = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == events + 1
    assert (ev.action, ev.obj_type, ev.obj_id, ev.actor_label) == ("calendar.import_notice", "workcalendar.year", "2027", "system")
    assert ev.after["days"]["2027-02-20"] == {"is_workday": True, "name": "春节调休上班", "source": "notice"}
    assert "2027-02-09" in ev.before["days"]  # the package's provisional 春节（补假） it replaced


def test_importing_the_same_notice_twice_changes_nothing_the_second_time(capsys, seeded):
    assert cli(capsys, "import-notice", str(NOTICE_2027))[0] == 0
    state = table_state()
    code, out, _ = cli(capsys, "import-notice", str(NOTICE_2027))
    assert code == 0 and "未作修改" in out
    assert table_state() == state


@pytest.mark.parametrize("fixture, named", [
    ("malformed-wrong-weekday.txt", "2026-01-03 不是周五（实际为周六）"),
    ("malformed-wrong-count.txt", "2026-02-15 至 2026-02-23 实为 9 天"),
    ("malformed-no-year.txt", "未找到通知年份"),
    ("malformed-no-holidays.txt", "未找到放假安排"),
])
def test_a_malformed_notice_exits_2_names_the_problem_and_changes_nothing(capsys, seeded, fixture, named):
    state = table_state()
    code, out, err = cli(capsys, "import-notice", str(NOTICES / fixture))
    assert code == 2 and out == ""
    assert named in err
    assert table_state() == state  # every row byte for byte, and no audit event


def test_a_malformed_notice_on_an_empty_table_writes_nothing_either(capsys):
    code, _, err = cli(capsys, "import-notice", str(NOTICES / "malformed-wrong-weekday.txt"))
    assert code == 2 and "2026-01-03" in err
    assert table_state() == ([], [], 0)


@pytest.mark.parametrize("args, field", [
    (("add-workdays", "2026-02-30", "3"), "2026-02-30 不存在"),
    (("add-workdays", "2026/09/24", "3"), "日期 DATE"),
    (("add-workdays", "2026-09-24", "0"), "工作日数 N 必须是正整数"),
    (("add-workdays", "2026-09-24", "-5"), "工作日数 N 必须是正整数"),
    (("add-workdays", "2026-09-24", "2.5"), "工作日数 N 必须是正整数"),
    (("add-workdays", "2026-09-24", "99999999999"), "工作日数 N=99999999999 过大"),
    (("add-workdays", "1999-01-04", "3"), "早于工作日历起点"),
    (("is-workday", "2026-13-01"), "日期 DATE 2026-13-01 不存在"),
    (("is-workday", "tomorrow"), "日期 DATE"),
    (("import-notice", "/nonexistent/notice.txt"), "文件 FILE /nonexistent/notice.txt 无法读取"),
])
def test_bad_input_exits_2_naming_the_field_and_changes_nothing(capsys, seeded, args, field):
    state = table_state()
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == ""
    assert field in err
    assert table_state() == state


def test_a_notice_saved_in_gbk_is_read(capsys, seeded, tmp_path):
    f = tmp_path / "notice-gbk.txt"
    f.write_bytes(NOTICE_2027.read_text(encoding="utf-8").replace("—", "-").encode("gb18030"))
    assert cli(capsys, "import-notice", str(f))[0] == 0
    assert CalendarYear.objects.get(year=2027).official


def test_a_binary_file_is_refused(capsys, seeded, tmp_path):
    f = tmp_path / "notice.bin"
    f.write_bytes(b"\xff\xfe\x00\x81\x30" * 10)
    code, _, err = cli(capsys, "import-notice", str(f))
    assert code == 2 and "文件 FILE" in err


# ----------------------------------------------------------------------------------- seed ----

def test_seed_is_idempotent(capsys):
    code, out, _ = cli(capsys, "seed")
    assert code == 0 and "新增" in out
    state = table_state()
    assert state[2] == 1  # one audit event for the first seed
    code, out, _ = cli(capsys, "seed")
    assert code == 0 and "已是最新，未作修改" in out
    assert table_state() == state  # no row touched, no audit event


def test_seed_loads_2004_to_next_year_official_only_where_the_package_knows_make_up_days():
    res = services.calendar_seed(last_year=2027)
    assert res.created > 500 and res.years_created == list(range(2004, 2028))
    years = dict(CalendarYear.objects.values_list("year", "official"))
    assert years[2026] is True and years[2004] is True and years[2027] is False
    assert CalendarDay.objects.get(date=D(2026, 1, 4)).is_workday is True
    assert not CalendarDay.objects.filter(date=D(2026, 3, 8)).exists()  # half days are not holidays
    assert not CalendarDay.objects.filter(date__lt=D(2004, 1, 1)).exists()
    # only exceptions to the Monday–Friday rule are stored
    assert all((r.date.weekday() < 5) != r.is_workday for r in CalendarDay.objects.all())


def test_seed_keeps_a_notice_year_and_the_offices_own_days(clerk):
    services.calendar_seed(last_year=2027)
    services.calendar_import_notice(text=NOTICE_2027.read_text(encoding="utf-8"))
    services.calendar_day_set(actor=clerk, day=D(2026, 3, 6), is_workday=False, name="区里停电")
    state = table_state()
    res = services.calendar_seed(last_year=2027)
    assert not res.changed and res.years_skipped == [2027]
    assert table_state() == state


def test_the_selector_uses_the_table_and_notices_changes_without_a_restart(clerk, seeded):
    cal = selectors.work_calendar()
    assert selectors.work_calendar() is cal  # cached
    assert cal.is_workday(D(2026, 3, 6)) is True
    services.calendar_day_set(actor=clerk, day=D(2026, 3, 6), is_workday=False, name="区里停电")
    # the test transaction never commits, so this is the change check, not the on-commit hook
    assert selectors.work_calendar().is_workday(D(2026, 3, 6)) is False


# -------------------------------------------------------------------------- office edits ----

def test_an_office_edit_shows_in_the_calendar_and_in_the_audit_trail(capsys, clerk, seeded):
    assert cli(capsys, "is-workday", "2026-03-07")[1] == "no"  # a Saturday
    row = services.calendar_day_set(actor=clerk, day=D(2026, 3, 7), is_workday=True, name="防汛演练上班")
    assert (row.source, row.is_workday, row.name) == ("office", True, "防汛演练上班")
    assert cli(capsys, "is-workday", "2026-03-07") == (0, "yes", "")
    assert cli(capsys, "add-workdays", "2026-03-06", "1") == (0, "2026-03-07", "")
    ev = AuditEvent.objects.order_by("-seq").first()
    assert (ev.action, ev.obj_type, ev.obj_id) == ("calendar.day_set", "workcalendar.day", "2026-03-07")
    assert ev.actor_id == clerk.pk and "日历管理员" in ev.actor_label
    assert ev.before is None and ev.after == {"is_workday": True, "name": "防汛演练上班", "source": "office"}

    # and back: the Saturday follows the Monday–Friday rule again, the exception row is gone
    assert services.calendar_day_set(actor=clerk, day=D(2026, 3, 7), is_workday=False) is None
    assert not CalendarDay.objects.filter(date=D(2026, 3, 7)).exists()
    assert cli(capsys, "is-workday", "2026-03-07")[1] == "no"
    assert AuditEvent.objects.order_by("-seq").first().before["name"] == "防汛演练上班"


def test_an_office_edit_can_cancel_a_holiday(clerk, seeded):
    services.calendar_day_set(actor=clerk, day=D(2026, 10, 7), is_workday=True)
    assert not CalendarDay.objects.filter(date=D(2026, 10, 7)).exists()  # a Wednesday: back to the rule
    assert selectors.work_calendar().is_workday(D(2026, 10, 7)) is True


@pytest.mark.parametrize("kwargs, field", [
    ({"day": D(2026, 3, 2), "is_workday": True}, "is_workday"),  # a Monday is already a working day
    ({"day": D(2026, 3, 7), "is_workday": False}, "is_workday"),  # a Saturday is already off
    ({"day": "2026-03-07", "is_workday": True}, "day"),
    ({"day": dt.datetime(2026, 3, 7, 8), "is_workday": True}, "day"),
    ({"day": D(1999, 3, 6), "is_workday": False}, "day"),
    ({"day": D(2026, 3, 7), "is_workday": "yes"}, "is_workday"),
    ({"day": D(2026, 3, 7), "is_workday": True, "name": "长" * 61}, "name"),
])
def test_office_edits_that_change_nothing_or_are_invalid_are_refused(clerk, seeded, kwargs, field):
    state = table_state()
    with pytest.raises(Refused) as e:
        services.calendar_day_set(actor=clerk, **kwargs)
    assert e.value.field == field
    assert table_state() == state


def test_setting_a_day_the_office_already_set_the_same_way_is_refused(clerk, seeded):
    services.calendar_day_set(actor=clerk, day=D(2026, 3, 6), is_workday=False, name="区里停电")
    state = table_state()
    with pytest.raises(Refused, match="无需修改"):
        services.calendar_day_set(actor=clerk, day=D(2026, 3, 6), is_workday=False, name="区里停电")
    assert table_state() == state


def test_the_office_can_mark_a_year_official(clerk, seeded):
    services.calendar_year_set(actor=clerk, year=2027, official=True, note="已按通知逐日录入")
    assert selectors.official_years()[-1] == 2027
    assert selectors.work_calendar().is_workday_checked(D(2027, 3, 1)).unofficial_years == ()
    with pytest.raises(Refused) as e:
        services.calendar_year_set(actor=clerk, year=2027, official=True, note="已按通知逐日录入")
    assert e.value.field == "official"


# ------------------------------------------------------------------------------ year view ----

def test_the_year_view_marks_holidays_make_up_days_and_weekends(seeded):
    v = selectors.year_view(2026)
    assert v.official and v.workdays == 248
    # 12-25 … 12-31 belong to the 2027 notice's 元旦 arrangement, which is not loaded yet
    assert v.warnings == ["2027 年的国务院办公厅放假安排尚未载入"]
    october = v.months[9]
    cells = {c.date: c for week in october.weeks for c in week if c}
    assert len(cells) == 31 and october.weeks[0][:3] == [None, None, None]  # 10-01 is a Thursday
    assert (cells[D(2026, 10, 1)].kind, cells[D(2026, 10, 1)].name) == ("holiday", "国庆节")
    assert (cells[D(2026, 10, 10)].kind, cells[D(2026, 10, 10)].name) == ("makeup", "国庆节调休上班")
    assert (cells[D(2026, 10, 3)].kind, cells[D(2026, 10, 3)].name) == ("weekend", "国庆节")
    assert (cells[D(2026, 10, 17)].kind, cells[D(2026, 10, 17)].name) == ("weekend", "")
    assert cells[D(2026, 10, 8)].kind == "workday"
    assert cells[D(2026, 10, 10)].source == "holidays"
    assert sum(m.workdays for m in v.months) == 248


def test_the_year_view_of_a_provisional_year_warns(seeded):
    v = selectors.year_view(2027)
    assert not v.official and v.warnings[0] == "2027 年的国务院办公厅放假安排尚未载入"
    with pytest.raises(Refused):
        selectors.year_view(1990)


def test_calendar_years_lists_every_year_with_its_status(seeded):
    rows = {r["year"]: r for r in selectors.calendar_years()}
    assert rows[2026]["official"] and rows[2026]["workdays"] == 248
    assert not rows[2027]["official"] and rows[2027]["in_table"]


# ---------------------------------------------------------------------------------- admin ----

def test_admin_saves_and_deletes_go_through_the_service(admin_client, seeded):
    events = AuditEvent.objects.count()
    r = admin_client.post("/admin/workcalendar/calendarday/add/",
                          {"date": "2026-03-07", "is_workday": "on", "name": "防汛演练上班"})
    assert r.status_code == 302, r.content.decode()[:2000]
    row = CalendarDay.objects.get(date=D(2026, 3, 7))
    assert (row.is_workday, row.name, row.source) == (True, "防汛演练上班", "office")
    assert AuditEvent.objects.order_by("-seq").first().action == "calendar.day_set"

    r = admin_client.post(f"/admin/workcalendar/calendarday/{row.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2026, 3, 7)).exists()
    assert AuditEvent.objects.count() == events + 2
    assert selectors.work_calendar().is_workday(D(2026, 3, 7)) is False


def test_admin_refuses_an_entry_that_the_monday_to_friday_rule_already_gives(admin_client, seeded):
    state = table_state()
    r = admin_client.post("/admin/workcalendar/calendarday/add/", {"date": "2026-03-02", "is_workday": "on", "name": ""})
    assert r.status_code == 200 and "本来就是工作日" in r.content.decode()
    assert table_state() == state


def test_admin_marks_a_year_official_through_the_service(admin_client, seeded):
    y = CalendarYear.objects.get(year=2027)
    r = admin_client.post(f"/admin/workcalendar/calendaryear/{y.pk}/change/", {"official": "on", "note": "已逐日录入"})
    assert r.status_code == 302
    y.refresh_from_db()
    assert (y.official, y.source, y.note) == (True, "office", "已逐日录入")
    assert AuditEvent.objects.order_by("-seq").first().action == "calendar.year_set"
