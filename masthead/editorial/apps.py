from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editorial desk: roles, review workflow, scheduling, corrections and the worker."""

    name = "masthead.editorial"
    label = "editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.editorial import signals

        signals.connect()
