"""This app's part of the global search (zhengwu.web.search): the 三重一大 dossiers the person may see."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access

register_search_source(queryset_source(
    "decisions", pgettext_lazy("global search", "Major decisions"), visible=access.visible_dossiers, fields=("title", "summary"),
    url=lambda d: f"/decisions/{d.pk}/", title=lambda d: d.title,
    sub=lambda d: " · ".join(x for x in ((d.proposing_unit.name if d.proposing_unit_id else ""),
                                         d.get_status_display()) if x),
    related=("proposing_unit",), order=30))
