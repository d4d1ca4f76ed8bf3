from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "junheng.web.monitoring"
    label = "monitoring"
    verbose_name = "年度巩固监测"
    default_auto_field = "django.db.models.BigAutoField"
