from django.apps import AppConfig


class WireConfig(AppConfig):
    """Wire copy: IPTC ninjs import and RSS/Atom wire feeds pulled into drafts."""

    name = "masthead.wire"
    label = "wire"
    default_auto_field = "django.db.models.BigAutoField"
