from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "junheng.web.creation"
    label = "creation"
    verbose_name = "创建规划与复核推荐"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the work plan goes through the one scoping function like every county's rows
        from junheng.web.info.scoping import register

        from .workplan_models import LocalTarget, TargetFigure, WorkPlan, WorkTask

        register(WorkPlan, "county")
        register(WorkTask, "plan__county")
        register(LocalTarget, "plan__county")
        register(TargetFigure, "target__plan__county")
