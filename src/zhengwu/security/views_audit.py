"""The audit administrator's pages (审计管理员, 三权分立): read the trail (paged, filtered), verify its
hash chain, export it to Excel. They change nothing; nobody else may open them (not the system or
security administrator, not the installation superuser, no business account).

Users see times, people, the catalogue's labels, what the object is, the summary and the article —
never hashes, action codes or field keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from zhengwu.audit import catalogue
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.selectors import verify_chain
from zhengwu.errors import Refused
from zhengwu.output.download import content_disposition
from zhengwu.web.trail import login_name, person_name

from . import roles

PAGE_SIZE = 50
EXPORT_MAX = 100_000  # rows in one export; narrow the filters for more
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TrailFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    actor: str = ""
    action: str = ""
    obj_type: str = ""
    text: str = ""

    def params(self) -> dict[str, str]:
        out = {"from": self.start.isoformat() if self.start else "", "to": self.end.isoformat() if self.end else "",
               "actor": self.actor, "action": self.action, "object": self.obj_type, "q": self.text}
        return {k: v for k, v in out.items() if v}

    def query(self) -> str:
        p = self.params()
        return urlencode(p) + "&" if p else ""


def _date(value: str, field: str, label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{label}须为日期（如 2026-03-01）", field=field) from None


def parse_filters(params: Mapping[str, str]) -> TrailFilters:
    """The page's GET parameters; bad input is refused naming the field."""
    start = _date(params.get("from", ""), "from", pgettext("date", "From"))
    end = _date(params.get("to", ""), "to", _("Until"))
    if start and end and end < start:
        raise Refused(_("The end date is before the start date"), field="to")
    action = (params.get("action") or "").strip()
    if action and not catalogue.is_registered(action):
        raise Refused(_("Unknown kind of action"), field="action")
    obj_type = (params.get("object") or "").strip()
    if obj_type and obj_type not in dict(object_types()):
        raise Refused(_("Unknown kind of object"), field="object")
    actor = (params.get("actor") or "").strip()[:100]
    text = (params.get("q") or "").strip()[:100]
    return TrailFilters(start, end, actor, action, obj_type, text)


def object_types() -> list[tuple[str, str]]:
    """(obj_type, its name) for every model the trail can name, sorted by name."""
    out = []
    for model in apps.get_models():
        meta = model._meta
        key = f"{meta.app_label}.{meta.model_name}"
        out.append((key, catalogue.object_name(key, str(meta.verbose_name))))
    return sorted(out, key=lambda pair: pair[1])


def object_label(obj_type: str, names: Mapping[str, str]) -> str:
    """What the object is, in words (a model's name); an unknown type reads as 对象."""
    return names.get(obj_type) or _("object")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def trail(filters: TrailFilters):
    """The events matching the filters, newest first."""
    qs = AuditEvent.objects.all()
    if filters.start:
        qs = qs.filter(at__gte=_day_start(filters.start))
    if filters.end:
        qs = qs.filter(at__lt=_day_start(filters.end + dt.timedelta(days=1)))
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.obj_type:
        qs = qs.filter(obj_type=filters.obj_type)
    if filters.text:
        qs = qs.filter(summary__icontains=filters.text)
    return qs.order_by("-seq")


def rows(events, names: Mapping[str, str]) -> list[dict]:
    return [{
        "at": timezone.localtime(e.at), "actor": e.actor_label if e.actor_id is not None else _("the system"),
        "actor_name": person_name(e.actor_label) if e.actor_id is not None else _("the system"),
        "actor_login": login_name(e.actor_label) if e.actor_id is not None else "",
        "person": e.actor_id is not None,
        "action": catalogue.display_label(e.action), "object": object_label(e.obj_type, names), "obj_id": e.obj_id,
        "obj_type": e.obj_type,
        "summary": e.summary, "article": e.article,
    } for e in events]


def _record(person, action: str, summary: str) -> None:
    """The audit administrator's own acts are in the trail too (who verified, who exported what)."""
    from django.db import transaction

    from zhengwu.audit.services import audit_append

    with transaction.atomic():
        audit_append(actor=person, action=action, obj_type="audit.auditevent", obj_id="trail", summary=summary[:500])


