from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhengwu.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of supervision in the 区政府's name)
        from .tick import supervision_tick

        register_tick("supervision", supervision_tick)
        register_actions({
            "supervision.item.create": "督查立项",
            "supervision.item.from_proposal": "建议提案列入计划转入督查台账",
            "supervision.item.request_approval": "以区政府名义督查报批",
            "supervision.item.approve": "区政府领导审批督查事项",
            "supervision.item.assign": "交办督查事项",
            "supervision.item.sign": "签收督查事项",
            "supervision.item.return": "退回督查事项",
            "supervision.item.report": "报告督查事项办理情况",
            "supervision.item.opinion": "协办单位提出意见",
            "supervision.item.rectification_report": "向区政府报送整改报告",
            "supervision.item.request_closure": "申请办结",
            "supervision.item.verify": "核查督查事项",
            "supervision.item.close": "督查事项销号",
            "supervision.item.suspend": "中止督查事项",
            "supervision.item.list": "挂牌督办",
            "supervision.review.request": "对核查结论申请复核",
            "supervision.review.decide": "作出复核决定",
            "supervision.extension.request": "申请延期",
            "supervision.extension.decide": "审批延期",
            "supervision.accountability.propose": "提出表扬、问责建议",
            "supervision.accountability.decide": "区长审批表扬、问责建议",
        })
