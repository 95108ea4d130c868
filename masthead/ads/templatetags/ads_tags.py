from django import template
from django.utils.safestring import SafeString, mark_safe

from masthead.ads import services
from masthead.ads.models import SlotName

register = template.Library()


@register.simple_tag
def ad_slot(name: str) -> SafeString:
    """A labelled ad slot ("leaderboard", "in-article" or "sidebar") keeping its space.

    Rendered once and cached; saving a slot or a house ad clears it (see AdsConfig.ready).
    """
    return mark_safe(services.rendered_slot(name).html)  # noqa: S308 - our own autoescaped template


@register.simple_tag
def in_article_ad_after(body) -> int | None:  # type: ignore[no-untyped-def]
    """Index of the body block the in-article ad follows, or None for no in-article ad."""
    slot = services.rendered_slot(SlotName.IN_ARTICLE)
    if not slot.html:
        return None
    return services.in_article_position(body, slot.after_paragraph)
