from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "zhengwu.security"
    label = "security"
    verbose_name = "安全管理"
