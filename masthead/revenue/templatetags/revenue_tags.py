from django import template
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from masthead.caching import shared_cache
from masthead.revenue.models import AppealSettings

register = template.Library()

APPEAL_TEMPLATE = "revenue/appeal.html"
APPEAL_CACHE_SECONDS = 3600


def appeal_context(request, page, placement: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    settings = AppealSettings.for_request(request) if request else AppealSettings()
    shown = settings.enabled and settings.placement == placement
    section = getattr(page, "section", None) if page is not None else None
    if shown and settings.pk and isinstance(section, Model):
        shown = not settings.hidden_in_sections.filter(pk=section.pk).exists()
    return {
        "appeal": settings,
        "shown": shown,
        "placement": placement,
        "amount": settings.suggested_amount * 100,
    }


@register.simple_tag(takes_context=True)
def appeal(context: template.Context, placement: str = "article-top") -> SafeString:
    """The contribution appeal at `placement`, with copy from the CMS. Nothing when it is
    switched off, placed elsewhere, or hidden in the article's section.

    The same HTML for every reader (the page stays cacheable): dismissing it and the thank-you
    for monthly supporters happen in the browser (appeal.js). Kept in the shared cache per site
    version (saving the appeal settings moves it) and section."""
    from masthead.newsroom.services import site_version

    request = context.get("request")
    page = context.get("page")
    section = getattr(page, "section", None) if page is not None else None
    section_id = section.pk if isinstance(section, Model) else 0
    version = site_version(request) if request is not None else None
    key = None
    if version is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
        if site is not None:
            key = f"revenue:appeal:v1:{site.pk}:{version}:{placement}:{section_id}"
    html = shared_cache().get(key) if key else None
    if not isinstance(html, str):
        html = render_to_string(APPEAL_TEMPLATE, appeal_context(request, page, placement))
        if key:
            shared_cache().set(key, html, APPEAL_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own autoescaped template
