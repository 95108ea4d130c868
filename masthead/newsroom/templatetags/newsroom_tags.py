from django import template
from django.utils import timezone

from masthead.newsroom.models import SectionPage

register = template.Library()


@register.simple_tag
def section_links() -> list[SectionPage]:
    """The live sections for the navigation bar, in the editor's order."""
    return list(
        SectionPage.objects.live()
        .filter(depth=3)
        .order_by("path")
        .only("title", "url_path", "path", "depth")
    )


@register.filter
def is_same_minute(first, second) -> bool:  # type: ignore[no-untyped-def]
    """True when two times read the same to a reader, so 'Updated' would say nothing new."""
    if not first or not second:
        return False
    return timezone.localtime(first).replace(second=0, microsecond=0) == timezone.localtime(
        second
    ).replace(second=0, microsecond=0)
