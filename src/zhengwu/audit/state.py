"""`zhengwu audit verify --state`: do the business tables still say what the trail says?

The chain proves the trail has not been altered; it says nothing of a row changed behind the
services' back (`UPDATE documents_document SET status = 'issued'` with a database client). This
check replays the trail once (one pass, in seq order) and keeps, for every audited object of the
kinds below, the last value each watched field was given in an event's `after`; a field no event
ever set is expected to hold the model's default (its creating event recorded the object as
created). Then it reads the rows and reports:

- a watched field whose value differs from its last audited value (naming object and field);
- a row that has no event at all (written without a service, so without a trail);
- an audited object whose row is gone.

The services record the watched fields in `after` whenever they change them (a `transition(...,
to=…)` comes with `"status": …` in its audit event); tests/security/test_audit_anchor_state.py
runs the full demo and requires a clean report, so a service that forgets fails there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps

from zhengwu.audit import hashing
from zhengwu.audit.models import AuditEvent

CHUNK = 2000


@dataclass(frozen=True)
class Watched:
    obj_type: str  # as the trail names the objects
    model: str  # app_label.ModelName
    label_zh: str
    label_en: str
    fields: dict[str, str]  # key in the event's `after` → attname of the row
    names_zh: dict[str, str]


WATCHED = (
    Watched("documents.document", "documents.Document", "公文", "document",
            {"status": "status", "intake_number": "intake_number", "doc_number": "doc_number", "signer": "signer_id"},
            {"status": "状态", "intake_number": "收文号", "doc_number": "发文字号", "signer": "签发人"}),
    Watched("meetings.minutes", "meetings.Minutes", "会议纪要", "minutes",
            {"signed_by": "signed_by_id"}, {"signed_by": "签发人"}),
    Watched("workflow.approval", "workflow.Approval", "审批", "approval",
            {"status": "status"}, {"status": "办理结果"}),
)


@dataclass(frozen=True)
class Mismatch:
    obj_type: str
    obj_id: str
    field: str  # the key as the trail records it; "" for a row without trail / a trail without row
    audited: object
    found: object
    zh: str
    en: str


def _events(types: list[str]) -> Iterator[tuple[str, str, object]]:
    qs = (AuditEvent.objects.filter(obj_type__in=types).order_by("seq")
          .values_list("obj_type", "obj_id", "after"))
    yield from qs.iterator(chunk_size=CHUNK)


def _shown(value: object) -> str:
    return "（空）/ (empty)" if value in (None, "") else str(value)


def check_state(watched: tuple[Watched, ...] = WATCHED) -> list[Mismatch]:
    """Every disagreement between the watched rows and the trail (empty: all agree)."""
    by_type = {w.obj_type: w for w in watched}
    expected: dict[tuple[str, str], dict[str, object]] = {}
    for obj_type, obj_id, after in _events(list(by_type)):
        seen = expected.setdefault((obj_type, obj_id), {})
        if isinstance(after, dict):
            for key in by_type[obj_type].fields:
                if key in after:
                    seen[key] = after[key]

    out: list[Mismatch] = []
    for w in watched:
        model = apps.get_model(w.model)
        meta = model._meta
        defaults = {key: hashing.to_json_value(meta.get_field(att.removesuffix("_id")).get_default(), key)
                    for key, att in w.fields.items()}
        rows = model._default_manager.order_by("pk").values_list("pk", *w.fields.values())
        present: set[str] = set()
        for pk, *values in rows.iterator(chunk_size=CHUNK):
            obj_id = str(pk)
            present.add(obj_id)
            audited = expected.get((w.obj_type, obj_id))
            if audited is None:
                out.append(Mismatch(w.obj_type, obj_id, "", None, None,
                                    f"{w.label_zh} #{obj_id}：没有任何留痕记录（未经业务服务写入）",
                                    f"{w.label_en} #{obj_id}: has no audit event at all (written outside the services)"))
                continue
            for (key, _att), value in zip(w.fields.items(), values, strict=True):
                want = audited.get(key, defaults[key])
                have = hashing.to_json_value(value, key)
                if have != want:
                    out.append(Mismatch(
                        w.obj_type, obj_id, key, want, have,
                        f"{w.label_zh} #{obj_id} 的{w.names_zh[key]}（{key}）：留痕为 {_shown(want)}，数据库为 {_shown(have)}",
                        f"{w.label_en} #{obj_id} field {key}: the trail says {want!r}, the database holds {have!r}"))
        for obj_type, obj_id in expected:
            if obj_type == w.obj_type and obj_id not in present:
                out.append(Mismatch(w.obj_type, obj_id, "", None, None,
                                    f"{w.label_zh} #{obj_id}：留痕中有记录，数据库中已不存在",
                                    f"{w.label_en} #{obj_id}: audited, but its row is gone from the database"))
    return out
