"""Editorial personas and helpers: a writer beside the shared editor, and CMS form data."""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def writer(db) -> User:
    return create_user(
        email="wes.writer@example.com",
        password=PASSWORD,
        role=Role.WRITER,
        verified=True,
        display_name="Wes",
    )


def article_form(*, title: str = "Night buses return to the valley", **overrides) -> dict:
    """What the CMS article form posts, as Wagtail's own tests build it."""
    data = {
        "title": title,
        "slug": overrides.pop("slug", "night-buses-return"),
        "standfirst": "Three routes run again from Friday after a two-year gap.",
        "dateline": "Braga",
        "wire_agency": "",
        "wire_byline": "",
        "updated_at": "",
        "lead_photo": "",
        "lead_photo_caption": "",
        "tags": "transport",
        "comment_mode": "open",
        "comments_closed_message": "",
        "go_live_at": "",
        "expire_at": "",
        "bylines": inline_formset([]),
        "related_links": inline_formset([]),
        "corrections": inline_formset(overrides.pop("corrections", [])),
        "body": streamfield(
            [
                (
                    "paragraph",
                    '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":'
                    '"The first bus leaves the square at midnight.","inlineStyleRanges":[],'
                    '"entityRanges":[]}],"entityMap":{}}',
                )
            ]
        ),
    }
    data.update(overrides)
    return nested_form_data(data)
