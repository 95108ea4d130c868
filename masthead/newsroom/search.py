"""Site search at `/search/?q=`: live, public stories ranked by Wagtail's search backend.

The database backend picks SQLite FTS5 here and PostgreSQL full-text search in production; the
index is kept current by Wagtail when pages are saved and published. Each result shows its
headline, section, date and a snippet of the standfirst or body with the query's words in
`<mark>`: the text is escaped piece by piece around the matches, so nothing a story or a reader
types can become markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from wagtail.models import Page

from masthead.community.text import normalise
from masthead.newsroom.models import ArticlePage, SectionPage
from masthead.newsroom.services import paginate

MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 240
SNIPPET_LEAD = 70  # characters kept before the first match
MAX_TERMS = 12
WORD = re.compile(r"\w+")
# Light suffix trimming so "councils" also marks "council" and "councillors" (the backend
# stems words its own way; this only decides what to highlight).
SUFFIXES = ("ing", "ed", "es", "s")


class QueryTooLong(ValueError):
    pass


def clean_query(raw: str) -> str:
    """The query as typed, without control characters and with runs of spaces collapsed."""
    return " ".join(normalise(raw).split())


def query_terms(query: str) -> list[str]:
    """The query's distinct words, lower-cased, in order, at most MAX_TERMS."""
    terms: list[str] = []
    for word in WORD.findall(query.lower()):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _stem(term: str) -> str:
    for suffix in SUFFIXES:
        if len(term) - len(suffix) >= 4 and term.endswith(suffix):
            return term[: -len(suffix)]
    return term


def match_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """Whole words starting with any term (or its trimmed stem), case-insensitive."""
    stems = sorted({_stem(term) for term in terms}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """`text` escaped, with each match wrapped in `<mark>`."""
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def article_text(article: ArticlePage) -> str:
    """The standfirst and the body's words as plain text, read from the raw stream (no query)."""
    parts = [article.standfirst]
    for block in article.body.raw_data:
        kind, value = block.get("type"), block.get("value")
        if kind in {"paragraph", "subheading"} and isinstance(value, str):
            parts.append(html.unescape(strip_tags(value)))
        elif kind == "quote" and isinstance(value, dict):
            parts.append(value.get("text", ""))
    return " ".join(" ".join(parts).split())


def snippet(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """About SNIPPET_LENGTH characters around the first match, cut at spaces, highlighted."""
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > SNIPPET_LEAD:
        start = text.find(" ", match.start() - SNIPPET_LEAD, match.start()) + 1
    end = start + SNIPPET_LENGTH
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    else:
        end = len(text)
    body = highlight(text[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - body is escaped by highlight


@dataclass
class Result:
    url: str
    headline: SafeString
    snippet: SafeString
    published_at: Any
    section_title: str
    section_url: str


def search_articles(query: str, *, operator: str = "and"):  # type: ignore[no-untyped-def]
    """Live, public stories matching the words of `query`, best match first."""
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("lead_photo")
        .search(" ".join(query_terms(query)), operator=operator, order_by_relevance=True)
    )


def results_page(query: str, page_number: str | None) -> PaginatorPage:
    """One page of results; every word must match, or else any word if nothing matches them all."""
    terms = query_terms(query)
    if not terms:  # only punctuation: nothing to look for
        return paginate(ArticlePage.objects.none(), page_number)
    page = paginate(search_articles(query), page_number)
    if page.paginator.count == 0 and len(terms) > 1:
        page = paginate(search_articles(query, operator="or"), page_number)
    return page


def describe(
    articles: list[ArticlePage], query: str, request: HttpRequest | None = None
) -> list[Result]:
    """Results ready for the template: sections looked up in one query for the whole page."""
    pattern = match_pattern(query_terms(query))
    steplen = Page.steplen
    parent_paths = {article.path[:-steplen] for article in articles}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    results = []
    for article in articles:
        section = sections.get(article.path[:-steplen])
        results.append(
            Result(
                url=article.get_url(request=request) or "",
                headline=highlight(article.title, pattern),
                snippet=snippet(article_text(article), pattern),
                published_at=article.first_published_at,
                section_title=section.title if section else "",
                section_url=(section.get_url(request=request) or "") if section else "",
            )
        )
    return results


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    context: dict[str, Any] = {"query": query, "search_form": True, "max_length": MAX_QUERY_LENGTH}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = (
            f"That search is too long: use at most {MAX_QUERY_LENGTH} characters, "
            "for example a few words from the headline."
        )
        context["query"] = query[:MAX_QUERY_LENGTH]
        return render(request, "newsroom/search.html", context, status=400)
    if query:
        page = results_page(query, request.GET.get("page"))
        context["page_obj"] = page
        context["searched"] = True
        context["results"] = describe(list(page.object_list), query, request)
    return render(request, "newsroom/search.html", context)
