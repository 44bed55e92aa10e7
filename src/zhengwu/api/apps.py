from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhengwu.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        register_actions({
            "api.token.create": "创建 API 令牌",
            "api.token.revoke": "吊销 API 令牌",
        })
