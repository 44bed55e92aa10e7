from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "zhengwu.disclosure.requests"
    label = "info_requests"
    verbose_name = "依申请公开与舆情"
    # the sections this app shows on /disclosure/: (url name, label, description)
    disclosure_sections: list = []
