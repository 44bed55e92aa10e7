"""Issue 16, lists as tables: the 督查台账 and the 用印登记簿 sort by a column, filter (status, unit,
dates), page, and show each person only the rows he may see, whatever the query string asks."""

import datetime as dt
import re

import pytest

from zhengwu.org.models import Person, Unit
from zhengwu.supervision import access as sv_access
from zhengwu.supervision.models import ItemUnit, SupervisionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(full_demo):
    return full_demo


def p(username):
    return Person.objects.get(username=username)


def login(client, username):
    client.force_login(p(username))
    return client


def _tbody(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""


def item_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/supervision/(\d+)/"', _tbody(html))]


# ---- 督查台账 ------------------------------------------------------------------------------------

def test_the_ledger_sorts_by_a_column_both_ways_and_ignores_an_unknown_sort(gov, client):
    c = login(client, "dcz")
    visible = sv_access.visible_items(p("dcz"))
    assert visible.count() >= 3
    by_title = item_ids(c.get("/supervision/?sort=title").content.decode())
    assert by_title == list(visible.order_by("title", "-id").values_list("pk", flat=True))[:30]
    assert item_ids(c.get("/supervision/?sort=-title").content.decode()) == \
        list(visible.order_by("-title", "-id").values_list("pk", flat=True))[:30]
    due = item_ids(c.get("/supervision/?sort=due").content.decode())
    dues = [SupervisionItem.objects.get(pk=pk).due_on for pk in due]
    present = [d for d in dues if d is not None]
    assert present == sorted(present) and dues[:len(present)] == present  # no due date last
    default = item_ids(c.get("/supervision/").content.decode())
    assert item_ids(c.get("/supervision/?sort=nonsense").content.decode()) == default
    assert default == list(visible.order_by("-year", "-seq", "-id").values_list("pk", flat=True))[:30]
    page = c.get("/supervision/?sort=title").content.decode()
    assert 'aria-sort="ascending"' in page and "sort=-title" in page  # the header flips the direction


def test_the_ledger_filters_by_status_lead_unit_due_dates_and_light(gov, client):
    c = login(client, "dcz")
    visible = sv_access.visible_items(p("dcz"))
    status = visible.values_list("status", flat=True).first()
    got = item_ids(c.get(f"/supervision/?status={status}").content.decode())
    assert got and set(got) == set(visible.filter(status=status).values_list("pk", flat=True)[:30])
    lead = ItemUnit.objects.filter(item__in=visible, role=ItemUnit.Role.LEAD).select_related("unit").first()
    got = item_ids(c.get(f"/supervision/?unit={lead.unit_id}").content.decode())
    assert lead.item_id in got
    assert all(ItemUnit.objects.filter(item_id=pk, unit_id=lead.unit_id, role=ItemUnit.Role.LEAD).exists()
               for pk in got)
    dated = visible.exclude(due_on=None).order_by("due_on").first()
    day = dated.due_on.isoformat()
    got = item_ids(c.get(f"/supervision/?due_from={day}&due_to={day}").content.decode())
    assert dated.pk in got and set(got) == set(visible.filter(due_on=dated.due_on).values_list("pk", flat=True))
    later = (dated.due_on + dt.timedelta(days=1)).isoformat()
    assert dated.pk not in item_ids(c.get(f"/supervision/?due_from={later}").content.decode())
    listed = item_ids(c.get("/supervision/?light=listed").content.decode())
    assert listed and all(SupervisionItem.objects.get(pk=pk).listed_on for pk in listed)
    # a value that cannot be read is refused, naming the field
    assert c.get("/supervision/?due_from=yesterday").status_code == 400
    assert c.get("/supervision/?status=nonsense").status_code == 400
    # the export takes the same filters
    from io import BytesIO

    from openpyxl import load_workbook

    x = c.get(f"/supervision/export.xlsx?due_from={day}&due_to={day}")
    numbers = [r[0] for r in load_workbook(BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True)]
    assert dated.number in numbers and len(numbers) == len(set(got))


def test_the_ledger_pages_and_keeps_the_sort_and_filters_in_its_links(gov, client, monkeypatch):
    from zhengwu.supervision import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    c = login(client, "dcz")
    visible = list(sv_access.visible_items(p("dcz")).order_by("title", "-id").values_list("pk", flat=True))
    first = c.get("/supervision/?sort=title").content.decode()
    assert item_ids(first) == visible[:2]
    assert 'href="?sort=title&amp;page=2"' in first
    assert item_ids(c.get("/supervision/?sort=title&page=2").content.decode()) == visible[2:4]


def test_a_unit_sees_only_its_own_items_whatever_it_asks_for(gov, client):
    jyj = p("jyj")
    mine = set(sv_access.visible_items(jyj).values_list("pk", flat=True))
    others = set(SupervisionItem.objects.values_list("pk", flat=True)) - mine
    assert mine and others
    c = login(client, "jyj")
    for q in ("", "?sort=title", "?sort=-due", "?light=listed", "?status=open"):
        resp = c.get("/supervision/" + q)
        if resp.status_code == 400:  # a status not among the choices
            continue
        assert set(item_ids(resp.content.decode())) <= mine
    # the lead unit of someone else's item, asked for by id: nothing of theirs is shown
    other = ItemUnit.objects.filter(item_id__in=others, role=ItemUnit.Role.LEAD).exclude(
        item_id__in=mine).first()
    got = set(item_ids(c.get(f"/supervision/?unit={other.unit_id}").content.decode()))
    assert got <= mine and other.item_id not in got


# ---- 用印登记簿 and the seal-use cards -------------------------------------------------------------

def card_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/seals/cards/(\d+)/"', _tbody(html))]


def _more_stamped_cards():
    """Two more stamped cards like the demo's one, on other days, of other units and seals (the demo
    stamps one card; a register of one row cannot show an order)."""
    from zhengwu.seals.models import Seal, SealCard

    base = SealCard.objects.filter(status=SealCard.Status.STAMPED).order_by("id").first()
    seals = list(Seal.objects.exclude(pk=base.seal_id).order_by("id")[:2]) or [base.seal]
    units = list(Unit.objects.filter(government_id=base.government_id).exclude(pk=base.unit_id).order_by("id")[:2])
    for n, (seal, unit) in enumerate(zip(seals * 2, units), start=1):
        card = SealCard.objects.get(pk=base.pk)
        card.pk = None
        card.seal, card.unit, card.content = seal, unit, f"测试用印{n}"
        card.use_date = base.use_date - dt.timedelta(days=n)
        card.stamped_at = base.stamped_at - dt.timedelta(days=3 * n)
        card.save()


def test_the_seal_use_register_sorts_filters_and_pages(gov, client, monkeypatch):
    from zhengwu.seals import access as seal_access
    from zhengwu.seals import views
    from zhengwu.seals.models import SealCard

    _more_stamped_cards()
    c = login(client, "bgs-zhuren")
    stamped = seal_access.visible_cards(p("bgs-zhuren")).filter(status=SealCard.Status.STAMPED)
    assert stamped.count() >= 2
    assert card_ids(c.get("/seals/log/").content.decode()) == \
        list(stamped.order_by("-stamped_at", "-id").values_list("pk", flat=True))[:50]
    assert card_ids(c.get("/seals/log/?sort=use_date").content.decode()) == \
        list(stamped.order_by("use_date", "-id").values_list("pk", flat=True))[:50]
    one = stamped.order_by("id").first()
    got = card_ids(c.get(f"/seals/log/?unit={one.unit_id}").content.decode())
    assert one.pk in got and set(got) == set(stamped.filter(unit_id=one.unit_id).values_list("pk", flat=True))
    day = one.use_date.isoformat()
    got = card_ids(c.get(f"/seals/log/?used_from={day}&used_to={day}").content.decode())
    assert one.pk in got and set(got) == set(stamped.filter(use_date=one.use_date).values_list("pk", flat=True))
    got = card_ids(c.get(f"/seals/log/?seal={one.seal_id}").content.decode())
    assert one.pk in got and all(SealCard.objects.get(pk=pk).seal_id == one.seal_id for pk in got)
    assert c.get("/seals/log/?used_to=someday").status_code == 400
    # the export takes the same filters
    from io import BytesIO

    from openpyxl import load_workbook

    x = c.get(f"/seals/log.xlsx?used_from={day}&used_to={day}")
    rows = list(load_workbook(BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(got)
    # paging
    monkeypatch.setattr(views, "LIST_SIZE", 1)
    order = list(stamped.order_by("use_date", "-id").values_list("pk", flat=True))
    page2 = c.get("/seals/log/?sort=use_date&page=2").content.decode()
    assert card_ids(page2) == order[1:2] and 'href="?sort=use_date&amp;page=1"' in page2


def test_the_seal_use_cards_list_filters_by_status(gov, client):
    from zhengwu.seals import access as seal_access
    from zhengwu.seals.models import SealCard

    c = login(client, "bgs-zhuren")
    visible = seal_access.visible_cards(p("bgs-zhuren"))
    statuses = set(visible.values_list("status", flat=True))
    assert len(statuses) >= 2
    assert set(card_ids(c.get("/seals/cards/").content.decode())) == set(visible.values_list("pk", flat=True)[:50])
    for status in statuses:
        got = card_ids(c.get(f"/seals/cards/?status={status}").content.decode())
        assert got and set(got) == set(visible.filter(status=status).values_list("pk", flat=True)[:50])
    assert SealCard.Status.STAMPED in statuses


def test_a_person_sees_only_the_cards_he_may_see_in_both_lists(gov, client):
    from zhengwu.seals import access as seal_access
    from zhengwu.seals.models import SealCard

    candidates = [c.handler for c in SealCard.objects.select_related("handler")]
    person = next(x for x in candidates if not seal_access.is_office(x)
                  and seal_access.visible_cards(x).count() < SealCard.objects.count())
    mine = set(seal_access.visible_cards(person).values_list("pk", flat=True))
    others = SealCard.objects.exclude(pk__in=mine)
    c = login(client, person.username)
    for url in ("/seals/cards/", "/seals/cards/?sort=seal", "/seals/log/", "/seals/log/?sort=-use_date"):
        got = set(card_ids(c.get(url).content.decode()))
        assert got <= mine, url
    assert set(card_ids(c.get("/seals/cards/").content.decode())) == mine
    # another unit's card, asked for by its unit: not offered, refused as no such choice
    other = others.exclude(unit_id__in=seal_access.visible_cards(person).values("unit_id")).first()
    assert other is not None
    assert c.get(f"/seals/cards/?unit={other.unit_id}").status_code == 400


def test_the_seal_lists_take_no_query_per_row(gov, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(client, "bgs-zhuren")

    def count():
        found = []
        for url in ("/seals/log/", "/seals/cards/"):
            c.get(url)  # warm
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            found.append(len(ctx))
        return found

    before = count()
    _more_stamped_cards()
    assert count() == before


# ---- leave requests (政务事务 › 请假报备) ------------------------------------------------------------

def leave_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/affairs/leave/(\d+)/"', _tbody(html))]


def test_the_leave_requests_sort_filter_and_page(gov, client, monkeypatch):
    from zhengwu.affairs.leave import access as leave_access
    from zhengwu.affairs.leave.models import LeaveRequest
    from zhengwu.web import tables

    c = login(client, "quzhang")
    visible = leave_access.requests_visible(p("quzhang"))
    assert visible.count() >= 3
    assert leave_ids(c.get("/affairs/leave/").content.decode()) == \
        list(visible.order_by("-start", "-id").values_list("pk", flat=True))
    assert leave_ids(c.get("/affairs/leave/?sort=destination").content.decode()) == \
        list(visible.order_by("destination", "-id").values_list("pk", flat=True))
    assert leave_ids(c.get("/affairs/leave/?sort=start").content.decode()) == \
        list(visible.order_by("start", "-id").values_list("pk", flat=True))
    pending = leave_ids(c.get("/affairs/leave/?status=pending").content.decode())
    assert pending and set(pending) == set(visible.filter(status=LeaveRequest.Status.PENDING).values_list("pk", flat=True))
    first = visible.order_by("start").first()
    got = leave_ids(c.get(f"/affairs/leave/?on_to={first.start.isoformat()}").content.decode())
    assert set(got) == set(visible.filter(start__lte=first.start).values_list("pk", flat=True)) and first.pk in got
    assert c.get("/affairs/leave/?kind=nonsense").status_code == 400
    monkeypatch.setattr(tables, "PAGE_SIZE", 2)
    order = list(visible.order_by("start", "-id").values_list("pk", flat=True))
    assert leave_ids(c.get("/affairs/leave/?sort=start&page=2").content.decode()) == order[2:4]


def test_a_unit_head_sees_only_his_own_leave_in_the_list(gov, client):
    from zhengwu.affairs.leave import access as leave_access
    from zhengwu.affairs.leave.models import LeaveRequest

    mine = set(leave_access.requests_visible(p("czj")).values_list("pk", flat=True))
    assert mine and mine < set(LeaveRequest.objects.values_list("pk", flat=True))
    c = login(client, "czj")
    for q in ("", "?sort=destination", "?status=approved", "?status=reported", "?on_from=2000-01-01"):
        assert set(leave_ids(c.get("/affairs/leave/" + q).content.decode())) <= mine, q
    assert set(leave_ids(c.get("/affairs/leave/").content.decode())) == mine


# ---- the inbox (待办 / 已办 / 我发起的) ---------------------------------------------------------------

def _inbox_part(html: str) -> str:
    return html[html.index('class="inbox-main"'):]


def inbox_task_ids(html: str) -> list[int]:
    part = _inbox_part(html)
    tables = re.findall(r'<table class="inbox-list.*?</table>', part, flags=re.S)
    return [int(x) for t in tables for x in re.findall(r'href="/tasks/(\d+)/"', t)]


def test_the_inbox_tabs_sort_by_a_column_and_keep_the_sort_in_the_pager(gov, client, monkeypatch, settings):
    from zhengwu.web import inbox
    from zhengwu.workflow import selectors
    from zhengwu.workflow.models import Task

    me = p("bgs-zhuren")
    todo = selectors.todo(me)
    assert todo.count() >= 2
    c = login(client, "bgs-zhuren")
    page = c.get("/?box=todo&sort=title").content.decode()
    assert "来文单位/发起人" in page and "当前环节" in page and "时限" in page
    steps = list(todo.filter(kind=Task.Kind.STEP).order_by("approval__title", "id").values_list("pk", flat=True))
    reads = list(todo.filter(kind=Task.Kind.CIRCULATION).order_by("approval__title", "id").values_list("pk", flat=True))
    assert inbox_task_ids(page) == steps + reads  # sorted within 待办, then 待阅
    page = c.get("/?box=todo&sort=-received").content.decode()
    steps = list(todo.filter(kind=Task.Kind.STEP).order_by("-created_at", "id").values_list("pk", flat=True))
    assert inbox_task_ids(page)[:len(steps)] == steps
    assert 'aria-sort="descending"' in page and "sort=received" in page
    # unknown sort: the tab's own order (due first)
    assert inbox_task_ids(c.get("/?box=todo&sort=nonsense").content.decode()) == \
        inbox_task_ids(c.get("/?box=todo").content.decode())
    # paging keeps the tab and the sort
    settings.PAGE_CACHE_SECONDS = 0  # the page size changes at run time: not the page kept from before
    monkeypatch.setattr(inbox, "PAGE_SIZE", 1)
    page = c.get("/?box=todo&sort=title").content.decode()
    assert 'href="?box=todo&amp;sort=title&amp;page=2"' in page
    first = list(todo.order_by("approval__title", "id").values_list("pk", flat=True))
    assert inbox_task_ids(c.get("/?box=todo&sort=title&page=2").content.decode()) == first[1:2]


def test_the_done_and_started_tabs_sort_too(gov, client):
    from zhengwu.workflow import selectors

    c = login(client, "bgs-zhuren")
    done = selectors.done(p("bgs-zhuren"))
    assert done.count() >= 2
    page = c.get("/?box=done&sort=handled").content.decode()
    assert inbox_task_ids(page) == list(done.order_by("completed_at", "id").values_list("pk", flat=True))[:50]
    c = login(client, "wenshu")
    mine = selectors.mine(p("wenshu"))
    assert mine.count() >= 2
    part = _inbox_part(c.get("/?box=mine&sort=title").content.decode())
    got = [int(x) for x in re.findall(r'href="/approvals/(\d+)/"', part.split("</table>")[0])]
    assert got == list(mine.order_by("title", "id").values_list("pk", flat=True))[:50]


def test_the_inbox_shows_only_the_persons_own_tasks_whatever_the_sort(gov, client):
    from zhengwu.workflow import selectors
    from zhengwu.workflow.models import Task

    mine = set(selectors.todo(p("jyj")).values_list("pk", flat=True)) | set(
        selectors.done(p("jyj")).values_list("pk", flat=True))
    others = set(Task.objects.exclude(pk__in=mine).values_list("pk", flat=True))
    assert others
    c = login(client, "jyj")
    for q in ("?box=todo&sort=title", "?box=todo&sort=-due", "?box=done&sort=-handled", "?box=done&sort=from"):
        got = set(inbox_task_ids(c.get("/" + q).content.decode()))
        assert got <= mine and not (got & others), q


# ---- 突发事件报告 and 报送事项 (政务事务 › 议事协调) ---------------------------------------------------

def _more_reports():
    """Two more reports like the demo's one: one of the same unit a day earlier, one of another unit."""
    from zhengwu.affairs.bodies.models import EmergencyReport

    base = EmergencyReport.objects.order_by("id").first()
    other = Unit.objects.filter(government_id=base.government_id).exclude(pk=base.unit_id).order_by("id").first()
    for n, unit in enumerate((base.unit, other), start=1):
        r = EmergencyReport.objects.get(pk=base.pk)
        r.pk, r.unit, r.title = None, unit, f"测试事件{n}"
        r.occurred_at = base.occurred_at - dt.timedelta(days=n)
        r.save()
    return base


def report_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/affairs/bodies/emergencies/(\d+)/"', _tbody(html))]


def test_the_emergency_reports_sort_filter_page_and_show_a_unit_only_its_own(gov, client, monkeypatch):
    from zhengwu.affairs.bodies import access as bodies_access
    from zhengwu.affairs.bodies import views
    from zhengwu.affairs.bodies.models import EmergencyReport

    base = _more_reports()
    c = login(client, "bgs-zhuren")
    visible = bodies_access.visible_reports(p("bgs-zhuren"))
    assert visible.count() >= 3
    url = "/affairs/bodies/emergencies/"
    assert report_ids(c.get(url).content.decode()) == \
        list(visible.order_by("-occurred_at", "-id").values_list("pk", flat=True))
    assert report_ids(c.get(url + "?sort=title").content.decode()) == \
        list(visible.order_by("title", "-id").values_list("pk", flat=True))
    got = report_ids(c.get(f"{url}?unit={base.unit_id}").content.decode())
    assert set(got) == set(visible.filter(unit_id=base.unit_id).values_list("pk", flat=True)) and len(got) == 2
    day = (base.occurred_at - dt.timedelta(days=1)).date().isoformat()
    got = report_ids(c.get(f"{url}?occurred_from={day}&occurred_to={day}").content.decode())
    assert [EmergencyReport.objects.get(pk=pk).title for pk in got] == ["测试事件1"]
    assert c.get(url + "?status=nonsense").status_code == 400
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    order = list(visible.order_by("title", "-id").values_list("pk", flat=True))
    page2 = c.get(url + "?sort=title&page=2").content.decode()
    assert report_ids(page2) == order[1:2] and 'href="?sort=title&amp;page=3"' in page2
    # the reporting unit's person: only its own unit's reports, whatever the query asks
    reporter = base.reported_by
    own = set(bodies_access.visible_reports(reporter).values_list("pk", flat=True))
    assert own and own < set(EmergencyReport.objects.values_list("pk", flat=True))
    c = login(client, reporter.username)
    for q in ("", "?sort=-title", "?status=open"):
        assert set(report_ids(c.get(url + q).content.decode())) <= own, q
    monkeypatch.setattr(views, "PAGE_SIZE", 30)
    assert set(report_ids(c.get(url).content.decode())) == own


def test_the_submissions_sort_and_filter_by_status(gov, client):
    from zhengwu.affairs.bodies import access as bodies_access
    from zhengwu.affairs.bodies.models import Submission

    base = Submission.objects.order_by("id").first()
    clone = Submission.objects.get(pk=base.pk)
    clone.pk, clone.title, clone.status = None, "测试报送事项", Submission.Status.DRAFT
    clone.save()
    c = login(client, "bgs-zhuren")
    visible = bodies_access.visible_submissions(p("bgs-zhuren"))
    url = "/affairs/bodies/submissions/"
    ids = lambda html: [int(x) for x in re.findall(r'href="/affairs/bodies/submissions/(\d+)/"', _tbody(html))]  # noqa: E731
    assert ids(c.get(url + "?sort=title").content.decode()) == \
        list(visible.order_by("title", "-id").values_list("pk", flat=True))
    assert ids(c.get(url + "?sort=-title").content.decode()) == \
        list(visible.order_by("-title", "-id").values_list("pk", flat=True))
    got = ids(c.get(url + "?status=draft").content.decode())
    assert clone.pk in got and set(got) == set(visible.filter(status="draft").values_list("pk", flat=True))
