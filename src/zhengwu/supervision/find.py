"""This app's part of the global search (zhengwu.web.search): the supervision items the person may see."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access

register_search_source(queryset_source(
    "supervision", pgettext_lazy("global search", "Supervision items"), visible=access.visible_items, fields=("title", "basis", "source_title"),
    url=lambda i: f"/supervision/{i.pk}/", title=lambda i: i.title,
    sub=lambda i: f"{i.number} · {i.get_status_display()}", order_by=("-year", "-seq"), order=40))
