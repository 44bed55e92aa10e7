from django.apps import AppConfig


class ForeignConfig(AppConfig):
    name = "zhengwu.affairs.foreign"
    label = "foreign"
    verbose_name = "外事与讲话"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections: list = []
