"""Leave and absence (arts. 15, 89), the org write API (arts. 10-15, 29) and the leaders' calendar (94)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "zhengwu.affairs.leave"
    label = "leave"
    verbose_name = "请假与外出"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections = [
        ("affairs:leave:index", _("Leave and absence reports"), _("A deputy head's leave asked of the district head; a department head's absence report")),
        ("affairs:leave:calendar", _("Leaders' calendar"), _("Every official activity of the leaders, arranged by the office"), "zhengwu.affairs.leave.access.sees_all"),
        ("affairs:leave:org", _("Organisation"), _("People, posts, appointments, absences and portfolios, kept by the office"), "zhengwu.affairs.leave.access.sees_all"),
    ]

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        from . import calendar, engine  # noqa: F401  (the subject contract; the calendar's own sources)

        register_actions({
            "leave.request.create": "外出请假或报告",
            "leave.request.decide": "区长对副区长外出请假作出决定",
            "leave.request.read": "分管领导阅知外出报告",
            "leave.request.cancel": "撤销外出请假",
            "leave.request.return": "销假",
            "leave.event.create": "安排领导公务活动",
            "leave.event.cancel": "取消领导公务活动",
        })
