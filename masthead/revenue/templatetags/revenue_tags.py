from django import template
from django.db.models import Model

from masthead.revenue.models import AppealSettings

register = template.Library()


@register.inclusion_tag("revenue/appeal.html", takes_context=True)
def appeal(context: template.Context, placement: str = "article-top") -> dict[str, object]:
    """The contribution appeal at `placement`, with copy from the CMS. Nothing when it is
    switched off, placed elsewhere, or hidden in the article's section.

    The same HTML for every reader (the page stays cacheable): dismissing it and the thank-you
    for monthly supporters happen in the browser (appeal.js)."""
    request = context.get("request")
    settings = AppealSettings.for_request(request) if request else AppealSettings()
    shown = settings.enabled and settings.placement == placement
    page = context.get("page")
    section = getattr(page, "section", None) if page is not None else None
    if shown and settings.pk and isinstance(section, Model):
        shown = not settings.hidden_in_sections.filter(pk=section.pk).exists()
    return {
        "appeal": settings,
        "shown": shown,
        "placement": placement,
        "amount": settings.suggested_amount * 100,
    }
