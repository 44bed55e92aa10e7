"""印信: the register of seals, seal-use cards (用印审批单), taking a seal out, the 用印登记簿, and
introduction letters with their numbered stubs (arts. 82-84)."""
from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "zhengwu.seals"
    label = "seals"
    verbose_name = "印信"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions
        from zhengwu.workflow.tick import register_tick

        from . import engine  # noqa: F401  (the subject contract of cards, take-outs and letters)
        from .tick import seals_tick

        register_tick("seals", seals_tick)
        register_actions({
            "seals.seal.register": "登记印章",
            "seals.seal.impression": "上传印模",
            "seals.seal.retire": "停用印章",
            "seals.card.create": "填写用印审批单",
            "seals.card.approve": "用印审批批准",
            "seals.card.refuse": "用印审批未批准",
            "seals.card.return": "退回用印审批单",
            "seals.card.stamp": "用印",
            "seals.take_out.request": "申请带出印章",
            "seals.take_out.sign": "办公室主任签批印章带出",
            "seals.take_out.check_out": "印章带出",
            "seals.take_out.return": "印章归还",
            "seals.take_out.overdue": "带出印章逾期提醒",
            "seals.letter_book.create": "建立介绍信簿",
            "seals.letter.request": "申请开具介绍信",
            "seals.letter.approve": "介绍信审批",
            "seals.letter.issue": "开具介绍信",
            "seals.letter.return": "未使用介绍信退回存根",
            "seals.letter.archive": "介绍信存根归档",
        })
