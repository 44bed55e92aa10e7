"""Labels of values stored as Chinese words (issue 16: complete English): `{{ doc.urgency|urgency_label }}`
shows 加急 in Chinese and "Urgent" in English (workflow.models.Urgency's translated labels)."""

from django import template

from zhengwu.workflow.models import Urgency

register = template.Library()


@register.filter
def urgency_label(value) -> str:
    try:
        return str(Urgency(value).label)
    except ValueError:
        return value or ""


@register.filter
def rule_message(violation) -> str:
    """A rule's finding in the active language: the English message where the rule gives one
    (`Violation.message_en`), else the message as the rule wrote it."""
    from django.utils.translation import get_language

    get = violation.get if isinstance(violation, dict) else lambda k, d="": getattr(violation, k, d)
    if (get_language() or "").startswith("en") and get("message_en", ""):
        return get("message_en", "")
    return get("message", "")


@register.simple_tag
def colon() -> str:
    """The colon after a label: full-width "：" in Chinese, ": " in English ("Written views：" is wrong)."""
    from django.utils.translation import get_language

    return ": " if (get_language() or "").startswith("en") else "："


@register.filter
def parens(value) -> str:
    """`value` in the language's brackets: "（bgs-zhuren）" in Chinese, " (bgs-zhuren)" in English
    (with the space English puts before a bracket); "" for an empty value."""
    from django.utils.translation import get_language

    if value is None or value == "":
        return ""
    return f" ({value})" if (get_language() or "").startswith("en") else f"（{value}）"


@register.simple_tag
def in_english() -> bool:
    """{% in_english as english %}: the page is read in English (where recorded Chinese is set apart
    as content, lang="zh", after the UI's own words)."""
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def enumerate_words(words) -> str:
    """Words joined as an enumeration: 、 in Chinese, ", " in English."""
    from django.utils.translation import get_language

    return (", " if (get_language() or "").startswith("en") else "、").join(str(w) for w in words if w)


def _en() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


@register.simple_tag
def lp() -> str:
    """An opening bracket in the reader's language: "（" in Chinese, " (" in English."""
    return " (" if _en() else "（"


@register.simple_tag
def rp() -> str:
    """A closing bracket in the reader's language: "）" in Chinese, ")" in English."""
    return ")" if _en() else "）"


@register.simple_tag
def sep() -> str:
    """The separator of an enumeration: "、" in Chinese, ", " in English."""
    return ", " if _en() else "、"


@register.simple_tag
def comma() -> str:
    """A comma inside a sentence: "，" in Chinese, ", " in English."""
    return ", " if _en() else "，"


@register.simple_tag
def semicolon() -> str:
    """A semicolon between list items: "；" in Chinese, "; " in English."""
    return "; " if _en() else "；"


@register.filter
def enum(values) -> str:
    """A list joined as an enumeration in the reader's language (、 / ", ")."""
    return enumerate_words(values or [])


@register.filter
def long_date(day) -> str:
    """A date as a form writes it: 2026年12月7日 in Chinese, 2026-12-07 in English; "" for none."""
    import datetime as dt

    from django.utils import timezone

    if not day:
        return ""
    if isinstance(day, dt.datetime):
        day = (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    return day.isoformat() if _en() else f"{day.year}年{day.month}月{day.day}日"
