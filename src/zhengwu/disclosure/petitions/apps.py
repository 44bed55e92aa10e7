"""The 信访 register (art. 43; 信访工作条例) and public consultations on major matters (art. 42)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "zhengwu.disclosure.petitions"
    label = "petitions"
    verbose_name = "信访与公众参与"
    # the sections this app shows on /disclosure/: (url name, label, description)
    disclosure_sections: list = [
        ("disclosure:petitions:list", _("Petitions (letters and visits)"),
         _("Cases registered, routed by locality and competence, handled, reviewed, with their clocks (art. 43)")),
        ("disclosure:petitions:leaders", _("Leaders' receptions"),
         _("Leaders' reception days, cases they take and letters they read (art. 43)")),
        ("disclosure:petitions:consultations", _("Public consultations"),
         _("Major matters open for public comment and their published results (art. 42)")),
    ]

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (route petition.extension)
        from .tick import petitions_tick

        register_tick("petitions", petitions_tick)
        register_actions({
            "petitions.petition.register": "登记信访事项",
            "petitions.petition.route": "转送交办信访事项",
            "petitions.petition.notify": "书面告知信访人",
            "petitions.petition.object": "承办单位对转送交办提出异议",
            "petitions.petition.accept": "受理信访事项",
            "petitions.petition.answer": "信访事项办结",
            "petitions.petition.overdue": "信访事项逾期督办",
            "petitions.petition.hard_case": "列为重大疑难信访事项",
            "petitions.petition.to_ledger": "信访事项列入督查台账",
            "petitions.extension.request": "申请延长信访办理期限",
            "petitions.extension.decide": "审批延长信访办理期限",
            "petitions.review.request": "请求复查复核",
            "petitions.review.decide": "作出复查复核意见",
            "petitions.leader.reception": "记录领导接访日",
            "petitions.leader.case": "记录领导包案",
            "petitions.leader.reading": "记录领导阅批来信",
            "petitions.consultation.open": "公开征求意见",
            "petitions.consultation.comment": "收集公众意见",
            "petitions.consultation.publish": "公布征求意见结果",
        })
