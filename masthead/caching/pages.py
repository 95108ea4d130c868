"""Marking Wagtail pages for the page cache, in one place: `CachedPageMixin.serve`.

Each page type says which surrogate keys its response carries (`cache_keys`) from the context it
rendered, and which TTLs apply (`cache_kind`). Previews and pages behind a view restriction
(private, password, groups) are never marked.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase

from masthead.caching import keys as surrogate
from masthead.caching.headers import cacheable

# Carried by every cached page: site-wide settings (copyright line, appeal) and ad slots.
SITE = "site"


def restricted(page: Any) -> bool:
    return page.get_view_restrictions().exists()


def mark_page(
    page: Any, request: HttpRequest, response: HttpResponseBase, *, kind: str, keys: set[str]
) -> HttpResponseBase:
    if response.status_code != 200 or getattr(request, "is_preview", False):
        return response
    if getattr(request, "is_dummy", False) or restricted(page):
        return response
    return cacheable(
        response, keys={*keys, surrogate.page(page.pk), surrogate.NAV, SITE}, kind=kind
    )


class CachedPageMixin:
    """For Wagtail page models: serve as usual, then mark the response for the page cache."""

    cache_kind = "page"

    def cache_keys(self, context: dict[str, Any]) -> set[str]:
        return set()

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        context = getattr(response, "context_data", None) or {}
        return mark_page(
            self, request, response, kind=self.cache_kind, keys=self.cache_keys(context)
        )


def front_keys(context: dict[str, Any]) -> set[str]:
    front = context.get("front")
    if front is None:
        return set()
    return surrogate.articles(
        [
            front.lead,
            *front.picks,
            *front.latest.object_list,
            *front.most_read,
            *front.most_commented,
        ]
    )
