from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhengwu.api"
    label = "api"
