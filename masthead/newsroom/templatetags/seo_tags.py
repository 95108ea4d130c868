"""`{% page_meta_html %}`, `{% page_meta as meta %}` and `|json_ld` for includes/page_meta.html
and includes/page_meta_tags.html (see newsroom.seo)."""

import logging
from typing import Any

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from masthead.newsroom import seo

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context) -> dict[str, Any]:
    """Canonical URL, Open Graph, Twitter card, feed links and JSON-LD for this page.

    Metadata must never take a page down: on an unexpected error the page renders without it
    (and the error is logged).
    """
    try:
        return seo.page_meta(context.flatten())
    except Exception:
        logger.exception("Could not build the page metadata")
        return {}


@register.filter
def json_ld(value: Any) -> SafeString:
    return seo.json_ld(value)


@register.simple_tag(takes_context=True)
def page_meta_html(context: template.Context) -> SafeString:
    """The `<head>` metadata as HTML (includes/page_meta_tags.html); an article's is rendered
    once per published version, like the data it is made of (`seo.article_meta`)."""
    try:
        key = seo.article_meta_html_key(context.get("page"), context.get("request"))
        html = cache.get(key) if key else None
    except Exception:  # the cache is down: render it, as for any other page
        logger.warning("Could not read the cached page metadata", exc_info=True)
        key = html = None
    if not isinstance(html, str):
        html = render_to_string("includes/page_meta_tags.html", {"meta": page_meta(context)})
        if key:
            try:
                cache.set(key, html, seo.ARTICLE_META_CACHE_SECONDS)
            except Exception:
                logger.warning("Could not cache the page metadata", exc_info=True)
    return mark_safe(html)  # noqa: S308 - our own autoescaped template
