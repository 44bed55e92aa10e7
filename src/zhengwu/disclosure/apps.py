"""政务公开 and the public's voice (arts. 33, 35-37, 42, 43, 89): proactive disclosure with its queue,
release gate and the public site /public/ (this app); requests for information (依申请公开) and the
舆情 register (sub-app zhengwu.disclosure.requests); the 信访 register and public consultations
(sub-app zhengwu.disclosure.petitions). Office pages under /disclosure/; each sub-app lists its
sections on the index through its AppConfig's `disclosure_sections`."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhengwu.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"
    # the sections shown on /disclosure/: (url name, label, description)
    disclosure_sections: list = [
        ("disclosure:queue", _("Proactive disclosure queue"),
         _("Issued documents and meeting decisions to publish within 20 working days")),
        ("disclosure:report", _("Annual report"), _("The year's government information disclosure report")),
        ("disclosure:challenges", _("Administrative reviews and lawsuits"),
         _("Reviews and lawsuits about disclosure, counted in the annual report")),
    ]

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.documents.signals import document_issued
        from zhengwu.meetings.signals import minutes_signed
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of route disclosure.release)
        from .tick import disclosure_tick

        register_tick("disclosure", disclosure_tick)
        document_issued.connect(_document_issued, dispatch_uid="zhengwu.disclosure.documents")
        minutes_signed.connect(_minutes_signed, dispatch_uid="zhengwu.disclosure.decisions")
        register_actions({
            "disclosure.record.create": "登记政府信息公开属性",
            "disclosure.record.classify": "确定公开属性",
            "disclosure.record.interpret": "登记政策解读",
            "disclosure.record.review": "保密审查",
            "disclosure.record.request_approval": "重要信息发布报批",
            "disclosure.record.approve": "重要信息发布审定",
            "disclosure.record.release": "在政府网站发布",
            "disclosure.record.escalate": "逾期未公开督办",
            "disclosure.report.publish": "公布政府信息公开工作年度报告",
            "disclosure.challenge.register": "登记政府信息公开行政复议、行政诉讼",
            "disclosure.challenge.decide": "政府信息公开行政复议、行政诉讼审结",
        })


def _document_issued(sender, *, actor, document, on, **kwargs) -> None:
    from .services import record_document

    record_document(actor=actor, document=document, on=on)


def _minutes_signed(sender, *, actor, minutes, on, **kwargs) -> None:
    from .services import record_decisions

    record_decisions(actor=actor, minutes=minutes, on=on)
