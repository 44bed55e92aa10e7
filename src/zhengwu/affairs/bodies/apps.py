"""Coordination bodies (arts. 71-74), emergency reports (75) and items for the 区委, 人大 and 政协 (6, 38, 76-78)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "zhengwu.affairs.bodies"
    label = "bodies"
    verbose_name = "议事协调机构与报告"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections: list = [
        ("affairs:bodies:list", _("Coordination bodies"),
         _("Set-up with its legal basis, heads and members, annual goals, abolition (arts. 71-74).")),
        ("affairs:bodies:emergencies", _("Emergency reports"),
         _("Major events reported to the district government on time, with follow-up and final reports (art. 75).")),
        ("affairs:bodies:submissions", _("Items for the Party committee, the congress and the CPPCC"),
         _("Submitted by the district government after its meeting's approval; feedback recorded (arts. 6, 38, 76-78).")),
    ]

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of coordination bodies)
        from .tick import bodies_tick

        register_actions({
            "bodies.body.propose": "提出设置议事协调机构",
            "bodies.body.submit": "报批设置议事协调机构",
            "bodies.body.decide": "议事协调机构设置审批",
            "bodies.body.register": "登记已设立的议事协调机构",
            "bodies.body.change": "调整议事协调机构负责人或成员",
            "bodies.change.filed": "议事协调机构调整阅知、备案",
            "bodies.goals.submit": "报送议事协调机构年度工作目标",
            "bodies.body.abolish": "撤销议事协调机构",
            "bodies.emergency.report": "报告重大情况",
            "bodies.emergency.written": "书面报告重大情况",
            "bodies.emergency.followup": "续报重大情况",
            "bodies.emergency.final": "终报重大情况",
            "bodies.emergency.flag": "标记重大情况迟报",
            "bodies.submission.create": "起草报送区委、区人大、区政协的事项",
            "bodies.submission.submit": "报送区委、区人大、区政协",
            "bodies.submission.response": "登记区委、区人大、区政协的意见",
            "bodies.submission.feedback": "向区委反馈落实情况",
        })
        register_tick("bodies", bodies_tick)
