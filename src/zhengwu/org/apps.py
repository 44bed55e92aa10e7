from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhengwu.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from zhengwu.audit.catalogue import register_actions

        from . import versions

        versions.connect()  # the shell's cached header follows every change of the organisation

        register_actions({
            "org.government.create": "建立区人民政府",
            "org.term.create": "设立届",
            "org.term.succeed": "届因下一届选举产生而结束",
            "org.unit.create": "新增单位",
            "org.person.create": "新增人员",
            "org.position.create": "设立职务",
            "org.appointment.create": "任职",
            "org.appointment.end": "免职",
            "org.portfolio.set": "调整分工",
            "org.absence.create": "登记外出/休假",
            "org.absence.cancel": "撤销外出/休假",
            "org.absence.shorten": "外出/休假提前结束",
            "org.person.office_admin": "授予办公室管理权限",
        })
