from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "zhengwu.affairs.leave"
    label = "leave"
    verbose_name = "请假与外出"
    # the sections this app shows on /affairs/: (url name, label, description)
    affairs_sections: list = []
