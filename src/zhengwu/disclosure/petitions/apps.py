from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "zhengwu.disclosure.petitions"
    label = "petitions"
    verbose_name = "信访与公众参与"
    # the sections this app shows on /disclosure/: (url name, label, description)
    disclosure_sections: list = []
