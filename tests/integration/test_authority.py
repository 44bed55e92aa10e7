"""Every door guarded (issue "Every door guarded"): for every route step that carries authority,
each door that completes or hands on (转办) a step — the service, the API, the inbox page and the
CLI — refuses each wrong kind of person (another 副区长, the 常务副区长 where only the 区长 may act,
the office, a department head) with the article behind the step, and nothing
changes; the rightful holder, and whoever acts for them during a recorded absence (art. 15), still
succeed. Then the attacks measured on main, on real objects: a 副区长 signing a 区政府 document, a
leader's 批示 handed to a town head, a 会签 handed to an administrator account, a 副区长 signing 常务会议 minutes
through the generic task API, a member granting his own leave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhengwu import cli, rules
from zhengwu.api.services import api_token_create
from zhengwu.audit.models import AuditEvent
from zhengwu.errors import Forbidden, Refused
from zhengwu.org import services as org_services
from zhengwu.org.models import Person, Position, Unit
from zhengwu.workflow import authority, services
from zhengwu.workflow.models import Approval, Task
from zhengwu.workflow.selectors import route_article

pytestmark = pytest.mark.django_db


def p(username: str) -> Person:
    return Person.objects.get(username=username)


def u(short_name: str) -> Unit:
    return Unit.objects.get(short_name=short_name)


def post_of(username: str) -> Position:
    return p(username).appointments.get().position


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


# route, originator, applicant unit (short name), context (unit names and chairs resolved below)
ROUTES = [
    ("doc.intake", "jyj", "教育局", {"major": True}),
    ("doc.intake_urgent", "dfx", "东风乡", {"major": True}),
    ("doc.issue_government", "wenshu", "区政府办", {"countersign": True, "countersign_units": ["财政局"]}),
    ("doc.signed_by_head", "wenshu", "区政府办", {}),
    ("doc.issue_office", "wenshu", "区政府办", {}),
    ("doc.issue_office_by_head", "wenshu", "区政府办", {}),
    ("doc.countersign", "jyj", "教育局", {"countersign_units": ["财政局"]}),
    ("minutes.standing", "wenshu", None, {}),
    ("minutes.head_office", "wenshu", None, {}),
    ("minutes.topical", "wenshu", None, {"chair": "fuqu1"}),
    ("meeting.approval", "wenshu", "区政府办", {}),
    ("meeting.approval_special", "jyj", "教育局", {}),
    ("meeting.leave", "fuqu2", None, {"chair": "quzhang"}),
    ("leave.deputy_head", "fuqu1", None, {}),
    ("decisions.implementation", "wenshu", "教育局", {}),
]

# one of each wrong kind, in order of preference; the first not eligible for the step is tried
WRONG_KINDS = {
    "another 副区长": ["fuqu3", "fuqu4", "fuqu1"],
    "the 常务副区长": ["changwu"],
    "the office": ["bgs-zhuren", "bgs-fuzhuren"],
    "a department head": ["czj", "sfj", "fgj"],
}
# (the administrator accounts are refused before any step authority: tests/security/test_admins_business.py)


def start(route_id: str, originator: str, unit: str | None, context: dict) -> Approval:
    ctx = {k: v for k, v in context.items() if k not in ("countersign_units", "chair")}
    if "countersign_units" in context:
        ctx["countersign_unit_ids"] = [u(n).pk for n in context["countersign_units"]]
    if "chair" in context:
        ctx["chair_position_id"] = post_of(context["chair"]).pk
    return services.approval_start(actor=p(originator), route_id=route_id, obj_type="test.authority", obj_id=route_id,
                                   title=f"测试：{route_id}", applicant_unit=u(unit) if unit else None, context=ctx)


def open_steps(approval: Approval) -> list[Task]:
    return list(approval.tasks.filter(status=Task.Status.OPEN, kind=Task.Kind.STEP).order_by("id"))


def wrong_people(approval: Approval, task: Task) -> dict[str, Person]:
    allowed = authority.eligible(approval, task, rules.today()).people
    found = {}
    for kind, names in WRONG_KINDS.items():
        for name in names:
            person = p(name)
            if person.pk not in allowed:
                found[kind] = person
                break
    return found


def state(approval: Approval):
    return (sorted(Task.objects.filter(approval=approval).values_list("pk", "status", "assignee_id", "version")),
            Approval.objects.filter(pk=approval.pk).values_list("status", "stage").get(), AuditEvent.objects.count())


class Doors:
    """The ways in: the services, the API, the inbox page, the CLI."""

    def __init__(self, capsys):
        self.capsys = capsys
        self._tokens: dict[str, dict] = {}
        self._clients: dict[str, Client] = {}
        self.api = Client()

    def _web(self, person: Person) -> Client:
        if person.username not in self._clients:
            self._clients[person.username] = c = Client()
            c.force_login(person)
        return self._clients[person.username]

    def _bearer(self, person: Person) -> dict:
        if person.username not in self._tokens:
            _t, key = api_token_create(actor=None, person=person, name="测试")
            self._tokens[person.username] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        return self._tokens[person.username]

    def prepare(self, *people: Person) -> None:
        """Their API tokens and web sessions (logins are audited) before a snapshot is taken."""
        for person in people:
            self._bearer(person), self._web(person)

    @staticmethod
    def _answer(task: Task) -> dict:
        return {"decision": task.choices[0]} if task.choices else {"opinion": "同意"}

    def complete(self, door: str, person: Person, task: Task):
        """(refused?, the text shown) for `person` completing `task` through `door`."""
        if door == "service":
            try:
                services.task_complete(actor=person, task_id=task.pk, **self._answer(task))
            except Refused as e:
                return True, e.message, e
            return False, "", None
        if door == "api":
            r = self.api.post(f"/api/v1/tasks/{task.pk}/complete", self._answer(task),
                              content_type="application/json", **self._bearer(person))
            return r.status_code >= 400, r.content.decode(), r.status_code
        if door == "web":
            r = self._web(person).post(f"/tasks/{task.pk}/", {"op": "complete", "version": task.version, **self._answer(task)})
            return r.status_code >= 400, r.content.decode(), r.status_code
        if door == "cli":
            args = ["task", "complete", str(task.pk), "--as", person.username]
            args += ["--decision", task.choices[0]] if task.choices else ["--opinion", "同意"]
            code = cli.main(args)
            return code != 0, self.capsys.readouterr().err, code
        raise AssertionError(door)

    def reassign(self, door: str, actor: Person, task: Task, to: Person):
        if door == "service":
            try:
                services.task_reassign(actor=actor, task_id=task.pk, to=to, note="请办理")
            except Refused as e:
                return True, e.message, e
            return False, "", None
        if door == "api":
            r = self.api.post(f"/api/v1/tasks/{task.pk}/reassign", {"to": to.username, "note": "请办理"},
                              content_type="application/json", **self._bearer(actor))
            return r.status_code >= 400, r.content.decode(), r.status_code
        if door == "web":
            r = self._web(actor).post(f"/tasks/{task.pk}/", {"op": "reassign", "to": to.pk, "note": "请办理", "version": task.version})
            return r.status_code >= 400, r.content.decode(), r.status_code
        if door == "cli":
            code = cli.main(["task", "reassign", str(task.pk), "--as", actor.username, "--to", to.username])
            return code != 0, self.capsys.readouterr().err, code
        raise AssertionError(door)


DOORS = ("service", "api", "web", "cli")


def cite_of(approval: Approval) -> str:
    return rules.book().cite(route_article(approval))


def assert_every_door_refuses(doors: Doors, approval: Approval, task: Task) -> int:
    """Each wrong kind of person, through each door, completing the step or being handed it."""
    cite = cite_of(approval)
    holder = task.assignee
    tried = 0
    for kind, wrong in wrong_people(approval, task).items():
        doors.prepare(wrong, holder)
        for door in DOORS:
            before = state(approval)
            refused, text, detail = doors.complete(door, wrong, task)
            assert refused, f"{approval.route_id}/{task.step_id}: {kind} ({wrong}) completed it through {door}"
            assert cite in text, f"{approval.route_id}/{task.step_id} {door} {kind}: {text[:300]}"
            assert state(approval) == before, f"{door} {kind}: something changed"
            refused, text, detail = doors.reassign(door, holder, task, wrong)
            assert refused, f"{approval.route_id}/{task.step_id}: handed to {kind} ({wrong}) through {door}"
            assert cite in text, f"{approval.route_id}/{task.step_id} reassign {door} {kind}: {text[:300]}"
            assert state(approval) == before, f"reassign {door} {kind}: something changed"
            tried += 2
    return tried


@pytest.mark.parametrize("route_id,originator,unit,context", ROUTES, ids=[r[0] for r in ROUTES])
def test_every_step_refuses_each_wrong_person_at_each_door_and_its_holder_completes_it(
        gov, capsys, route_id, originator, unit, context):
    approval = start(route_id, originator, unit, context)
    doors = Doors(capsys)
    steps_seen, tried = 0, 0
    for _ in range(12):  # the route's stages, one after another
        approval.refresh_from_db()
        tasks = open_steps(approval)
        if not tasks:
            break
        for task in tasks:
            tried += assert_every_door_refuses(doors, approval, task)
            refused, text, _ = doors.complete("service", task.assignee, task)  # the rightful holder
            assert not refused, f"{route_id}/{task.step_id}: the holder {task.assignee} was refused: {text}"
            done = Task.objects.get(pk=task.pk)
            assert (done.status, done.completed_by_id, done.completed_as) == ("done", task.assignee_id, "holder")
            steps_seen += 1
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED and steps_seen >= 1 and tried >= 8 * steps_seen


@pytest.mark.rules("R15.step_holder")
@pytest.mark.parametrize("door", DOORS)
def test_the_holder_and_the_person_acting_during_a_recorded_absence_succeed_at_each_door(gov, capsys, door):
    doors = Doors(capsys)
    today = rules.today()
    # the 区长's 签发: the 常务副区长 acts for him while he is away (art. 15)
    approval = start("doc.issue_government", "wenshu", "区政府办", {})
    for task in open_steps(approval)[:1]:
        services.task_complete(actor=task.assignee, task_id=task.pk, opinion="同意")
    while (tasks := open_steps(approval)) and tasks[0].step_id != "head_sign":
        services.task_complete(actor=tasks[0].assignee, task_id=tasks[0].pk, opinion="同意")
    [sign] = open_steps(approval)
    assert sign.assignee.username == "quzhang"
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=today, end=today, reason="赴省开会")
    refused, text, _ = doors.complete(door, p("changwu"), sign)
    assert not refused, text
    done = Task.objects.get(pk=sign.pk)
    assert (done.completed_by.username, done.completed_as) == ("changwu", "acting")

    # a 副区长's 批示 while he is away: the 副区长 the 区长 designated acts for him, another may not
    approval = start("doc.intake", "jyj", "教育局", {})
    [review] = open_steps(approval)
    services.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅")
    [instruct] = open_steps(approval)
    assert instruct.assignee.username == "fuqu2"
    org_services.absence_create(actor=p("quzhang"), person=p("fuqu2"), start=today, end=today, reason="休假",
                                substitute=p("fuqu4"), designated_by=p("quzhang"))
    refused, text, _ = doors.complete(door, p("fuqu3"), instruct)
    assert refused and cite_of(approval) in text
    refused, text, _ = doors.complete(door, p("fuqu4"), instruct)
    assert not refused, text
    assert Task.objects.get(pk=instruct.pk).completed_as == "acting"


@pytest.mark.rules("R15.step_holder")
@pytest.mark.parametrize("door", DOORS)
def test_what_the_district_head_signs_himself_has_no_substitute_even_while_he_is_away(gov, capsys, door):
    doors = Doors(capsys)
    today = rules.today()
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=today, end=today, reason="赴省开会")
    approval = start("doc.signed_by_head", "wenshu", "区政府办", {})
    while (tasks := open_steps(approval)) and tasks[0].step_id != "head_sign":
        services.task_complete(actor=tasks[0].assignee, task_id=tasks[0].pk, opinion="同意")
    [sign] = open_steps(approval)
    assert sign.assignee.username == "quzhang"  # it waits for him: 由区长签署 (art. 69)
    doors.prepare(p("changwu"), p("bgs-zhuren"), p("quzhang"))
    before = state(approval)
    refused, text, _ = doors.complete(door, p("changwu"), sign)
    assert refused and "第六十九条" in text and "区长本人" in text
    assert state(approval) == before
    refused, text, _ = doors.reassign(door, p("bgs-zhuren"), sign, p("changwu"))
    assert refused and "第六十九条" in text
    assert state(approval) == before
    refused, text, _ = doors.complete(door, p("quzhang"), sign)  # on his phone, away: still his own
    assert not refused, text


def test_a_step_nobody_holds_is_handed_on_by_the_office_not_completed_in_the_leaders_place(gov):
    today = rules.today()
    # the 分管领导 of the 教育局 leaves and nobody acts for the post
    appt = p("fuqu2").appointments.get()
    org_services.appointment_end(actor=None, appointment=appt, end=today)
    approval = start("doc.intake", "jyj", "教育局", {})
    [review] = open_steps(approval)
    services.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅")
    [fallback] = open_steps(approval)
    assert fallback.fallback and fallback.assignee.username == "bgs-zhuren"
    with pytest.raises(Forbidden) as e:  # the office director does not write the leader's 批示
        services.task_complete(actor=p("bgs-zhuren"), task_id=fallback.pk, opinion="同意")
    assert e.value.message.endswith("（《工作规则》第六十八条）")
    with pytest.raises(Forbidden):  # nor hands it to someone who holds no post of the step
        services.task_reassign(actor=p("bgs-zhuren"), task_id=fallback.pk, to=p("fuqu3"))


# ---- the attacks measured on main, on real objects ---------------------------------------------

def government_document():
    from zhengwu.documents import issuing
    from zhengwu.documents import services as documents

    doc = documents.document_draft(actor=p("wenshu"), unit=u("区政府办"), direction="outgoing", kind="通知",
                                   issuing_as="government", title="关于做好冬季供暖保障工作的通知",
                                   main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"], body="……",
                                   facts={"in_annual_plan": True})
    issuing.document_send_for_signing(actor=p("wenshu"), document_id=doc.pk)
    doc.refresh_from_db()
    while (tasks := open_steps(doc.approval)) and tasks[0].step_id != "head_sign":
        services.task_complete(actor=tasks[0].assignee, task_id=tasks[0].pk, opinion="同意")
    doc.refresh_from_db()
    return doc, open_steps(doc.approval)[0]


@pytest.mark.rules("R15.step_holder", "R69.government_issue")
def test_a_deputy_cannot_sign_a_government_document_handed_to_him_and_the_signer_is_who_signed(gov, capsys):
    doors = Doors(capsys)
    doc, sign = government_document()
    doors.prepare(p("bgs-zhuren"), p("fuqu1"))
    before = state(doc.approval)
    # the 办公室主任 hands the 区长's 签发 to a 副区长 through the API: refused citing art. 69
    refused, text, status = doors.reassign("api", p("bgs-zhuren"), sign, p("fuqu1"))
    assert refused and status == 403 and "第六十九条" in text
    refused, text, status = doors.complete("api", p("fuqu1"), sign)
    assert refused and status == 403 and "第六十九条" in text
    assert state(doc.approval) == before
    doc.refresh_from_db()
    assert (doc.status, doc.signer_id, doc.doc_number) == ("in_approval", None, "")
    # the 区长 away: the 常务副区长 signs for him, and the document records him as acting for the 区长
    today = rules.today()
    org_services.absence_create(actor=None, person=p("quzhang"), designated_by=p("quzhang"), start=today, end=today, reason="赴省开会")
    services.task_complete(actor=p("changwu"), task_id=sign.pk, opinion="同意")
    doc.refresh_from_db()
    assert (doc.status, doc.signer.username, doc.signer_position, doc.signer_acting) == ("signed", "changwu", "区长", True)
    signed = AuditEvent.objects.filter(obj_type="documents.document", obj_id=str(doc.pk), action="documents.document.sign")
    assert signed.count() == 1 and signed.get().article == 69 and signed.get().actor_id == p("changwu").pk
    assert not AuditEvent.objects.filter(obj_id=str(doc.pk), action="documents.document.issue").exists()  # 印发 is another act


def test_the_district_head_signing_himself_is_recorded_as_the_holder(gov):
    doc, sign = government_document()
    services.task_complete(actor=p("quzhang"), task_id=sign.pk, opinion="同意")
    doc.refresh_from_db()
    assert (doc.signer.username, doc.signer_position, doc.signer_acting) == ("quzhang", "区长", False)


def test_a_leaders_instruction_cannot_go_to_a_town_head_nor_a_countersign_to_an_administrator(gov, capsys):
    doors = Doors(capsys)
    approval = start("doc.intake", "jyj", "教育局", {})
    [review] = open_steps(approval)
    services.task_complete(actor=review.assignee, task_id=review.pk, opinion="呈阅")
    [instruct] = open_steps(approval)
    for door in DOORS:
        refused, text, _ = doors.reassign(door, p("bgs-zhuren"), instruct, p("dfx"))
        assert refused and "第六十八条" in text, door
    approval = start("doc.countersign", "jyj", "教育局", {"countersign_units": ["财政局"]})
    [countersign] = open_steps(approval)
    for door in DOORS:
        refused, text, _ = doors.reassign(door, p("czj"), countersign, p("sysadmin"))
        assert refused and "不能承办业务（三权分立）" in text, door
    assert Task.objects.get(pk=countersign.pk).status == "open"


@pytest.mark.rules("R60.minutes")
def test_a_deputy_cannot_sign_standing_minutes_through_the_task_api_after_the_minutes_page_refused_him(gov, capsys):
    from meetings_support import MEETING_DAY, held

    from zhengwu.meetings import services as meetings
    from zhengwu.meetings.models import Minutes

    doors = Doors(capsys)
    meeting = held("standing")
    minutes = meetings.minutes_draft(actor=p("wenshu"), meeting_id=meeting.pk, number="〔2026〕23号", body="一、……")
    minutes = meetings.minutes_submit(actor=p("wenshu"), minutes_id=minutes.pk, on=MEETING_DAY)
    meetings.minutes_review(actor=p("bgs-zhuren"), minutes_id=minutes.pk, on=MEETING_DAY)
    [sign] = Task.objects.filter(approval_id=minutes.approval_id, status="open", step_id="head_sign")
    with pytest.raises(Refused) as e:  # the minutes page
        meetings.minutes_sign(actor=p("fuqu1"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert e.value.message.endswith("（《工作规则》第六十条）")
    doors.prepare(p("fuqu1"))
    for door in DOORS:  # the generic task doors give the same answer
        refused, text, _ = doors.complete(door, p("fuqu1"), sign)
        assert refused and "第六十条" in text, door
    assert Minutes.objects.get(pk=minutes.pk).status == "reviewed"
    meetings.minutes_sign(actor=p("quzhang"), minutes_id=minutes.pk, on=MEETING_DAY)
    assert Minutes.objects.get(pk=minutes.pk).signed_by.username == "quzhang"


@pytest.mark.rules("R64.leave")
def test_a_member_cannot_grant_his_own_leave_through_any_door(gov, capsys):
    from meetings_support import DAY, at, schedule

    from zhengwu.meetings import services as meetings
    from zhengwu.meetings.models import Attendance

    doors = Doors(capsys)
    meeting = schedule("topical", chair="fuqu1", member_ids=[p(x).pk for x in ("fuqu2", "czj")])
    att = meetings.leave_request(actor=p("fuqu2"), meeting_id=meeting.pk, reason="赴省开会", at=at(DAY, 10))
    [task] = Task.objects.filter(approval_id=att.leave_approval_id, status="open")
    assert task.assignee.username == "fuqu1"
    doors.prepare(p("fuqu2"), p("fuqu1"))
    for door in DOORS:
        refused, text, _ = doors.complete(door, p("fuqu2"), task)
        assert refused and "第六十四条" in text, door
        refused, text, _ = doors.reassign(door, p("fuqu1"), task, p("fuqu2"))
        assert refused and "第六十四条" in text, door
    with pytest.raises(Refused):  # the meetings page
        meetings.leave_decide(actor=p("fuqu2"), attendance_id=att.pk, approve=True)
    assert Attendance.objects.get(pk=att.pk).status == "leave_requested"
    meetings.leave_decide(actor=p("fuqu1"), attendance_id=att.pk, approve=True)
    assert Attendance.objects.get(pk=att.pk).status == "on_leave"
