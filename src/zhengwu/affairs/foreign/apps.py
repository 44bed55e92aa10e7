from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForeignConfig(AppConfig):
    name = "zhengwu.affairs.foreign"
    label = "foreign"
    verbose_name = "外事与讲话"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections = [
        ("affairs:foreign:invitations", _("Foreign-affairs invitations"),
         _("A department's written request that a leader attend a foreign-affairs event, 7 working days ahead")),
        ("affairs:foreign:visits", _("Outbound visits"), _("Visits abroad approved along the chain of the traveller's rank")),
        ("affairs:foreign:gifts", _("Gift register"), _("Gifts received in foreign affairs, handed to the foreign affairs office")),
        ("affairs:foreign:research", _("Research"), _("Each leader's yearly research plan, grassroots days and reports")),
        ("affairs:foreign:speeches", _("Speeches and articles"), _("Speeches and articles approved beforehand; no congratulatory letters or inscriptions")),
    ]

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract: invitations, visits, speeches)
        from .calendar import register
        from .tick import foreign_tick

        register_tick("foreign", foreign_tick)
        register()
        register_actions({
            "foreign.invitation.file": "外事活动邀请报区政府办公室备案",
            "foreign.invitation.filed": "区政府办公室备案外事活动邀请",
            "foreign.invitation.returned": "区政府办公室退回外事活动邀请",
            "foreign.visit.apply": "申请出国访问",
            "foreign.visit.decide": "出国访问审批结果",
            "foreign.visit.leave": "出国访问成行",
            "foreign.gift.register": "登记外事礼品",
            "foreign.gift.hand_over": "外事礼品上交外事办公室",
            "foreign.gift.flag": "外事礼品逾期未上交提示",
            "foreign.research.plan": "登记年度调研计划",
            "foreign.research.trip": "登记基层调研",
            "foreign.research.report": "报送调研报告",
            "foreign.research.flag": "调研不足提示",
            "foreign.speech.submit": "报批讲话或文章",
            "foreign.speech.decide": "讲话或文章审批结果",
            "foreign.speech.deliver": "发表讲话或文章",
        })
