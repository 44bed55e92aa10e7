"""This app's part of the global search (zhengwu.web.search): the seal-use cards the person may see."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import queryset_source, register_search_source

from . import access

register_search_source(queryset_source(
    "seal_cards", pgettext_lazy("global search", "Seal-use cards"), visible=access.visible_cards, fields=("content",),
    url=lambda c: f"/seals/cards/{c.pk}/", title=lambda c: c.content[:60],
    sub=lambda c: f"{c.seal.name} · {c.use_date:%Y-%m-%d} · {c.get_status_display()}",
    related=("seal",), order=60))
