from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils import timezone

from masthead.newsroom import services

register = template.Library()


@register.simple_tag(takes_context=True)
def section_links(context: template.Context) -> list[dict[str, str]]:
    """The live sections for the navigation bar, in the editor's order."""
    return services.section_links(context.get("request"))


@register.filter
def is_same_minute(first, second) -> bool:  # type: ignore[no-untyped-def]
    """True when two times read the same to a reader, so 'Updated' would say nothing new."""
    if not first or not second:
        return False
    return timezone.localtime(first).replace(second=0, microsecond=0) == timezone.localtime(
        second
    ).replace(second=0, microsecond=0)


# Static file URLs by path, worked out once per process: the manifest they come from is read
# once when the process starts, so they cannot change before it restarts.
_ASSETS: dict[str, str] = {}


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}`, without looking the file up in the manifest on every page view."""
    url = _ASSETS.get(path)
    if url is None:
        url = _ASSETS[path] = static(path)
    return url


@receiver(setting_changed)
def _forget_assets(*, setting: str, **kwargs: object) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS", "DEBUG"}:
        _ASSETS.clear()
