from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "zhengwu.security"
    label = "security"
    verbose_name = "安全管理"

    def ready(self) -> None:
        from . import admins

        admins.register()  # the separated administrators' audit actions and the refusal of business actions
        from . import identity

        identity.register()  # identity: login/lockout/2FA/password audit actions and their signal handlers
