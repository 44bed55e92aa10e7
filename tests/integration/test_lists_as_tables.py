"""Issue 16, lists as tables: the 督查台账 and the 用印登记簿 sort by a column, filter (status, unit,
dates), page, and show each person only the rows he may see, whatever the query string asks."""

import datetime as dt
import re

import pytest

from zhengwu.org.models import Person
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
