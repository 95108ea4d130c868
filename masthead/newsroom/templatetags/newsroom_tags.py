from django import template
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
