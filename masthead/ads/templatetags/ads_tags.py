from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from masthead.ads.models import AdSlot

register = template.Library()

SLOT_CACHE_SECONDS = 300


def slot_cache_key(placement: str) -> str:
    return f"ads:slot:v1:{placement}"


@register.simple_tag
def ad_slot(placement: str) -> SafeString:
    """A labelled ad slot; an unsold placement keeps its space so the page does not jump.

    Rendered once and cached; saving or deleting an ad slot clears it (see AdsConfig.ready).
    """
    key = slot_cache_key(placement)
    html = cache.get(key)
    if html is None:
        slot = AdSlot.objects.active().select_related("image").filter(placement=placement).first()
        html = render_to_string("ads/slot.html", {"slot": slot, "placement": placement})
        cache.set(key, html, SLOT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, autoescaped
