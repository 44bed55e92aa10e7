"""`zhengwu audit verify --state` (issue 12): business rows changed behind the services' back — a
direct UPDATE of a document's status, number or signer, a minutes' signer, an approval's outcome —
are reported, naming the object and the field; the demo, written by the services, is clean.

The full demo is loaded once for the module; each test alters rows inside its own savepoint.
"""

from django.db import connection

from zhengwu import cli
from zhengwu.audit import checkpoints
from zhengwu.audit.chain import audit_key
from zhengwu.audit.models import ChainHead
from zhengwu.audit.state import check_state
from zhengwu.documents.models import Document
from zhengwu.meetings.models import Minutes
from zhengwu.workflow.models import Approval


def raw_update(table: str, pk: int, **values) -> None:
    """As with a database client: no service, no audit event."""
    sets = ", ".join(f"{connection.ops.quote_name(k)} = %s" for k in values)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {sets} WHERE id = %s", [*values.values(), pk])


def reported(obj_type: str, obj_id) -> list[str]:
    return [m.field for m in check_state() if (m.obj_type, m.obj_id) == (obj_type, str(obj_id))]


def test_the_demo_written_by_the_services_agrees_with_its_trail(full_demo, settings, tmp_path, capsys):
    assert check_state() == []
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    # as the demo's COMMITs would have: one checkpoint per chain (each government's, the platform's: id 0)
    checkpoints.record([(h.pk or None, h.last_seq, h.last_hash) for h in ChainHead.objects.order_by("pk")], audit_key())
    assert cli.main(["audit", "verify", "--state"]) == 0
    out, err = capsys.readouterr()
    assert "business rows agree with the trail" in out and "业务数据与留痕一致" in out and err == ""


def test_a_document_status_set_by_sql_is_reported_naming_object_and_field(full_demo, capsys):
    doc = Document.objects.filter(status=Document.Status.SIGNED).first() or Document.objects.first()
    raw_update("documents_document", doc.pk, status="issued" if doc.status != "issued" else "draft")
    assert reported("documents.document", doc.pk) == ["status"]
    assert cli.main(["audit", "verify", "--state"]) == 1
    err = capsys.readouterr().err
    assert f"document #{doc.pk} field status: the trail says '{doc.status}'" in err
    assert f"公文 #{doc.pk} 的状态（status）" in err


def test_document_numbers_and_signer_set_by_sql_are_reported(full_demo):
    issued = Document.objects.exclude(doc_number="").exclude(signer=None).first()
    incoming = Document.objects.exclude(intake_number="").first()
    other = Document.objects.exclude(signer=None).exclude(signer_id=issued.signer_id).values_list("signer_id", flat=True).first()
    raw_update("documents_document", issued.pk, doc_number="白洮政〔2026〕999号", signer_id=other)
    raw_update("documents_document", incoming.pk, intake_number="伪造收〔2026〕1号")
    assert sorted(reported("documents.document", issued.pk)) == ["doc_number", "signer"]
    assert reported("documents.document", incoming.pk) == ["intake_number"]


def test_an_approval_outcome_set_by_sql_is_reported(full_demo):
    running = Approval.objects.filter(status=Approval.Status.RUNNING).first()
    raw_update("workflow_approval", running.pk, status="approved")
    (m,) = [m for m in check_state() if m.obj_type == "workflow.approval"]
    assert (m.obj_id, m.field, m.audited, m.found) == (str(running.pk), "status", "running", "approved")
    assert "审批" in m.zh and "办理结果" in m.zh


def test_a_minutes_signer_set_by_sql_is_reported(full_demo):
    minutes = Minutes.objects.first()
    someone = Document.objects.values_list("created_by_id", flat=True).first()
    raw_update("meetings_minutes", minutes.pk, signed_by_id=someone if minutes.signed_by_id != someone else None)
    assert reported("meetings.minutes", minutes.pk) == ["signed_by"]


def test_a_row_written_without_any_service_is_reported(full_demo):
    model = Approval.objects.first()
    forged = Approval.objects.create(route_id=model.route_id, rulebook_id=model.rulebook_id, obj_type="documents.document",
                                     obj_id="1", title="伪造的审批", originator_id=model.originator_id,
                                     started_on=model.started_on, status=Approval.Status.APPROVED)
    (m,) = check_state()
    assert (m.obj_type, m.obj_id, m.field) == ("workflow.approval", str(forged.pk), "")
    assert "no audit event at all" in m.en


def test_writing_the_audited_value_back_is_not_reported(full_demo):
    doc = Document.objects.first()
    raw_update("documents_document", doc.pk, status=doc.status)
    assert check_state() == []
