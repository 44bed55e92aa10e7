from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhengwu.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from . import find  # noqa: F401  (its part of the global search, zhengwu.web.search)
        from zhengwu.audit.catalogue import register_actions

        from django.db.models.signals import post_migrate

        from . import intake, subject  # noqa: F401  (its subject contract with the engine; W68 declarations)
        from . import desk  # noqa: F401  (pending work: the intake queue, zhengwu.workflow.pending)
        from . import search

        # On SQLite a migration that alters documents_document rebuilds the table and drops the
        # full-text triggers: put them back (and rebuild the index) after every migrate.
        post_migrate.connect(search.reassert_after_migrate, sender=self, dispatch_uid="zhengwu.documents.search_index")

        register_actions({
            "documents.document.draft": "拟稿",
            "documents.document.update": "修改公文",
            "documents.document.submit": "报送公文",
            "documents.briefing.approve": "核准简报",
            "documents.document.register": "收文登记",
            "documents.document.return": "退回公文",
            "documents.document.route": "拟办分送",
            "documents.document.answer": "答复",
            "documents.document.number": "编发文字号",
            "documents.document.issue": "印发",
            "documents.document.archive": "归档",
            "documents.document.sign": "签发",
            "documents.attachment.add": "上传附件",
            "documents.signature.add": "手写签批",
            "documents.document.plan_link": "关联年度发文计划",
            "documents.document.disclose": "登记公开",
            "documents.unit_report.record": "登记须向区政府报告的事项",
            "documents.unit_report.report": "登记已向区政府报告",
            "documents.plan.create": "编制年度发文计划",
            "documents.plan.item_add": "增补发文计划条目",
            "documents.plan.item_update": "修改发文计划条目",
            "documents.plan.item_withdraw": "撤销发文计划条目",
        })
