from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "zhengwu.proposals"
    label = "proposals"
    verbose_name = "建议提案"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from .tick import proposals_tick

        register_actions({
            "proposals.batch.create": "登记建议提案批次",
            "proposals.item.create": "登记建议提案",
            "proposals.item.assign": "交办建议提案",
            "proposals.item.send_back": "退回交办不当的建议提案",
            "proposals.item.extend": "批准延长答复期限",
            "proposals.co_unit.opinion": "会办单位提出会办意见",
            "proposals.contact.record": "登记与代表委员沟通",
            "proposals.item.letter": "起草答复函",
            "proposals.item.answer": "答复代表委员",
            "proposals.item.satisfaction": "登记代表委员意见",
            "proposals.item.publish": "公开办理结果",
            "proposals.item.withhold": "登记不公开办理结果的理由",
            "proposals.item.escalate": "逾期督办建议提案",
        })
        register_tick("proposals", proposals_tick)