def _require_auditor(request):
    roles.require(request.user, roles.AUDIT)


def _refused(request, e: Refused):
    from zhengwu.web.present import refused_page

    return refused_page(request, e)


@login_required
@require_safe
def trail_page(request):
    """The trail, 50 events a page (keyset on seq: `before`), filtered by date, person, action,
    object and words of the summary."""
    try:
        _require_auditor(request)
    except Refused as e:
        return _refused(request, e)
    names = dict(object_types())
    refusal, filters = None, TrailFilters()
    try:
        filters = parse_filters(request.GET)
    except Refused as e:
        refusal = e
    before = request.GET.get("before", "")
    qs = trail(filters)
    if before:
        try:
            qs = qs.filter(seq__lt=int(before))
        except ValueError:
            refusal = Refused(_("Unknown page"), field="before")
    events = list(qs[:PAGE_SIZE + 1]) if refusal is None else []
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    ctx = {
        "filters": filters, "params": {**filters.params(), **({k: request.GET.get(k, "") for k in
                                                              ("from", "to", "actor", "action", "object", "q")}
                                                           if refusal else {})},
        "refusal": refusal, "error_field": refusal.field if refusal else None,
        "rows": rows(events, names), "older": events[-1].seq if more else None, "paged": bool(before),
        "query": filters.query(), "actions": sorted(((code, catalogue.display_label(code)) for code in catalogue.actions()),
                                                    key=lambda kv: kv[1]),
        "object_types": object_types(),
    }
    return render(request, "security/audit_trail.html", ctx, status=400 if refusal else 200)


@login_required
@require_safe
def object_page(request, obj_type: str, obj_id: str):
    """The audit view of one object (审计视图): every event about it, oldest first, with what the
    business pages leave out — the action's code, the values before and after by field, the
    article, and the hash chain (algorithm, previous hash, hash). Audit administrators only."""
    try:
        _require_auditor(request)
    except Refused as e:
        return _refused(request, e)
    names = dict(object_types())
    events = list(AuditEvent.objects.filter(obj_type=obj_type, obj_id=str(obj_id)).order_by("seq")[:EXPORT_MAX])
    shown = [{
        "seq": e.seq, "at": timezone.localtime(e.at), "actor": e.actor_label, "actor_id": e.actor_id,
        "action": e.action, "action_label": catalogue.display_label(e.action), "article": e.article, "summary": e.summary,
        "actor_name": person_name(e.actor_label), "actor_login": login_name(e.actor_label),
        "snapshot": e.after if e.before is None and isinstance(e.after, dict) else None,
        "changes": e.changes(), "before": e.before, "after": e.after,
        "algo": e.algo, "prev_hash": e.prev_hash, "hash": e.hash,
    } for e in events]
    return render(request, "security/audit_object.html", {
        "obj_type": obj_type, "obj_id": obj_id, "object_name": object_label(obj_type, names), "events": shown,
        "trail_query": urlencode({"object": obj_type}) if obj_type in names else "",
    }, status=200 if events else 404)


@login_required
def verify_page(request):
    """Verify the hash chain now (POST) and say the result in words; GET shows the button, and the
    last check's verdict once after the POST redirected here (Post/Redirect/Get: a refresh does not
    check and record again)."""
    try:
        _require_auditor(request)
    except Refused as e:
        return _refused(request, e)
    result, problems = None, []
    if request.method == "POST":
        result = verify_chain()
        anchor = _anchor()
        if anchor is not None and not anchor.ok:
            zh = translation.get_language().startswith("zh")
            problems = [z if zh else e for z, e in anchor.problems]
        ok = result.ok and not problems
        _record(request.user, "audit.chain.verify",
                "校验留痕：" + ("完整" if ok else (f"第{_record_no(result)}条起异常" if not result.ok else "与检查点不符")))
        request.session[_VERDICT] = {"intact": bool(result.ok and not problems), "words": _verdict(result),
                                     "problems": list(problems)}
        return redirect("audit-verify")
    elif request.method != "GET":
        return HttpResponse(status=405)
    verdict = request.session.pop(_VERDICT, None)
    return render(request, "security/audit_verify.html",
                  {"result": verdict, "intact": bool(verdict and verdict["intact"]),
                   "words": verdict["words"] if verdict else "", "problems": verdict["problems"] if verdict else []})


