"""This app's part of the global search (zhengwu.web.search): documents through their full-text
index, only those the person may see (documents.search applies access.visible_documents and hides a
classified document from everyone but the office and its own unit)."""

from django.utils.translation import pgettext_lazy

from zhengwu.web.search import Hit, Source, register_search_source


def _find(person, terms, on, limit):
    from . import search

    for d in search.matching(person, terms, on=on)[:limit]:
        number = d.doc_number or d.intake_number
        unit = d.unit.short_name or d.unit.name if d.unit_id else ""
        yield Hit(title=d.title, url=f"/documents/{d.pk}/",
                  sub=" · ".join(x for x in (number, d.kind, unit, d.get_status_display()) if x))


register_search_source(Source("documents", pgettext_lazy("global search", "Documents"), _find, order=10))
