from django.apps import AppConfig


class AffairsConfig(AppConfig):
    name = "zhengwu.affairs"
    label = "affairs"
    verbose_name = "政务事务"
