"""This app's part of the global search (zhengwu.web.search): the proposals the person may see."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access

register_search_source(queryset_source(
    "proposals", pgettext_lazy("global search", "Proposals and suggestions"), visible=access.visible_proposals,
    fields=("title", "content", "number"), url=lambda p: f"/proposals/{p.pk}/", title=lambda p: p.title,
    sub=lambda p: " · ".join(x for x in (p.number, p.get_status_display()) if x), order=50))
