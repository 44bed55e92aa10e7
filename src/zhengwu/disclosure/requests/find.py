"""This app's part of the global search (zhengwu.web.search): the requests for information the person
may see (the applicant's contact is never searched: only the office's disclosure staff may read it)."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access

register_search_source(queryset_source(
    "info_requests", pgettext_lazy("global search", "Requests for information"), visible=access.visible_requests,
    fields=("content",), url=lambda r: f"/disclosure/requests/{r.pk}/", title=lambda r: r.content[:60],
    sub=lambda r: f"{r} · {r.received_on:%Y-%m-%d} · {r.get_status_display()}", order=70))
