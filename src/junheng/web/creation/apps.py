from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "junheng.web.creation"
    label = "creation"
    verbose_name = "创建规划与复核推荐"
    default_auto_field = "django.db.models.BigAutoField"
