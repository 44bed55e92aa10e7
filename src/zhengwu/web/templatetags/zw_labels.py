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