_VERDICT = "audit_verify_verdict"  # the session key of the last check's verdict, shown once


def _anchor():
    """The chain compared with its signed checkpoints, where the audit app keeps them."""
    from zhengwu.audit import selectors

    verify_anchor = getattr(selectors, "verify_anchor", None)
    return verify_anchor() if verify_anchor else None


def _verdict(result) -> str:
    if result is None:
        return ""
    if result.ok:
        text = _("The audit trail is intact: all %(n)s records were checked and none has been changed, "
                 "removed or inserted.") % {"n": result.checked}
        if result.unchained:
            text += " " + _("%(n)s records were written without the chain (benchmark mode) and could not be "
                            "checked.") % {"n": result.unchained}
        return text
    return _("The audit trail has been tampered with or damaged: the check stopped at record No. %(seq)s. "
             "Keep the database as it is and report it to the security officer.") % {"seq": _record_no(result)}


def _record_no(result) -> int | None:
    """The record number the auditor finds in the trail (its seq), else its place in its chain."""
    return result.first_bad_event or result.first_bad_seq


@login_required
@require_safe
def export_xlsx(request):
    """The filtered trail as an .xlsx file (at most EXPORT_MAX rows, newest first)."""
    try:
        _require_auditor(request)
        filters = parse_filters(request.GET)
    except Refused as e:
        return _refused(request, e)
    names = dict(object_types())
    events = list(trail(filters)[:EXPORT_MAX + 1])
    truncated = len(events) > EXPORT_MAX
    data = workbook(rows(events[:EXPORT_MAX], names), filters=filters, truncated=truncated, names=names)
    _record(request.user, "audit.trail.export", f"导出留痕{min(len(events), EXPORT_MAX)}条（{describe(filters, names)}）")
    name = f"留痕-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(name, f"audit-{timezone.localdate():%Y%m%d}.xlsx")
    return response


def describe(filters: TrailFilters, names: Mapping[str, str]) -> str:
    parts = []
    if filters.start or filters.end:
        parts.append(f"{filters.start or '…'}至{filters.end or '…'}")
    if filters.actor:
        parts.append(f"操作人含“{filters.actor}”")
    if filters.action:
        parts.append(f"操作：{catalogue.label(filters.action)}")
    if filters.obj_type:
        parts.append(f"对象：{object_label(filters.obj_type, names)}")
    if filters.text:
        parts.append(f"摘要含“{filters.text}”")
    return "；".join(parts) or "全部"


COLUMNS = [("时间", 20), ("操作人", 22), ("操作", 22), ("对象", 16), ("对象编号", 10), ("摘要", 60), ("依据条款", 12)]


def workbook(data: list[dict], *, filters: TrailFilters, truncated: bool, names: Mapping[str, str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from zhengwu.output.excel import safe_cell, workbook_bytes
    from zhengwu.rulebook import to_chinese

    wb = Workbook()
    ws = wb.active
    ws.title = "留痕"
    note = f"筛选：{describe(filters, names)}　　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"
    if truncated:
        note += f"　　仅导出最近的{EXPORT_MAX}条，请缩小筛选范围"
    ws.append([safe_cell("留痕记录（审计）")])
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    ws.append([safe_cell(note)])
    ws.append([label for label, _w in COLUMNS])
    for i, (_label, width) in enumerate(COLUMNS, start=1):
        ws.cell(row=3, column=i).font = Font(name="宋体", bold=True)
        ws.column_dimensions[chr(64 + i)].width = width
    for r in data:
        article = f"第{to_chinese(int(r['article']))}条" if r["article"] else ""
        ws.append([safe_cell(v) for v in (r["at"].replace(tzinfo=None), r["actor"], r["action"], r["object"],
                                          r["obj_id"], r["summary"], article)])
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd hh:mm:ss"
        ws.cell(row=ws.max_row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)
