from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhengwu.workflow"
    label = "workflow"
    verbose_name = "审批流程"

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        from . import resolvers, tick  # noqa: F401  (register resolvers and W68 declarations)

        register_actions({
            "workflow.approval.start": "发起审批",
            "workflow.approval.finish": "审批办结",
            "workflow.approval.cancel": "撤销审批",
            "workflow.task.complete": "办理",
            "workflow.task.return": "退回",
            "workflow.task.reassign": "转办",
            "workflow.task.resign": "重新签署意见",
            "workflow.task.nudge": "催办",
            "workflow.task.remind": "到期催办",
            "workflow.task.escalate": "逾期督办",
            "workflow.circulation.send": "传阅",
            "workflow.circulation.ack": "已阅",
            "workflow.circulation.cancel": "撤销传阅",
            "workflow.phrase.add": "新增常用意见",
            "workflow.phrase.delete": "删除常用意见",
        })
