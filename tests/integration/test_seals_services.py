"""印信 (arts. 82-84) through the services, each refusal both ways and citing its article: the
register of seals, the seal-use card's chain (the 区政府公章: 部门主要负责人 → 分管副区长 → 区长; a
department's seal: 科室负责人 → 分管领导 → 主要领导), stamping (never on blank paper; a 公文 only signed
and numbered, bound to its hash and copies), taking a seal out (办公室主任 and two people), the
introduction letters (serving staff, approvals, blank letters, gapless stubs, return and archive),
and the wrong person at the engine's task door."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengwu import rules
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Conflict, Forbidden, Refused
from zhengwu.org.models import Person, Unit
from zhengwu.seals import services
from zhengwu.seals.models import Letter, Seal, SealCard, SealTakeOut
from zhengwu.seals.tick import seals_tick
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Notification, Task

pytestmark = pytest.mark.django_db
C, T, L = SealCard.Status, SealTakeOut.Status, Letter.Status


@pytest.fixture
def gov(org_demo):
    return org_demo


def p(username):
    return Person.objects.get(username=username)


def unit(short):
    return Unit.objects.get(short_name=short)


def office():
    return Unit.objects.get(kind="gov_office")


def gov_seal():
    return services.seal_register(actor=p("bgs-zhuren"), unit_id=office().pk, kind="government",
                                  name="白城市洮北区人民政府", custodian_id=p("wenshu").pk, cut_on="2022-01-10")


def dept_seal():
    return services.seal_register(actor=p("bgs-zhuren"), unit_id=unit("财政局").pk, kind="department",
                                  name="白城市洮北区财政局", custodian_id=p("czj-ke").pk, cut_on="2019-03-01")


def card(seal, *, who="czj-fu", **kw):
    kw.setdefault("use_date", rules.today())
    kw.setdefault("content", "关于申请拨付冬季供热补贴资金的请示")
    kw.setdefault("copies", 2)
    kw.setdefault("user_id", p(who).pk)
    return services.card_create(actor=p(who), seal_id=seal.pk, **kw)


def open_task(approval_id):
    return Task.objects.filter(approval_id=approval_id, status=Task.Status.OPEN, kind=Task.Kind.STEP).order_by("id").first()


def sign(approval_id, *, approve=True, by=None):
    task = open_task(approval_id)
    return wf.task_complete(actor=by or task.assignee, task_id=task.pk,
                            decision=rules.choice_for(task.choices, approve))


def cited(e, rule_id, article):
    found = [v for v in e.violations if v.rule_id == rule_id]
    assert found, (rule_id, e.message, [v.rule_id for v in e.violations])
    assert all(v.article == article for v in found)
    return found[0]


# ---- the register (art. 82) ------------------------------------------------------------------------

@pytest.mark.rules("R82.custodian", "W82.seal_register")
def test_a_seal_is_registered_with_one_custodian_of_its_unit_kept_locked_art_82(gov):
    with pytest.raises(Refused) as e:
        services.seal_register(actor=p("bgs-zhuren"), unit_id=unit("财政局").pk, kind="department", name="财政局",
                               custodian_id=p("czj-ke").pk, kept_locked=False, cut_on="2019-03-01")
    assert cited(e.value, "R82.custodian", 82).field == "kept_locked"
    with pytest.raises(Refused) as e:  # the office's 文书 does not serve in the 财政局
        services.seal_register(actor=p("bgs-zhuren"), unit_id=unit("财政局").pk, kind="department", name="财政局",
                               custodian_id=p("wenshu").pk, cut_on="2019-03-01")
    assert cited(e.value, "R82.custodian", 82).message.endswith("（《工作规则》第八十二条）")
    with pytest.raises(Refused) as e:
        services.seal_register(actor=p("bgs-zhuren"), unit_id=unit("财政局").pk, kind="government", name="x",
                               custodian_id=p("czj-ke").pk, cut_on="2019-03-01")
    assert e.value.field == "unit_id"
    with pytest.raises(Forbidden):  # neither the office nor the unit's head
        services.seal_register(actor=p("czj-fu"), unit_id=unit("财政局").pk, kind="department", name="财政局",
                               custodian_id=p("czj-ke").pk, cut_on="2019-03-01")
    assert not Seal.objects.exists()
    seal = gov_seal()
    assert seal.custodian == p("wenshu") and seal.kept_locked and seal.status == Seal.Status.ACTIVE
    assert AuditEvent.objects.filter(action="seals.seal.register", obj_id=str(seal.pk), article=82).exists()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_impression_is_an_image_stored_by_its_checksum_and_the_seal_retires(gov):
    seal = gov_seal()
    with pytest.raises(Refused) as e:
        services.seal_impression(actor=p("bgs-zhuren"), seal_id=seal.pk, name="印模.png", data=b"%PDF-1.4 not an image")
    assert e.value.field == "file"
    seal = services.seal_impression(actor=p("bgs-zhuren"), seal_id=seal.pk, name="印模.png", data=PNG)
    assert len(seal.impression_sha256) == 64 and seal.impression_type == "image/png"
    with services.open_impression(seal) as fh:
        assert fh.read() == PNG
    with pytest.raises(Refused):
        services.seal_retire(actor=p("bgs-zhuren"), seal_id=seal.pk, retired_on="2020-01-01")  # before it was cut
    seal = services.seal_retire(actor=p("bgs-zhuren"), seal_id=seal.pk)
    assert seal.status == Seal.Status.RETIRED and seal.retired_on == rules.today()
    with pytest.raises(Refused) as e:
        card(seal)
    assert e.value.field == "seal_id"


# ---- the seal-use card (art. 83) -------------------------------------------------------------------

@pytest.mark.rules("seal.government", "R83.approval_chain", "R83.no_blank_paper", "R82.custodian_stamps",
                   "W83.use_register")
def test_the_government_seal_goes_unit_head_then_deputy_head_then_head_and_is_stamped_once_art_83(gov):
    seal = gov_seal()
    c = card(seal)
    assert c.status == C.PENDING and c.route_id == "seal.government"
    assert open_task(c.approval_id).assignee == p("czj")  # 部门主要负责人
    sign(c.approval_id)
    leader_task = open_task(c.approval_id)
    assert leader_task.assignee == p("changwu")  # the 分管副区长 of the 财政局
    # the 区长 cannot take the 分管副区长's step: the chain is not short-circuited (art. 83)
    with pytest.raises(Forbidden) as e:
        sign(c.approval_id, by=p("quzhang"))
    assert e.value.violations and e.value.violations[0].article == 83
    sign(c.approval_id)
    assert open_task(c.approval_id).assignee == p("quzhang")
    with pytest.raises(Refused) as e:  # not yet approved
        services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    cited(e.value, "R83.approval_chain", 83)
    sign(c.approval_id)
    c.refresh_from_db()
    assert c.status == C.APPROVED and c.approver == p("quzhang") and c.approved_on == rules.today()
    with pytest.raises(Refused) as e:  # the custodian stamps, nobody else (不准委托他人代管)
        services.card_stamp(actor=p("bgs-fuzhuren"), card_id=c.pk)
    cited(e.value, "R82.custodian_stamps", 82)
    with pytest.raises(Refused) as e:  # bound to the card's copies
        services.card_stamp(actor=p("wenshu"), card_id=c.pk, copies=5)
    assert e.value.field == "copies"
    c = services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    assert c.status == C.STAMPED and c.stamped_by == p("wenshu") and c.stamped_copies == 2 and c.stamped_at
    with pytest.raises(Conflict) as e:  # single-shot
        services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    assert e.value.status == 409 and e.value.field == "card_id"
    assert AuditEvent.objects.filter(action="seals.card.stamp", obj_id=str(c.pk)).count() == 1


@pytest.mark.rules("R83.approval_chain", "seal.government")
def test_a_card_marked_approved_without_the_deputy_heads_step_is_refused_at_the_stamp_art_83(gov):
    seal = gov_seal()
    c = card(seal)
    sign(c.approval_id)  # the 局长 only
    # whatever marks the card approved (a bug, a hand edit): the stamp checks the chain itself
    SealCard.objects.filter(pk=c.pk).update(status=C.APPROVED)
    with pytest.raises(Refused) as e:
        services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    v = cited(e.value, "R83.approval_chain", 83)
    assert "分管副区长审批签字" in v.message and "区长审批签字" in v.message
    assert SealCard.objects.get(pk=c.pk).stamped_at is None


@pytest.mark.rules("R83.card_fields")
def test_a_card_without_copies_is_refused_and_nothing_is_written_art_83(gov):
    seal = gov_seal()
    for copies in (None, 0, ""):
        with pytest.raises(Refused) as e:
            card(seal, copies=copies)
        assert cited(e.value, "R83.card_fields", 83).field == "copies"
    with pytest.raises(Refused) as e:
        card(seal, user_id=None)
    assert cited(e.value, "R83.card_fields", 83).field == "user_name"
    assert not SealCard.objects.exists() and not Task.objects.exists()
    assert card(seal, copies=1).copies == 1  # complies


@pytest.mark.rules("R83.card_fields", "R83.no_blank_paper")
def test_blank_paper_is_refused_art_83(gov):
    seal = gov_seal()
    with pytest.raises(Refused) as e:  # no content and no document: blank paper
        card(seal, content="   ")
    assert cited(e.value, "R83.card_fields", 83).field == "content"
    c = card(seal)
    for _ in range(3):
        sign(c.approval_id)
    SealCard.objects.filter(pk=c.pk).update(content="")  # a card emptied after approval
    with pytest.raises(Refused) as e:
        services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    assert cited(e.value, "R83.no_blank_paper", 83).field == "content"
    SealCard.objects.filter(pk=c.pk).update(content="关于申请拨付冬季供热补贴资金的请示")
    assert services.card_stamp(actor=p("wenshu"), card_id=c.pk).status == C.STAMPED


def _document(status="draft", number=""):
    from zhengwu.documents.models import Document

    return Document.objects.create(government=p("czj").government, direction="outgoing", kind="请示",
                                   title="关于申请拨付冬季供热补贴资金的请示", unit=unit("财政局"), body="正文",
                                   status=status, doc_number=number, created_by=p("czj-fu"))


@pytest.mark.rules("R83.no_blank_paper")
def test_a_document_is_stamped_only_signed_and_numbered_bound_to_its_hash_art_83(gov):
    seal = gov_seal()
    doc = _document()
    c = card(seal, content="", document_id=doc.pk)
    assert c.content.startswith("《关于申请拨付") and c.document_sha256 == ""
    for _ in range(3):
        sign(c.approval_id)
    with pytest.raises(Refused) as e:
        services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    assert cited(e.value, "R83.no_blank_paper", 83).field == "document"
    type(doc).objects.filter(pk=doc.pk).update(status="signed", doc_number="洮财发〔2026〕3号", signer=p("czj"),
                                               signed_on=rules.today())
    c = services.card_stamp(actor=p("wenshu"), card_id=c.pk)
    doc.refresh_from_db()
    assert c.document_sha256 == services.document_fingerprint(doc) and len(c.document_sha256) == 64
    # a card filled in for the signed version is bound to it: a later change is refused
    c2 = card(seal, content="", document_id=doc.pk)
    assert c2.document_sha256 == c.document_sha256
    for _ in range(3):
        sign(c2.approval_id)
    type(doc).objects.filter(pk=doc.pk).update(body="改动后的正文")
    with pytest.raises(Refused) as e:
        services.card_stamp(actor=p("wenshu"), card_id=c2.pk)
    assert "版本" in cited(e.value, "R83.no_blank_paper", 83).message


@pytest.mark.rules("seal.department", "R83.approval_chain")
def test_a_department_seal_follows_the_departments_own_chain_art_83(gov):
    seal = dept_seal()
    with pytest.raises(Forbidden):  # another unit's seal
        card(seal, who="jyj")
    c = card(seal)
    assert c.route_id == "seal.department"
    assert [open_task(c.approval_id).assignee.username] == ["czj-ke"]  # 科室负责人
    sign(c.approval_id)
    assert open_task(c.approval_id).assignee == p("czj-fu")  # 分管领导
    sign(c.approval_id)
    assert open_task(c.approval_id).assignee == p("czj")  # 主要领导
    sign(c.approval_id, approve=False)
    c.refresh_from_db()
    assert c.status == C.REFUSED
    with pytest.raises(Refused) as e:
        services.card_stamp(actor=p("czj-ke"), card_id=c.pk)
    cited(e.value, "R83.approval_chain", 83)


def test_a_card_sent_back_is_returned(gov):
    c = card(gov_seal())
    wf.task_return(actor=p("czj"), task_id=open_task(c.approval_id).pk, opinion="请补充附件")
    c.refresh_from_db()
    assert c.status == C.RETURNED and c.reason == "请补充附件"


# ---- taking a seal out (art. 83 (三)) ------------------------------------------------------------------

@pytest.mark.rules("R83.take_out", "seal.take_out", "W83.take_out_overdue")
def test_a_seal_goes_out_with_the_directors_signature_and_two_people_art_83(gov):
    seal = gov_seal()
    with pytest.raises(Refused) as e:  # one person: the custodian as the user
        services.take_out_request(actor=p("wenshu"), seal_id=seal.pk, user_id=p("wenshu").pk, purpose="赴市里加盖公章")
    assert cited(e.value, "R83.take_out", 83).field == "user"
    with pytest.raises(Refused) as e:
        services.take_out_request(actor=p("wenshu"), seal_id=seal.pk, user_id=None, purpose="赴市里加盖公章")
    cited(e.value, "R83.take_out", 83)
    assert not SealTakeOut.objects.exists()
    t = services.take_out_request(actor=p("bgs-fuzhuren"), seal_id=seal.pk, user_id=p("bgs-fuzhuren").pk,
                                  purpose="赴市政务服务中心现场加盖公章")
    assert open_task(t.approval_id).assignee == p("bgs-zhuren")
    with pytest.raises(Refused) as e:  # without the director's signature
        services.take_out_check_out(actor=p("wenshu"), take_out_id=t.pk)
    assert cited(e.value, "R83.take_out", 83).field == "approval"
    with pytest.raises(Forbidden):  # the 区长 does not sign for the office director
        sign(t.approval_id, by=p("quzhang"))
    sign(t.approval_id)
    t.refresh_from_db()
    assert t.status == T.APPROVED and t.signed_by == p("bgs-zhuren")
    with pytest.raises(Forbidden):  # neither the custodian nor the user
        services.take_out_check_out(actor=p("bgs-zhuren"), take_out_id=t.pk)
    t = services.take_out_check_out(actor=p("wenshu"), take_out_id=t.pk)
    hours = rules.param("seals.take_out_return_hours")
    assert t.status == T.OUT and t.due_back_at - t.checked_out_at == dt.timedelta(hours=hours)
    assert seals_tick(rules.today()).startswith("0 overdue")
    SealTakeOut.objects.filter(pk=t.pk).update(due_back_at=timezone.now() - dt.timedelta(minutes=1))
    assert seals_tick(rules.today()).startswith("1 overdue")
    told = set(Notification.objects.filter(key__startswith=f"seals:overdue:{t.pk}:").values_list("person__username", flat=True))
    assert told == {"wenshu", "bgs-fuzhuren", "bgs-zhuren"}
    assert seals_tick(rules.today()).startswith("0 overdue")  # told once
    t = services.take_out_return(actor=p("wenshu"), take_out_id=t.pk)
    assert t.status == T.BACK and t.returned_at >= t.checked_out_at


# ---- introduction letters (art. 84) ---------------------------------------------------------------

def book():
    return services.letter_book_create(actor=p("bgs-zhuren"), unit_id=unit("财政局").pk, custodian_id=p("czj-ke").pk)


def letter(b, **kw):
    kw.setdefault("bearer_id", p("czj-fu").pk)
    kw.setdefault("addressee", "白城市财政局")
    kw.setdefault("matter", "联系转移支付资金清算事宜")
    kw.setdefault("valid_until", rules.today() + dt.timedelta(days=15))
    return services.letter_request(actor=p("czj-ke"), book_id=b.pk, **kw)


@pytest.mark.rules("letter.ordinary", "R84.approval", "R84.validity", "R82.letter_custodian")
def test_an_ordinary_letter_is_approved_by_the_deputy_and_stubs_are_gapless_art_84(gov):
    b = book()
    x = letter(b)
    assert x.route_id == "letter.ordinary" and open_task(x.approval_id).assignee == p("czj-fu")
    with pytest.raises(Refused) as e:
        services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    cited(e.value, "R84.approval", 84)
    refused = letter(b)
    sign(refused.approval_id, approve=False)
    sign(x.approval_id)
    with pytest.raises(Refused) as e:  # the book's custodian issues
        services.letter_issue(actor=p("czj-fu"), letter_id=x.pk)
    cited(e.value, "R82.letter_custodian", 82)
    x = services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    assert x.status == L.ISSUED and x.seq == 1 and x.number == f"财政局介字〔{rules.today().year}〕1号"
    with pytest.raises(Refused):  # the refused one takes no number
        services.letter_issue(actor=p("czj-ke"), letter_id=refused.pk)
    y = letter(b)
    sign(y.approval_id)
    assert services.letter_issue(actor=p("czj-ke"), letter_id=y.pk).seq == 2
    with pytest.raises(Conflict):
        services.letter_issue(actor=p("czj-ke"), letter_id=y.pk)
    with pytest.raises(Refused) as e:
        letter(b, valid_until="")
    assert e.value.field == "valid_until"


@pytest.mark.rules("letter.important", "R84.approval")
def test_an_important_letter_is_approved_by_the_head_art_84(gov):
    x = letter(book(), important=True)
    assert x.route_id == "letter.important" and open_task(x.approval_id).assignee == p("czj")
    with pytest.raises(Forbidden):
        sign(x.approval_id, by=p("czj-fu"))
    sign(x.approval_id)
    assert services.letter_issue(actor=p("czj-ke"), letter_id=x.pk).status == L.ISSUED


@pytest.mark.rules("letter.non_staff", "R84.serving_staff")
def test_a_letter_for_a_retired_person_needs_the_office_directors_instruction_art_84(gov):
    b = book()
    with pytest.raises(Refused) as e:  # the special case must be stated
        letter(b, bearer_id=None, bearer_name="刘某（退休职工）")
    assert e.value.field == "reason"
    x = letter(b, bearer_id=None, bearer_name="刘某（退休职工）", reason="本人行动不便")
    assert x.route_id == "letter.non_staff" and not x.bearer_serving
    assert open_task(x.approval_id).assignee == p("bgs-zhuren")
    # without the 办公室主任's instruction it is not issued
    Letter.objects.filter(pk=x.pk).update(status=L.APPROVED, approved_steps=["deputy_approve"])
    with pytest.raises(Refused) as e:
        services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    assert cited(e.value, "R84.serving_staff", 84).message.endswith("（《工作规则》第八十四条）")
    Letter.objects.filter(pk=x.pk).update(status=L.PENDING, approved_steps=[])
    sign(x.approval_id)  # 办公室主任批示
    sign(x.approval_id)  # 分管领导审批
    x.refresh_from_db()
    assert x.status == L.APPROVED and set(x.approved_steps) == {"director_instruct", "deputy_approve"}
    assert services.letter_issue(actor=p("czj-ke"), letter_id=x.pk).status == L.ISSUED


@pytest.mark.rules("letter.blank", "R84.blank")
def test_a_blank_letter_needs_the_office_directors_approval_art_84(gov):
    b = book()
    x = letter(b, blank=True, addressee="", matter="", reason="接洽单位临行前确定")
    assert x.route_id == "letter.blank" and open_task(x.approval_id).assignee == p("bgs-zhuren")
    Letter.objects.filter(pk=x.pk).update(status=L.APPROVED, approved_steps=["deputy_approve"])
    with pytest.raises(Refused) as e:
        services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    cited(e.value, "R84.blank", 84)
    Letter.objects.filter(pk=x.pk).update(status=L.PENDING, approved_steps=[])
    sign(x.approval_id, approve=False)  # the 办公室主任 does not approve
    sign(x.approval_id)
    x.refresh_from_db()
    assert x.status == L.REFUSED
    with pytest.raises(Refused) as e:
        services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    cited(e.value, "R84.blank", 84)
    y = letter(b, blank=True, addressee="", matter="", reason="接洽单位临行前确定")
    sign(y.approval_id)
    sign(y.approval_id)
    assert services.letter_issue(actor=p("czj-ke"), letter_id=y.pk).status == L.ISSUED
    with pytest.raises(Refused) as e:  # a letter with nothing filled in is not blank by accident
        letter(b, addressee="", matter="")
    assert e.value.field == "addressee"


@pytest.mark.rules("letter.blank", "letter.important")
def test_an_important_blank_letter_goes_on_to_the_head_after_the_director(gov):
    x = letter(book(), blank=True, important=True, addressee="", matter="", reason="临行前确定")
    sign(x.approval_id)
    sign(x.approval_id)
    x.refresh_from_db()
    assert x.status == L.PENDING and x.route_id == "letter.important"
    assert open_task(x.approval_id).assignee == p("czj")
    sign(x.approval_id)
    x.refresh_from_db()
    assert x.status == L.APPROVED


@pytest.mark.rules("W84.stub_archive")
def test_unused_letters_go_back_to_the_stub_and_stubs_are_archived_the_next_year(gov):
    b = book()
    x = letter(b)
    sign(x.approval_id)
    services.letter_issue(actor=p("czj-ke"), letter_id=x.pk)
    with pytest.raises(Forbidden):
        services.letter_return(actor=p("czj-fu"), letter_id=x.pk)
    x = services.letter_return(actor=p("czj-ke"), letter_id=x.pk, note="未使用")
    assert x.status == L.RETURNED_UNUSED and x.returned_on == rules.today()
    today = rules.today()
    assert services.letters_archive(on=today) == 0  # this year's stubs stay with the unit
    assert seals_tick(dt.date(today.year + 1, 1, 2)).endswith("1 letter stubs archived")
    x.refresh_from_db()
    assert x.archived_on == dt.date(today.year + 1, 1, 2)
    assert services.letters_archive(on=dt.date(today.year + 1, 1, 3)) == 0  # once


def test_the_demo_has_every_state_and_real_work(gov):
    from zhengwu.seals import demo

    demo.load()
    assert set(SealCard.objects.values_list("status", flat=True)) == {C.PENDING, C.APPROVED, C.STAMPED, C.REFUSED,
                                                                      C.RETURNED}
    waiting = {t.assignee.username for t in Task.objects.filter(status="open", approval__obj_type="seals.card")}
    assert {"czj", "changwu", "quzhang", "czj-ke", "bgs-zhuren"} <= waiting  # real leaders' 待办
    assert SealTakeOut.objects.filter(status=T.OUT).exists() and SealTakeOut.objects.filter(status=T.PENDING).exists()
    stubs = Letter.objects.exclude(seq=None)
    assert sorted(stubs.values_list("seq", flat=True)) == [1, 2, 3]
    assert {L.ISSUED, L.RETURNED_UNUSED} <= set(stubs.values_list("status", flat=True))
    assert stubs.filter(blank=True, status=L.ISSUED).exists()
    assert Letter.objects.filter(route_id="letter.non_staff", status=L.PENDING).exists()


@pytest.mark.rules("seal.government", "letter.ordinary")
def test_the_office_itself_files_a_card_and_a_letter_its_director_and_deputy_sign_as_head_and_deputy(gov):
    c = card(gov_seal(), who="wenshu")
    assert c.unit == office()
    task = open_task(c.approval_id)
    assert task.assignee == p("bgs-zhuren")  # the office's 主要负责人
    with pytest.raises(Forbidden):
        sign(c.approval_id, by=p("bgs-fuzhuren"))
    sign(c.approval_id)
    assert open_task(c.approval_id).assignee == p("changwu")  # the office's 分管副区长
    sign(c.approval_id)
    sign(c.approval_id)
    c.refresh_from_db()
    assert c.status == C.APPROVED
    b = services.letter_book_create(actor=p("bgs-zhuren"), unit_id=office().pk, custodian_id=p("wenshu").pk)
    x = services.letter_request(actor=p("wenshu"), book_id=b.pk, bearer_id=p("wenshu").pk, addressee="市政府办公室",
                                matter="报送材料", valid_until=rules.today() + dt.timedelta(days=5))
    task = open_task(x.approval_id)
    assert task.assignee == p("bgs-fuzhuren") and not task.fallback  # the office's 分管负责人, directly
    with pytest.raises(Forbidden):  # the 分管负责人's step is the deputy's, not the director's
        sign(x.approval_id, by=p("bgs-zhuren"))
    sign(x.approval_id)
    x.refresh_from_db()
    assert x.status == L.APPROVED
