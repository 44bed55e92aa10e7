from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "zhengwu.workcalendar"
    label = "workcalendar"
