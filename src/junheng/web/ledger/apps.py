from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "junheng.web.ledger"
    label = "ledger"
    verbose_name = "整改台账"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # every new evaluation updates the ledger: items close (动态销号) or reopen on data
        from django.db.models.signals import post_save

        from junheng.web.info.models import EvaluationResult

        from .services import on_evaluation

        # the full result is stored just after its run: the ledger reads it from there
        post_save.connect(on_evaluation, sender=EvaluationResult, dispatch_uid="ledger-sync")
