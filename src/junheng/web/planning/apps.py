from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "junheng.web.planning"
    label = "planning"
    verbose_name = "达标测算"
