"""Shared by tests that measure what rendering a page costs, which a page-cache hit would hide."""

from __future__ import annotations

from django.conf import settings


def page_cache_off() -> dict:
    """settings.MASTHEAD with Masthead's own page cache switched off, for override_settings."""
    return {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "ENABLED": False},
    }
