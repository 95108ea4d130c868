"""Hostile content in a real browser: the whole vector corpus (tests/security/vectors.py) posted
as comments, report notes, display names and wire copy, then rendered in Chromium with
JavaScript on. None of it may run.

Every page is watched four ways: the `__xss` hook each payload calls (defined by an init script
in every frame), dialogs (alert/confirm/prompt), `securitypolicyviolation` events (our CSP allows
no inline script, so any violation means hostile markup reached the page), and requests to any
origin but the site's own. After load the DOM is searched for what should never be there: event
handler attributes, script-ish URLs, frames, objects, refreshes, foreign scripts. Comment bodies
must hold only <p>, <br> and links marked `nofollow ugc noopener`, and their visible text must
still read as the reader wrote it: escaped, not dropped.

The same pages are also opened once with the CSP switched off (Playwright's `bypass_csp`), so a
sanitiser hole would show as a recorded execution, not only as a blocked one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.test import Client

from masthead.accounts.models import Role, User
from masthead.accounts.services import ensure_roles, issue_token, update_display_name
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import post_comment
from masthead.community.text import normalise
from masthead.editorial.worker import Worker
from masthead.moderation.models import Report, ReportReason
from masthead.moderation.services import (
    APPEAL_MAX,
    NOTE_MAX,
    NOTICE_EXPLANATION_MAX,
    ModerationError,
    NoticeForm,
    decide,
    file_appeal,
    file_notice,
    report_comment,
)
from masthead.wire.bodies import html_to_text
from masthead.wire.ninjs import parse_document
from masthead.wire.services import ensure_section, import_document
from tests.security.vectors import VECTORS, Vector

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVER_LIMIT = "long-over-limit"
POSTED = [v for v in VECTORS if v.name != OVER_LIMIT]
# Reports shown on one desk item page: split the reporters over two reported comments.
DESK_ITEM_REPORTS = 200
# Every so many vectors: an illegal-content notice (and the first few, an appeal), and a
# reader's report page opened in the browser.
NOTICE_STRIDE = 10
APPEALS = 8
REPORT_PAGE_STRIDE = 80

INIT_SCRIPT = r"""
(() => {
  const log = (window.__xssLog = window.__xssLog || []);
  const report = (what) => {
    log.push(String(what));
    try { window.__xssReport(String(what)); } catch (e) { /* not bound in this frame */ }
  };
  Object.defineProperty(window, "__xss", {
    value: (name) => report("run: " + name), writable: false, configurable: false,
  });
  document.addEventListener("securitypolicyviolation", (e) => {
    report("csp: " + e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
  }, true);
})();
"""

# Run in the page after load: everything that should never be in a page built from our
# templates plus sanitised reader and wire text.
DOM_SCAN = r"""
() => {
  const bad = [];
  const here = location.origin;
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "xlink:href",
    "background", "poster", "codebase", "srcset", "ping", "lowsrc", "dynsrc"]);
  const scriptish = /^(javascript|vbscript|livescript|data):/;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(describe(el) + " has " + name);
      if (name === "srcdoc") bad.push(describe(el) + " has srcdoc");
      if (urlAttrs.has(name) && scriptish.test(value) && !(tag === "img" && name === "src"
          && value.startsWith("data:image/"))) {
        bad.push(describe(el) + " " + name + "=" + attr.value.slice(0, 80));
      }
    }
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base"].includes(tag)) {
      bad.push("<" + tag + "> element");
    }
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      bad.push("meta refresh");
    }
    if (tag === "script") {
      if (el.type === "application/ld+json") {
        try { JSON.parse(el.textContent); } catch (e) { bad.push("JSON-LD broken: " + e); }
      } else if (!el.src || new URL(el.src).origin !== here) {
        bad.push("script " + (el.src || el.textContent.slice(0, 80)));
      }
    }
    if (tag === "style") bad.push("<style> element");
  }
  for (const el of document.querySelectorAll("[data-body] *")) {
    const tag = el.tagName.toLowerCase();
    if (!["p", "br", "a"].includes(tag)) bad.push("comment body holds <" + tag + ">");
    if (tag === "a" && el.getAttribute("rel") !== "nofollow ugc noopener") {
      bad.push("comment link rel=" + el.getAttribute("rel"));
    }
  }
  return bad;
}
"""


@dataclass
class Watch:
    """What the browser saw, across every page opened in a context."""

    origin: str
    events: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.events, self.events[:20]
        assert not self.dialogs, self.dialogs[:20]
        assert not self.foreign, self.foreign[:20]
        assert not self.findings, self.findings[:20]
        assert not self.errors, self.errors[:20]


def watched(browser, origin: str, context=None, *, bypass_csp: bool = False):  # type: ignore[no-untyped-def]
    """A JavaScript-enabled context (or `context`, e.g. a signed-in one) with every watch set."""
    context = context or browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp
    )
    watch = Watch(origin=origin)
    context.expose_function("__xssReport", lambda what: watch.events.append(str(what)))
    context.add_init_script(INIT_SCRIPT)
    site = urlsplit(origin).netloc

    def route(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if urlsplit(url).netloc == site:
            route.continue_()
        else:  # never leave the test server, and say where the page tried to go
            watch.foreign.append(url[:200])
            route.abort()

    context.route("**/*", route)
    return context, watch


def open_page(context, watch: Watch, url: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: watch.errors.append(f"{url}: {error}"))

    def console(message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if "Content Security Policy" in text or "__xss" in text:
            watch.events.append(f"console: {text[:200]}")

    page.on("console", console)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_timeout(200)  # animations (SVG animate/set, CSS) and autofocus get a moment
    page.keyboard.press("Tab")  # and focus moves, for anything waiting on onfocus
    watch.findings.extend(f"{url}: {finding}" for finding in page.evaluate(DOM_SCAN))
    watch.events.extend(f"{url}: {what}" for what in page.evaluate("window.__xssLog || []"))
    return page


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def hostile_settings(settings):  # type: ignore[no-untyped-def]
    """Every vector on one page of the thread, no rate limit or screening in the way (they
    are tested elsewhere; here every comment must be published to be rendered)."""
    masthead = settings.MASTHEAD
    settings.MASTHEAD = {
        **masthead,
        "COMMENTS_PAGE_SIZE": len(VECTORS) + 10,
        "RATE_LIMITS": {scope: "100000/m" for scope in masthead["RATE_LIMITS"]},
        "SCREENING_SCORERS": [],
        "LIVE_POLL_MS": 60_000,
        "DESK_POLL_MS": 60_000,
    }
    return settings


def make_readers(count: int) -> list[User]:
    """`count` verified readers, made in bulk (the service's one-at-a-time path, with its
    role lookup, would take most of this test's time)."""
    group = ensure_roles()[Role.READER]
    users = [
        User(email=f"hostile{i}@example.com", display_name=f"Reader {i}", password="!")
        for i in range(count)
    ]
    users = User.objects.bulk_create(users)
    users = list(User.objects.filter(email__startswith="hostile").order_by("pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users]
    )
    return users


def give_names(readers: list[User]) -> dict[int, str]:
    """Each reader takes a vector as display name: through the service when it allows the
    name, else written straight to the row (old data, an admin edit) so the pages are tried
    with what the rules refuse too. Returns the names the service accepted, by reader."""
    accepted = {}
    for reader, vector in zip(readers, POSTED, strict=True):
        try:
            update_display_name(user=reader, display_name=vector.payload)
            accepted[reader.pk] = reader.display_name
        except ValidationError:
            # (No NUL byte: PostgreSQL cannot store one in any text column.)
            raw = vector.payload.replace("\x00", "")[:60]
            User.objects.filter(pk=reader.pk).update(display_name=raw)
    return accepted


def test_comments_notes_and_names_never_run_for_readers_or_moderators(
    live_server, browser, signed_in_context, make_article, reader, moderator, hostile_settings
):
    article = make_article("Harbour wall repairs to start in May")
    readers = make_readers(len(POSTED))
    names = give_names(readers)

    # --- Comments: through the API for one vector of each class, the service for the rest.
    client = Client()
    by_class: dict[str, Vector] = {}
    for vector in POSTED:
        by_class.setdefault(vector.cls, vector)
    comment_of: dict[str, int] = {}
    for author, vector in zip(readers, POSTED, strict=True):
        if by_class[vector.cls] is vector:
            response = client.post(
                f"/api/v1/articles/{article.pk}/comments",
                data=json.dumps({"body": vector.payload}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {issue_token(user=author)[1]}",
            )
            assert response.status_code == 201, (vector.name, response.content[:300])
            comment_of[vector.name] = response.json()["id"]
        else:
            comment_of[vector.name] = post_comment(
                author=author, article=article, body=vector.payload
            ).pk
    too_long = next(v for v in VECTORS if v.name == OVER_LIMIT)
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        data=json.dumps({"body": too_long.payload}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=reader)[1]}",
    )
    assert response.status_code == 400 and response.json()["error"] == "too_long"
    published = Comment.objects.filter(article=article, status=CommentStatus.PUBLISHED).count()
    assert published == len(POSTED)

    # --- Report notes: every reader reports one of two comments by `reader`, the note a vector.
    targets = [
        post_comment(author=reader, article=article, body=f"Reported comment {n}.") for n in (1, 2)
    ]
    reason = ReportReason.objects.filter(active=True).order_by("sort_order").first().code
    notes: dict[int, list[str]] = {t.pk: [] for t in targets}
    reporters: dict[int, list[int]] = {t.pk: [] for t in targets}
    for i, (reporter, vector) in enumerate(zip(readers, POSTED, strict=True)):
        target = targets[i * len(targets) // len(POSTED)]
        try:
            report_comment(reporter=reporter, comment=target, reason=reason, note=vector.payload)
        except ModerationError as refused:  # over the note limit: the rule holds, send less
            assert refused.code == "too_long" and len(normalise(vector.payload)) > NOTE_MAX
            report_comment(
                reporter=reporter,
                comment=target,
                reason=reason,
                note=normalise(vector.payload)[:NOTE_MAX],
            )
        notes[target.pk].append(normalise(Report.objects.get(reporter=reporter).note))
        reporters[target.pk].append(reporter.pk)
    assert all(len(n) <= DESK_ITEM_REPORTS for n in notes.values())

    # --- Illegal-content notices on the second target, appeals against a few removals. -----
    sample = POSTED[::NOTICE_STRIDE]
    for i, vector in enumerate(sample):
        form = NoticeForm(
            law=vector.payload[:200],
            explanation=vector.payload[:NOTICE_EXPLANATION_MAX],
            name=vector.payload[:200],
            email=f"notice{i}@example.com",
            good_faith=True,
        )
        file_notice(comment=targets[1], form=form)
    appealed = []
    for vector, author in zip(sample[:APPEALS], readers[-APPEALS:], strict=True):
        removed = post_comment(author=author, article=article, body=f"Removed {author.pk}.")
        decide(comment=removed, moderator=moderator, action="reject", reason=reason)
        file_appeal(comment=removed, author=author, text=vector.payload[:APPEAL_MAX])
        appealed.append(removed)

    # --- Readers' pages, with the CSP as served and without it. -----------------------------
    article_url = live_server.url + article.url
    thread_url = f"{live_server.url}/comments/{article.pk}/"
    for bypass in (False, True):
        context, watch = watched(browser, live_server.url, bypass_csp=bypass)
        page = open_page(context, watch, article_url)
        bodies = page.evaluate(
            """(ids) => ids.map((id) => {
                const node = document.getElementById("comment-" + id);
                if (!node) return null;
                const body = node.querySelector("[data-body]");
                const author = node.querySelector(".comment__author");
                return [body ? body.innerText : "", author ? author.innerText : ""];
            })""",
            [comment_of[v.name] for v in POSTED],
        )
        missing = [v.name for v, seen in zip(POSTED, bodies, strict=True) if seen is None]
        assert not missing, missing
        lost = [
            v.name
            for v, (body, _) in zip(POSTED, bodies, strict=True)
            if squash(body) != squash(normalise(v.payload))
        ]
        assert not lost, lost  # escaped and shown, not dropped
        shown_names = {
            author.pk: squash(name)
            for author, (_, name) in zip(readers, bodies, strict=True)
            if author.pk in names
        }
        assert shown_names == {pk: squash(name) for pk, name in names.items()}
        if not bypass:
            open_page(context, watch, thread_url)
        context.close()
        watch.assert_clean()

    # Signed in, the script adds the reader's own controls to the thread; the report page
    # quotes a comment and its author's name.
    context, watch = watched(browser, live_server.url, signed_in_context(readers[0]))
    open_page(context, watch, article_url).close()
    for vector in POSTED[1::REPORT_PAGE_STRIDE]:
        url = f"{live_server.url}/comments/{comment_of[vector.name]}/report/"
        open_page(context, watch, url).close()
    context.close()
    watch.assert_clean()

    # --- The desk: notes and reporters' names on each item; notices and appeals in queues. --
    context, watch = watched(browser, live_server.url, signed_in_context(moderator))
    for target in targets:
        page = open_page(context, watch, f"{live_server.url}/moderation/comment/{target.pk}/")
        text = squash(page.inner_text("body"))
        unseen = [note for note in notes[target.pk] if squash(note) not in text]
        assert not unseen, unseen[:5]
        unnamed = [names[pk] for pk in reporters[target.pk] if pk in names]
        unnamed = [name for name in unnamed if squash(name) not in text]
        assert not unnamed, unnamed[:5]
        page.close()
    for queue in ("reported", "recent", "appeals"):
        page = open_page(context, watch, f"{live_server.url}/moderation/queue/{queue}/")
        if queue == "appeals":
            text = squash(page.inner_text("body"))
            unseen = [v.name for v in sample[:APPEALS] if squash(normalise(v.payload)) not in text]
            assert not unseen, unseen
        page.close()
    page = open_page(context, watch, f"{live_server.url}/moderation/comment/{appealed[0].pk}/")
    page.close()
    context.close()
    watch.assert_clean()


# --- Wire copy ------------------------------------------------------------------------------

WIRE_STORIES = 6


def ninjs_story(n: int, chunk: list[Vector], html: bool) -> dict:
    """A ninjs 2.x text item whose headline, byline, dateline, summary and body are hostile."""
    body = (
        "".join(f"<div>{v.payload}</div>" for v in chunk)
        if html
        else "\n\n".join(v.payload for v in chunk)
    )
    return {
        "uri": f"https://hostile-wire.example/items/{n}",
        "type": "text",
        "version": "1",
        "versioncreated": "2026-04-02T06:15:00+01:00",
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": chunk[0].payload}],
        "descriptions": [
            {"role": "summary", "contenttype": "text/plain", "value": chunk[3].payload}
        ],
        "bodies": [
            {"role": "main", "contenttype": "text/html" if html else "text/plain", "value": body}
        ],
        "by": chunk[1].payload,
        "located": chunk[2].payload,
        "copyrightholder": "Hostile Wire",
        "keywords": [chunk[4].payload[:90]],
    }


def test_wire_copy_never_runs(live_server, browser, home, hostile_settings):
    section = ensure_section(name="Wire")
    # Strided chunks mix the classes; the script-context vectors lead, as headlines, since a
    # headline also goes into <title>, the meta tags and the JSON-LD.
    leading = [v for v in VECTORS if v.cls == "context" and html_to_text(v.payload)]
    leading = leading[:WIRE_STORIES]
    rest = [v for v in VECTORS if v not in leading]
    chunks = [[lead, *rest[n::WIRE_STORIES]] for n, lead in enumerate(leading)]
    urls = []
    for n, chunk in enumerate(chunks):
        document = parse_document(ninjs_story(n, chunk, html=n % 2 == 0))
        result = import_document(document=document, base_path=None, section=section, publish=True)
        assert result.status == "created", (n, result.reason)
        urls.append(live_server.url + result.article.url)
    assert sorted(v.name for chunk in chunks for v in chunk) == sorted(v.name for v in VECTORS)

    # Wagtail indexes pages in queued tasks: run them as `masthead worker` would.
    worker = Worker(jobs=[])
    while worker.run_queued_tasks():
        pass
    # Search shows snippets of the wire text and echoes the query (in the title, the box and
    # the result line): the words of the vectors, and a few vectors as the query itself.
    by_name = {v.name: v for v in VECTORS}
    queries = ["script onerror javascript"]
    queries += [by_name[name].payload for name in ("context-close-title", "attr-dq-autofocus")]
    searches = [f"{live_server.url}/search/?{urlencode({'q': q})}" for q in queries]
    pages = [*urls, live_server.url + section.url, live_server.url + "/", *searches]
    for bypass in (False, True):
        context, watch = watched(browser, live_server.url, bypass_csp=bypass)
        # Without the CSP, the stories whose bodies came as HTML (the plain ones are escaped
        # whole, and are read word for word in the first pass).
        for url in urls[::2] if bypass else pages:
            page = open_page(context, watch, url)
            text = squash(page.inner_text("body"))
            if url in urls and urls.index(url) % 2:  # a plain-text body: every word shown
                chunk = chunks[urls.index(url)]
                lost = [v.name for v in chunk[4:] if squash(normalise(v.payload)) not in text]
                assert not lost, (url, lost)
            if url == searches[0]:
                assert "found for" in text and "No stories" not in text
            page.close()
        context.close()
        watch.assert_clean()


def test_the_watch_sees_markup_that_gets_through(
    live_server, browser, make_article, reader, hostile_settings
):
    """The detectors themselves: markup written straight into a comment's stored HTML, as a
    sanitiser hole would leave it, is caught: blocked and reported with the CSP on, run and
    recorded with it off, and found by the DOM search either way."""
    article = make_article("Ferry timetable changes for the winter")
    comment = post_comment(author=reader, article=article, body="An ordinary comment.")
    chosen = {v.name: v for v in VECTORS}
    names = ["tag-script-plain", "tag-img-onerror-bare", "tag-svg-onload", "url-js-mixed-case"]
    raw = "".join(chosen[name].payload for name in names)
    Comment.objects.filter(pk=comment.pk).update(body_html=raw)
    for bypass in (False, True):
        context, watch = watched(browser, live_server.url, bypass_csp=bypass)
        open_page(context, watch, live_server.url + article.url)
        context.close()
        if bypass:
            ran = {event.rsplit("run: ", 1)[-1] for event in watch.events if "run: " in event}
            assert {"tag-script-plain", "tag-img-onerror-bare", "tag-svg-onload"} <= ran
        else:
            assert any("csp: script-src" in event for event in watch.events), watch.events
        assert any("onerror" in finding for finding in watch.findings), watch.findings
        assert any("javascript:" in finding.lower() for finding in watch.findings), watch.findings
        with pytest.raises(AssertionError):
            watch.assert_clean()
