from __future__ import annotations

import pytest

from masthead.core import counters


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COUNTER_FLUSH_SECONDS": 3600}
    counters.reset()
    yield
    counters.reset()


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


@pytest.fixture
def long_story(make_article):
    def make(paragraphs: int, title: str = "A long read about the river"):
        body = []
        for n in range(1, paragraphs + 1):
            body.append(("paragraph", f"<p>Paragraph {n}.</p>"))
            if n == 1:
                body.append(("subheading", "What happened next"))
        return make_article(title, body=body)

    return make
