from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "junheng.web.ops"
    label = "ops"
    verbose_name = "运行监测"

    def ready(self) -> None:
        from . import oplog

        oplog.connect()
