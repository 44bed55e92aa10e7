"""The decisions demo: one 重大项目投资 half-way through its procedures, one dossier complete and
ready, one decided and tracked — all made through the services, so the demo obeys the rules."""

import datetime as dt

import pytest

from zhengwu.audit.models import AuditEvent
from zhengwu.decisions import demo, selectors
from zhengwu.meetings.models import Meeting
from zhengwu.org import demo as org_demo

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


@pytest.mark.rules("W32.implementation", "W32.evaluation", "decisions.implementation", "decisions.evaluation",
                   "R28.collective_decision", "R29.last_speaker")
def test_the_demo_has_a_dossier_in_each_state():
    org_demo.load()
    halfway, ready, decided = demo.load(on=DAY)
    assert (halfway.matter_type, halfway.status) == ("major_project", "assembling")
    missing = selectors.missing_steps(halfway, on=DAY)
    # two of the four procedures due before the agenda (the 集体讨论决定 is the deciding meeting's own)
    assert {m.article for m in missing} == {28, 30} and len([m for m in missing if m.article == 28]) == 2
    assert "collective_decision" not in {m.code for m in missing}
    assert ready.status == "ready" and not any(v.blocks for v in selectors.readiness(ready, on=DAY))
    assert (decided.status, decided.outcome) == ("implementing", "原则通过")
    # decided by a 常务会议 of its own (art. 28, 29): members spoke, the 区长 last; nothing recorded beforehand
    meeting = Meeting.objects.get(pk=decided.decision_meeting_id)
    assert (meeting.meeting_type, meeting.status, meeting.minutes.status) == ("standing", "closed", "signed")
    item = meeting.items.get(dossier=decided)
    assert [(o.speaker.username, o.is_chair) for o in item.opinions.order_by("order")][-1] == ("quzhang", True)
    assert item.opinions.filter(is_chair=False).count() >= 1
    assert not decided.procedures.filter(step="collective_decision").exists()
    assert {t.approval.route_id for t in selectors.followup_tasks(decided)} == {"decisions.implementation",
                                                                                "decisions.evaluation"}
    assert AuditEvent.objects.filter(obj_type="decisions.major_decision").count() >= 20
