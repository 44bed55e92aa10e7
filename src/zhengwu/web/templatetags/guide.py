"""Guide rather than refuse: {% load guide %} for `_action_button.html`.

A page asks the service's own dry run what acting now would meet (a `Refused`, a list of rule
`Violation`s, or one) and shows the button disabled with that reason and its article."""

from django import template

register = template.Library()


def _first_block(found):
    if found is None:
        return None
    violations = getattr(found, "violations", None)
    if violations is None and isinstance(found, (list, tuple)):
        violations = found
    if violations:
        blocks = [v for v in violations if getattr(v, "blocks", True)]
        if blocks:
            return blocks[0]
    return found if not isinstance(found, (list, tuple)) else None


@register.filter
def reason_of(found) -> str:
    """The words of what stops the action: the first blocking violation's message (in English where
    the rule gives one: zw_labels.rule_message), else the refusal's."""
    from .zw_labels import rule_message

    first = _first_block(found)
    if first is None:
        return ""
    return rule_message(first) or str(first)


@register.filter
def article_of(found):
    """The article the first blocking violation cites (None when the refusal cites none)."""
    first = _first_block(found)
    return getattr(first, "article", None) or None
