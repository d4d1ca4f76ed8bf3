from django.apps import AppConfig


class InfoConfig(AppConfig):
    name = "junheng.web.info"
    label = "info"
    verbose_name = "信息库"
    default_auto_field = "django.db.models.BigAutoField"
