"""`{% page_meta as meta %}` and `|json_ld` for includes/page_meta.html (see newsroom.seo)."""

import logging
from typing import Any

from django import template
from django.utils.safestring import SafeString

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
