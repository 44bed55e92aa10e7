from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhengwu.workflow"
    label = "workflow"
