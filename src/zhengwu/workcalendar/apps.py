from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "zhengwu.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        register_actions({
            "calendar.seed": "载入日历",
            "calendar.import_notice": "导入放假通知",
            "calendar.day_set": "修改工作日",
            "calendar.year_set": "修改年度放假安排状态",
        })
