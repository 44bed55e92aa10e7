from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "zhengwu.seals"
    label = "seals"
    verbose_name = "印信"
