from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhengwu.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"
    # the sections shown on /disclosure/: (url name, label, description)
    disclosure_sections: list = []
