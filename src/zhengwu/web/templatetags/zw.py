"""Template filters of the zhengwu UI: {% load zw %}."""

from django import template
from django.utils.translation import get_language, gettext

from zhengwu.rulebook import from_chinese, to_chinese
from zhengwu.web import calendar_view, present

register = template.Library()


@register.filter
def base_name(name: str) -> str:
    """春节（调休） -> 春节."""
    return calendar_view.base_name(name or "")


@register.filter
def highlight(text: str, q: str):
    """`text` escaped, with occurrences of `q` wrapped in <mark>."""
    return present.highlight(text or "", q or "")


@register.filter
def article_label(number) -> str:
    """THE article citation of the UI, in the reader's language: {{ 43|article_label }} gives
    "第四十三条" in Chinese and "Art. 43" in English. Use it for every article number shown on a
    page (links to the rulebook, refusals, checklists, trails), never a hand-built 第…条.

    `number` is an int, a digit string ("43") or an already Chinese citation ("第四十三条",
    "四十三"), so data that stores the Chinese label reads in English too. Anything else gives "".
    Wrap it in the language's brackets where the sentence needs them (（…） / (…)).
    """
    n = _article_number(number)
    if n is None:
        return ""
    if (get_language() or "").lower().startswith("en"):
        return f"Art. {n}"
    return f"第{to_chinese(n)}条"


def _article_number(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        text = str(value).strip()
        if text.startswith("第") and text.endswith("条"):
            text = text[1:-1]
        try:
            n = from_chinese(text)
        except ValueError:
            return None
    return n if 0 < n < 1000 else None


@register.filter
def book_name(text, book=None):
    """A name the rulebook gives — chapter title, parameter label or unit, route title, step
    label, action, choice — in the reader's language: {{ p.unit|book_name:book }} gives 工作日 in
    Chinese and "working days" in English (the book's `english:` glossary; without `book`, the
    book in force). The articles' own text is the source document: never pass it here."""
    if book is None or book == "":
        from zhengwu import rules

        book = rules.lib().current
    return present.book_name(book, text)


@register.filter
def audit_value(value) -> str:
    """A before/after value of an audit event, readable: lists joined with 、, booleans 是/否."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, (list, tuple)):
        return "、".join(audit_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{audit_value(v)}" for k, v in value.items()) or "—"
    return str(value)


@register.filter
def yuan(amount) -> str:
    """An amount in whole 元 as a clerk writes it: 42000000 → 4200万元, 3500 → 3,500元 (in English
    "42,000,000 yuan")."""
    from decimal import Decimal

    if amount is None or amount == "":
        return ""
    value = Decimal(int(amount))
    if (get_language() or "").lower().startswith("en"):  # 3,600,000 yuan
        return f"{int(value):,} yuan"
    if value >= 10_000:
        return f"{(value / 10_000).normalize():f}万元"
    return f"{int(value):,}元"


@register.filter
def cell(row, key: str):
    """A table cell's value (zhengwu.web.tables): row[key] for a dict, row.key for an object."""
    if isinstance(row, dict):
        return row.get(key, "")
    return getattr(row, key, "")
