from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "junheng.web.survey"
    label = "survey"
    verbose_name = "社会认可度调查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from junheng.web.info.scoping import register

        from .models import Invitation, Survey, SurveyResponse

        register(Survey, "county")
        register(Invitation, "survey__county")
        register(SurveyResponse, "survey__county")
