"""The trail in sentences: {% load trail %}."""

from django import template
from django.urls import reverse

from zhengwu.web import trail

register = template.Library()


@register.filter
def trail_lines(events):
    """AuditEvent rows -> trail.Line sentences (who, when, what in words)."""
    return trail.lines(events or [])


@register.simple_tag
def audit_view_url(person, events) -> str:
    """The audit administrator's view of the object these events are about, for an audit
    administrator only (三权分立); "" for everyone else or without events."""
    from zhengwu.security import roles

    if not events or roles.AUDIT not in roles.kinds_of(person):
        return ""
    first = events[0]
    return reverse("audit-object", args=[first.obj_type, first.obj_id])
