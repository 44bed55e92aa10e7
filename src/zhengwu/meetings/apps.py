from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhengwu.meetings"
    label = "meetings"
    verbose_name = "会议"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of meetings, leave and minutes)
        from . import desk  # noqa: F401  (pending work: items awaiting confirmation, zhengwu.workflow.pending)
        from .tick import meetings_tick

        register_tick("meetings", meetings_tick)
        from zhengwu.documents.signals import document_issued

        document_issued.connect(_document_issued, dispatch_uid="zhengwu.meetings.followups")
        register_actions({
            "meetings.room.create": "登记会议室",
            "meetings.meeting.schedule": "安排会议",
            "meetings.meeting.update": "修改会议安排",
            "meetings.meeting.cancel": "取消会议",
            "meetings.meeting.submit": "会议报批",
            "meetings.meeting.approve": "会议审定",
            "meetings.meeting.refuse": "会议未获审定",
            "meetings.meeting.remind": "会前提醒",
            "meetings.meeting.open": "开会",
            "meetings.meeting.close": "散会",
            "meetings.frequency.alert": "例会到期提醒",
            "meetings.attendance.invite": "增加列席人员",
            "meetings.attendance.leave_request": "会前请假",
            "meetings.attendance.leave_decide": "批复请假",
            "meetings.attendance.views": "提交书面意见",
            "meetings.attendance.sign_in": "签到",
            "meetings.item.propose": "提出议题",
            "meetings.item.update": "修改议题",
            "meetings.item.confirm": "确定议题",
            "meetings.item.withdraw": "撤回议题",
            "meetings.item.decide": "议题决定",
            "meetings.opinion.record": "记录发言意见",
            "meetings.minutes.draft": "起草会议纪要",
            "meetings.minutes.update": "修改会议纪要",
            "meetings.minutes.submit": "纪要送核",
            "meetings.minutes.review": "纪要核报",
            "meetings.minutes.sign": "纪要签发",
            "meetings.followup.create": "登记会议决定印发文件",
            "meetings.followup.link": "关联公文",
            "meetings.followup.issued": "登记文件印发",
            "meetings.followup.remind": "会议决定文件印发催办",
        })


def _document_issued(sender, *, actor, document, on, **kwargs) -> None:
    from .services import followups_issued_with_document

    followups_issued_with_document(actor=actor, document=document, issued_on=on)
