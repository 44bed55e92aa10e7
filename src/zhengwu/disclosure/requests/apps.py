"""Requests for information (依申请公开, 政府信息公开条例 arts. 29-45) on their statutory clocks, and the 舆情 register with its response clocks (art. 36)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "zhengwu.disclosure.requests"
    label = "info_requests"
    verbose_name = "依申请公开与舆情"
    # the sections this app shows on /disclosure/: (url name, label, description)
    disclosure_sections: list = [
        ("disclosure:info_requests:list", _("Requests for information"),
         _("Applications received, their statutory clocks (20 working days, one extension) and answers")),
        ("disclosure:info_requests:opinion_list", _("Public opinion register"),
         _("Public opinion events with their lead unit, response owner and response clocks")),
    ]

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of route info_request.extension)
        from .tick import requests_tick

        register_tick("info_requests", requests_tick)
        register_actions({
            "info_requests.request.register": "登记政府信息公开申请",
            "info_requests.request.correction_notice": "告知申请人补正",
            "info_requests.request.corrected": "收到申请人补正",
            "info_requests.request.consult": "征求第三方意见",
            "info_requests.request.consult_end": "第三方意见结束",
            "info_requests.request.extension_request": "申请延长答复期限",
            "info_requests.request.extend": "政府信息公开工作机构负责人审批延期",
            "info_requests.request.answer": "答复政府信息公开申请",
            "info_requests.request.escalate": "逾期督办政府信息公开申请",
            "info_requests.request.abandon": "逾期未补正视为放弃申请",
            "info_requests.opinion.register": "登记政务舆情",
            "info_requests.opinion.respond": "登记政务舆情回应",
            "info_requests.opinion.flag_late": "政务舆情回应逾期提醒",
        })
