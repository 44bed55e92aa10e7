from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhengwu.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        from . import intake  # noqa: F401  (registers its approval hooks and W68 declarations)

        register_actions({
            "documents.document.draft": "拟稿",
            "documents.document.update": "修改公文",
            "documents.document.submit": "报送公文",
            "documents.document.register": "收文登记",
            "documents.document.return": "退回公文",
            "documents.document.route": "拟办分送",
            "documents.document.answer": "答复",
            "documents.document.number": "编发文字号",
            "documents.document.issue": "印发",
            "documents.attachment.add": "上传附件",
        })
