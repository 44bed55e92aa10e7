"""This app's part of the global search (zhengwu.web.search): the meetings the person may see."""

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access


def _sub(m) -> str:
    when = timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M") if m.starts_at else ""
    return " · ".join(x for x in (m.number, when, m.place, m.get_status_display()) if x)


register_search_source(queryset_source(
    "meetings", pgettext_lazy("global search", "Meetings"), visible=access.visible_meetings, fields=("title", "number", "place"),
    url=lambda m: f"/meetings/{m.pk}/", title=lambda m: m.title, sub=_sub, order_by=("-starts_at", "-id"), order=20))
