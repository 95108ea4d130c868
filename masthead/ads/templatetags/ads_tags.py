from django import template

from masthead.ads.models import AdSlot

register = template.Library()


@register.inclusion_tag("ads/slot.html")
def ad_slot(placement: str) -> dict[str, object]:
    """A labelled ad slot; an unsold placement keeps its space so the page does not jump."""
    slot = AdSlot.objects.active().select_related("image").filter(placement=placement).first()
    return {"slot": slot, "placement": placement}
