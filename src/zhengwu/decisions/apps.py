from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "zhengwu.decisions"
    label = "decisions"
    verbose_name = "“三重一大”事项"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions

        from . import followups  # noqa: F401  (declares its follow-up routes' workflow items)

        register_actions({
            "decisions.dossier.create": "建立“三重一大”事项卷宗",
            "decisions.dossier.update": "修改“三重一大”事项卷宗",
            "decisions.procedure.record": "登记决策程序",
            "decisions.procedure.remove": "撤销决策程序登记",
            "decisions.consultation.ask": "征求意见",
            "decisions.consultation.reply": "登记回复意见",
            "decisions.dossier.agenda": "列入会议议题",
            "decisions.dossier.decide": "会议决定",
            "decisions.dossier.escalate": "报区委或区人大",
            "decisions.dossier.escalation_result": "登记区委或区人大决定",
            "decisions.dossier.implementation": "登记执行情况",
            "decisions.dossier.evaluate": "登记决策后评估",
            "decisions.dossier.committee_report": "登记向区委报告",
            "decisions.dossier.committee_feedback": "落实情况反馈区委",
        })
