from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "zhengwu.affairs.bodies"
    label = "bodies"
    verbose_name = "议事协调机构与报告"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections: list = []
