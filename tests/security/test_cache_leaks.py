"""Cache leaks: what one reader sees must never reach another through a cache.

- Public pages (stories, fronts, lists, corrections, feeds, sitemaps, search) go out the same for
  everyone and cacheable: no cookie, no CSRF token, nothing of a reader who asked for the same
  address first, whether that was a reader, a moderator, an editor or an admin.
- Every answer to a signed-in reader, a staff member or a bearer token is `private, no-store`,
  and no response that sets a cookie is `public`.
- Comments awaiting review, removed or hidden after reports never show on any public surface,
  whoever asks (their own author may see theirs, privately).
- `X-Forwarded-For` counts only from the configured proxies, so a client cannot dodge a
  per-address limit by writing a new address into it on every request.

Masthead's own page cache is on throughout (whatever the environment says), so "first visitor
wins" is really exercised: a hit serves the bytes stored for whoever asked first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import Client

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user, issue_token
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import edit_comment, post_comment
from masthead.core import counters
from masthead.editorial.services import add_correction
from masthead.moderation.models import ModerationSettings
from masthead.moderation.services import decide, report_comment
from masthead.newsroom.models import ArticlePage, Author, CommentMode

PASSWORD = "correct-horse-battery-staple-42"
# Names nobody else in the newsroom uses, so finding one in a page can only be a leak.
PEOPLE = {
    "reader": ("quillon.leakreader@example.com", Role.READER, "Quillon Marrowby"),
    "other": ("tamsin.leakother@example.com", Role.READER, "Tamsin Vellacott"),
    "moderator": ("orrin.leakmod@example.com", Role.MODERATOR, "Orrin Faircloth"),
    "editor": ("ysolde.leakeditor@example.com", Role.EDITOR, "Ysolde Pennycrest"),
    "admin": ("barnaby.leakadmin@example.com", Role.ADMIN, "Barnaby Quenell"),
}
SAVED_MESSAGE = "Your comments now show your new name"
SUSPECT = "zanzibarquux"  # the moderators' suspect word: holds a comment for review
CSRF_IN_MARKUP = re.compile(r"csrf[\w-]*[\"']?\s*(?:[:=]|content=)\s*[\"'][A-Za-z0-9]{32,}", re.I)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "PAGE_CACHE": {**settings.MASTHEAD["PAGE_CACHE"], "ENABLED": True},
        "TRUSTED_PROXIES": [],
        # Authors here post more than a minute's worth; the per-address limits are tested below.
        "RATE_LIMITS": {**settings.MASTHEAD["RATE_LIMITS"], "comment": "100/m"},
    }


@pytest.fixture
def people(db) -> dict[str, User]:
    return {
        key: create_user(
            email=email, password=PASSWORD, role=role, verified=True, display_name=name
        )
        for key, (email, role, name) in PEOPLE.items()
    }


def personal_strings(people: dict[str, User]) -> list[str]:
    return [s for user in people.values() for s in (user.email, user.display_name)]


def check_cookies_never_public(response: HttpResponse) -> None:
    """Whatever the page: a response that sets a cookie is never for a shared cache."""
    if response.cookies or "Set-Cookie" in response.headers:
        control = response.get("Cache-Control", "").lower()
        assert "public" not in control, (response.request["PATH_INFO"], control)
        assert "private" in control and "no-store" in control, response.request["PATH_INFO"]
        assert "Surrogate-Key" not in response.headers


def signed_in(user: User) -> Client:
    """A browser signed in as `user`, as session.js sees it (the readable hint cookie too)."""
    client = Client()
    client.force_login(user)
    client.cookies["masthead_signed_in"] = "1"
    return client


def fetch(client: Client, url: str) -> HttpResponse:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    check_cookies_never_public(response)
    return response


def text(response: HttpResponse) -> str:
    return response.content.decode("utf-8", "replace")


# --- 1. Public pages: the same, cookie-free, token-free and cacheable for everyone -----------


@pytest.fixture
def newsroom(make_article, home, section):
    byline = Author.objects.create(name="Ines Carvalho", job_title="Harbour reporter")
    story = make_article("Ferry fares to rise", tags=["ferries"], authors=[byline])
    add_correction(article=story, kind="update", text="The fare rise starts in May.", by=None)
    story.refresh_from_db()
    return {"story": story, "home": home, "section": section, "author": byline}


def public_urls(newsroom: dict[str, Any]) -> list[str]:
    return [
        newsroom["story"].url,
        newsroom["home"].url,
        newsroom["section"].url,
        "/tags/ferries/",
        f"/authors/{newsroom['author'].slug}/",
        "/corrections/",
        "/feed/",
        "/feed/atom/",
        "/feed/section/news/",
        "/feed/section/news/atom/",
        "/feed/tag/ferries/",
        "/feed/tag/ferries/atom/",
        "/sitemap.xml",
        "/sitemap-fronts.xml",
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/news-sitemap.xml",
        "/search/?q=ferry",
    ]


def assert_anonymous_and_cacheable(
    response: HttpResponse, url: str, forbidden: Iterable[str]
) -> None:
    assert response.status_code == 200, url
    assert not response.cookies and "Set-Cookie" not in response.headers, url
    control = response.get("Cache-Control", "")
    assert "public" in control and "s-maxage=" in control, (url, control)
    assert "private" not in control and "no-store" not in control, (url, control)
    assert "cookie" not in response.get("Vary", "").lower(), url
    # The headers too: a hit replays the stored copy's headers as well as its bytes.
    body = text(response) + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    assert "csrfmiddlewaretoken" not in body, url
    assert not CSRF_IN_MARKUP.search(body), url
    for value in forbidden:
        assert value.lower() not in body.lower(), f"{value!r} leaked into {url}"


@pytest.mark.parametrize("first", ["reader", "moderator", "editor", "admin"])
def test_public_pages_stored_after_a_signed_in_visit_are_everyones(first, people, newsroom):
    """Someone signed in (with a CSRF cookie and a message waiting) asks for every public
    address first; the anonymous reader after them gets the stored copy, which holds nothing
    of theirs."""
    visitor = signed_in(people[first])
    fetch(visitor, "/accounts/profile/")  # the visitor now holds a CSRF cookie
    visitor.post("/accounts/profile/", {"display_name": people[first].display_name})
    secret = visitor.cookies["csrftoken"].value
    assert secret
    forbidden = [*personal_strings(people), secret, SAVED_MESSAGE]
    anonymous = Client()
    for url in public_urls(newsroom):
        theirs = fetch(visitor, url)
        assert theirs.status_code == 200, url
        response = fetch(anonymous, url)
        assert_anonymous_and_cacheable(response, url, forbidden)
        if not url.startswith("/search/"):  # /search/ is left to the cache in front
            # The anonymous reader was served what was stored when the visitor asked.
            assert response["X-Cache"] == "HIT", url
            assert response.content == theirs.content, url
    # The message the visitor left waiting is still theirs, and only theirs.
    state = fetch(visitor, f"/api/v1/me/page-state?article={newsroom['story'].pk}").json()
    assert any(SAVED_MESSAGE in m["text"] for m in state["messages"])


# --- 2. Personal answers are private and never stored ----------------------------------------


@pytest.fixture
def suspect_word(db) -> str:
    """The moderators' setting that holds any comment using SUSPECT for review."""
    row = ModerationSettings.load()
    row.suspect_words = SUSPECT
    row.save()
    return SUSPECT


@pytest.fixture
def desk(people, make_article, suspect_word):
    """A story with a published comment, one held for review and one removed, so every desk
    and account page has something personal on it."""
    story = make_article("Harbour dredging delayed")
    mine = post_comment(author=people["reader"], article=story, body="The delay costs us all.")
    held = post_comment(author=people["reader"], article=story, body=f"A {SUSPECT} remark.")
    assert held.status == CommentStatus.PENDING
    removed = post_comment(author=people["reader"], article=story, body="Removed remark.")
    decide(comment=removed, moderator=people["moderator"], action="reject")
    theirs = post_comment(author=people["other"], article=story, body="Dredge it now.")
    return {"story": story, "mine": mine, "held": held, "removed": removed, "theirs": theirs}


def personal_urls(desk: dict[str, Any]) -> dict[str, list[str]]:
    story, mine, held, removed = (
        desk["story"].pk,
        desk["mine"].pk,
        desk["held"].pk,
        desk["removed"].pk,
    )
    reader = [
        "/accounts/profile/",
        "/accounts/profile/export.json",
        "/accounts/profile/delete/",
        "/accounts/email/",
        "/accounts/password/change/",
        f"/comments/{story}/",
        f"/comments/{story}/?sort=oldest",
        f"/comments/{story}/?reply_to={mine}",
        f"/comments/{desk['theirs'].pk}/report/",
        f"/comments/{mine}/notice/",
        f"/moderation/appeal/{removed}/",
        "/contribute",
        "/api/v1/me",
        f"/api/v1/me/page-state?article={story}",
        "/api/v1/me/page-state",
        "/api/v1/revenue/me",
        "/api/v1/csrf",
        f"/api/v1/articles/{story}/comments",
        f"/api/v1/articles/{story}/comments?sort=top",
        f"/api/v1/comments?ids={mine},{held}",
        f"/api/v1/comments/{mine}/replies",
    ]
    moderator = [
        "/moderation/",
        *(f"/moderation/queue/{name}/" for name in ("reported", "pending", "recent", "rejected")),
        f"/moderation/comment/{held}/",
        "/moderation/log/",
        "/moderation/log.csv",
        "/moderation/dashboard/",
        "/api/v1/moderation/queues/pending",
        "/api/v1/moderation/queues/pending/gone?ids=1",
        f"/api/v1/moderation/comments/{held}/history",
        "/cms/",
    ]
    editor = ["/cms/", "/cms/pages/", f"/cms/pages/{story}/edit/", "/api/v1/me"]
    admin = [
        "/revenue/",
        "/revenue/contributions.csv",
        "/api/v1/revenue/summary",
        "/cms/",
        "/cms/users/",
        "/moderation/",
    ]
    return {"reader": reader, "moderator": moderator, "editor": editor, "admin": admin}


def assert_private(response: HttpResponse, url: str) -> None:
    control = response.get("Cache-Control", "").lower()
    assert "private" in control and "no-store" in control, (url, response.status_code, control)
    assert "public" not in control, (url, control)
    assert "Surrogate-Key" not in response.headers, url


@pytest.mark.parametrize("who", ["reader", "moderator", "editor", "admin"])
def test_every_answer_to_a_signed_in_request_is_private_and_not_stored(who, people, desk):
    client = signed_in(people[who])
    for url in personal_urls(desk)[who]:
        response = fetch(client, url)
        # Really the page (the desk's front door redirects to a queue), not a refusal.
        assert response.status_code in (200, 302), (url, response.status_code)
        assert_private(response, url)


def test_answers_to_a_bearer_token_are_private_and_not_stored(people, desk):
    _, raw = issue_token(user=people["reader"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    story, mine = desk["story"].pk, desk["mine"].pk
    me = fetch(client, "/api/v1/me")
    assert me.status_code == 200 and me.json()["display_name"] == "Quillon Marrowby"
    for url in [
        "/api/v1/me",
        "/api/v1/revenue/me",
        f"/api/v1/articles/{story}/comments",
        f"/api/v1/articles/{story}/comments/live",
        f"/api/v1/comments?ids={mine}",
        f"/api/v1/comments/{mine}/replies",
        f"/api/v1/me/page-state?article={story}",
        desk["story"].url,
    ]:
        assert_private(fetch(client, url), url)


def test_forms_for_anonymous_readers_set_their_cookie_privately(desk, home):
    """Sign-in, sign-up, reset and notice forms carry a CSRF token (and set its cookie): they
    are never public."""
    anonymous = Client()
    for url in [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        f"/comments/{desk['mine'].pk}/notice/",
    ]:
        response = fetch(anonymous, url)
        assert response.status_code == 200 and "csrfmiddlewaretoken" in text(response), url
        assert_private(response, url)
    assert_private(fetch(anonymous, "/api/v1/csrf"), "/api/v1/csrf")


def test_signing_in_and_out_sets_cookies_privately(people, home):
    browser = Client()
    signed = browser.post(
        "/accounts/login/", {"login": people["reader"].email, "password": PASSWORD}
    )
    assert signed.status_code == 302 and "masthead_signed_in" in signed.cookies
    check_cookies_never_public(signed)
    left = browser.post("/accounts/logout/")
    assert left.status_code in (302, 303) and left.cookies
    check_cookies_never_public(left)


# --- 3. Held and removed comments never reach anyone else ------------------------------------


@pytest.fixture
def thread(people, make_article, suspect_word, django_capture_on_commit_callbacks):
    """A story whose thread has comments readers may see and comments they may not, each with
    a marker of its own; every public surface has been read once while the to-be-removed ones
    were still published, so stale cached copies would show them."""
    author, moderator = people["reader"], people["moderator"]
    story = make_article("Ferry fares to rise", tags=["ferries"], comment_mode=CommentMode.OPEN)
    held_story = make_article("Harbour plan", comment_mode=CommentMode.PREMODERATED)
    shown = {
        "leakshownparent": post_comment(author=author, article=story, body="leakshownparent"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        doomed_parent = post_comment(author=author, article=story, body="leakremovedparent")
        shown["leakshownreply"] = post_comment(
            author=author, article=story, body="leakshownreply", parent=doomed_parent
        )
        doomed = post_comment(author=author, article=story, body="leakremovedlater")
        edited = post_comment(author=author, article=story, body="leakeditedaway")
        reported = post_comment(author=author, article=story, body="leakhiddenbyreports")
        secret = {
            "leakheldbyword": post_comment(
                author=author, article=story, body=f"leakheldbyword {SUSPECT}"
            ),
            "leakheldreply": post_comment(
                author=author,
                article=story,
                body=f"leakheldreply {SUSPECT}",
                parent=shown["leakshownparent"],
            ),
            "leakheldbymode": post_comment(
                author=author, article=held_story, body="leakheldbymode"
            ),
            "leakremovedparent": doomed_parent,
            "leakremovedlater": doomed,
        }
    stories = {"story": story, "held_story": held_story}
    # Warm every cache while the doomed comments are still published.
    warm = public_surfaces(stories, secret, shown)
    anonymous = Client()
    for url in warm:
        fetch(anonymous, url)
    assert "leakremovedlater" in text(fetch(anonymous, story.url))
    with django_capture_on_commit_callbacks(execute=True):
        for comment in (doomed_parent, doomed):
            comment.refresh_from_db()
            decide(comment=comment, moderator=moderator, action="reject")
        edited.refresh_from_db()
        # An edit that trips the suspect word takes a published comment back into review.
        edit_comment(comment=edited, user=author, body=f"leakeditedheld {SUSPECT}")
        # Three readers' reports hide a comment until a moderator decides.
        for reporter in ("other", "editor", "admin"):
            report_comment(reporter=people[reporter], comment=reported, reason="abuse")
    edited.refresh_from_db()
    reported.refresh_from_db()
    assert edited.status == CommentStatus.PENDING
    assert reported.status == CommentStatus.HIDDEN
    secret["leakeditedaway"] = secret["leakeditedheld"] = edited
    secret["leakhiddenbyreports"] = reported
    for marker in ("leakheldbyword", "leakheldreply", "leakheldbymode"):
        assert secret[marker].status == CommentStatus.PENDING, marker
    assert Comment.objects.filter(status=CommentStatus.REJECTED).count() == 2
    return {**stories, "secret": secret, "shown": shown}


def public_surfaces(
    stories: dict[str, ArticlePage], secret: dict[str, Comment], shown: dict[str, Comment]
) -> list[str]:
    story, held_story = stories["story"], stories["held_story"]
    every_id = ",".join(str(c.pk) for c in [*secret.values(), *shown.values()])
    urls = [
        story.url,
        held_story.url,
        "/",
        "/news/",
        "/tags/ferries/",
        "/feed/",
        "/feed/atom/",
        "/feed/section/news/",
        "/feed/tag/ferries/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/search/?q=ferry",
        "/search/?q=harbour",
        "/api/v1/articles",
        f"/api/v1/comments?ids={every_id}",
    ]
    for article in (story, held_story):
        urls += [
            f"/comments/{article.pk}/",
            f"/comments/{article.pk}/?sort=oldest",
            f"/comments/{article.pk}/?sort=top",
            f"/api/v1/articles/{article.pk}/comments",
            f"/api/v1/articles/{article.pk}/comments?sort=oldest",
            f"/api/v1/articles/{article.pk}/comments?sort=top",
            f"/api/v1/articles/{article.pk}/comments?since=0",
            f"/api/v1/articles/{article.pk}/comments?since=0&limit=100",
            f"/api/v1/articles/{article.pk}/comments/live",
        ]
    for comment in [*secret.values(), *shown.values()]:
        urls += [
            f"/api/v1/comments/{comment.pk}/replies",
            f"/comments/{comment.pk}/report/",
            f"/comments/{comment.pk}/notice/",
            f"/moderation/appeal/{comment.pk}/",
            f"/comments/{comment.article_id}/?reply_to={comment.pk}",
        ]
    return urls


def walk_cursor_pages(client: Client, article_id: int, sort: str) -> list[str]:
    """Every page of the thread through the API, one comment at a time."""
    bodies, cursor = [], ""
    for _ in range(20):
        url = f"/api/v1/articles/{article_id}/comments?sort={sort}&limit=1"
        response = fetch(client, url + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200
        bodies.append(text(response))
        cursor = response.json()["next_cursor"]
        if not cursor:
            return bodies
    raise AssertionError("the cursor never ended")


def test_held_and_removed_comments_reach_nobody_but_their_author(thread, people):
    secret, shown = thread["secret"], thread["shown"]
    story, held_story = thread["story"], thread["held_story"]
    readers = {"anonymous": Client(), "other reader": signed_in(people["other"])}
    for who, client in readers.items():
        seen = ""
        for url in public_surfaces(thread, secret, shown):
            response = fetch(client, url)
            body = text(response).lower()
            seen += body
            for marker in secret:
                assert marker not in body, f"{marker} reached the {who} at {url}"
        for article in (story, held_story):
            for sort in ("newest", "oldest", "top"):
                for body in walk_cursor_pages(client, article.pk, sort):
                    seen += body.lower()
                    for marker in secret:
                        assert marker not in body, f"{marker} reached the {who} ({sort} pages)"
        state = fetch(client, f"/api/v1/me/page-state?article={story.pk}")
        assert_private(state, "page-state")
        for marker in secret:
            assert marker not in text(state), f"{marker} in the {who}'s page state"
        # The surfaces do show comments: what is allowed is there, so the test can fail.
        for marker in shown:
            assert marker in seen, f"{marker} missing for the {who}"
        live = fetch(client, f"/api/v1/articles/{story.pk}/comments/live").json()
        assert live["comment_count"] == 2  # the two shown; nothing held or removed is counted

    # Their author may see the held ones, privately; their visit stores nothing of it.
    author = signed_in(people["reader"])
    state = fetch(author, f"/api/v1/me/page-state?article={story.pk}")
    assert_private(state, "page-state")
    assert "leakheldbyword" in text(state) and "leakeditedheld" in text(state)
    cache.clear()
    caches["pages"].clear()
    assert fetch(author, story.url)["X-Cache"] == "MISS"  # rendered, and stored, for them
    after = fetch(Client(), story.url)
    assert after["X-Cache"] == "HIT"
    for marker in secret:
        assert marker not in text(after), marker


# --- 4. X-Forwarded-For only from the proxies we run -----------------------------------------


def limits(settings, **rates: str) -> None:
    settings.MASTHEAD = {
        **settings.MASTHEAD,
        "RATE_LIMITS": {**settings.MASTHEAD["RATE_LIMITS"], **rates},
    }


def trust(settings, *proxies: str) -> None:
    settings.MASTHEAD = {**settings.MASTHEAD, "TRUSTED_PROXIES": list(proxies)}


def reads(client: Client, story: ArticlePage, forwarded: list[str], remote: str) -> list[int]:
    return [
        client.post(
            f"/reads/{story.pk}",
            HTTP_X_FORWARDED_FOR=xff,
            REMOTE_ADDR=remote,
            HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)",  # robots are not counted at all
        ).status_code
        for xff in forwarded
    ]


SPOOFS = [f"198.51.100.{n}" for n in range(1, 5)]


@pytest.fixture(autouse=True)
def _forget_counted_reads():
    # Reads are buffered in memory; leave none to be written after the test database is gone.
    yield
    counters.reset()


def test_without_trusted_proxies_the_header_is_ignored(settings, make_article):
    limits(settings, read_ip="3/m")
    story = make_article()
    client = Client()
    assert reads(client, story, SPOOFS, "192.0.2.10") == [204, 204, 204, 429]
    # The limit is the address's: another address is not affected.
    assert reads(client, story, SPOOFS[:1], "192.0.2.11") == [204]


def test_behind_a_trusted_proxy_the_address_it_saw_counts_not_what_the_client_wrote(
    settings, make_article
):
    limits(settings, read_ip="3/m")
    trust(settings, "127.0.0.1/32")
    story = make_article()
    client = Client()
    # The client writes its own leftmost entry; the proxy appends the address it saw.
    chains = [f"{spoof}, 203.0.113.7" for spoof in SPOOFS]
    assert reads(client, story, chains, "127.0.0.1") == [204, 204, 204, 429]
    # The proxy is believed: a different client behind it has its own allowance...
    assert reads(client, story, ["203.0.113.8"], "127.0.0.1") == [204]
    # ...and two proxies of ours in a row are skipped (right to left) to the client.
    trust(settings, "127.0.0.1/32", "10.0.0.0/8")
    assert reads(client, story, ["1.2.3.4, 203.0.113.7, 10.0.0.5"], "127.0.0.1") == [429]


def test_from_an_untrusted_address_the_header_is_ignored(settings, make_article):
    limits(settings, read_ip="3/m")
    trust(settings, "127.0.0.1/32")
    story = make_article()
    chains = [f"203.0.113.{n}" for n in range(1, 5)]
    assert reads(Client(), story, chains, "192.0.2.50") == [204, 204, 204, 429]


def test_many_accounts_from_one_address_share_its_comment_limit(settings, people, make_article):
    limits(settings, comment_ip="2/m")
    trust(settings, "127.0.0.1/32")
    story = make_article(comment_mode=CommentMode.OPEN)
    statuses = []
    for n, key in enumerate(["reader", "other", "editor"]):
        client = signed_in(people[key])
        response = client.post(
            f"/api/v1/articles/{story.pk}/comments",
            {"body": f"Comment number {n} from one address."},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
            REMOTE_ADDR="127.0.0.1",
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 429]
    assert response.json()["error"] == "rate_limited"


def test_reports_from_one_address_are_limited_whatever_it_claims(settings, people, desk):
    limits(settings, report_ip="1/m")
    targets = [
        post_comment(author=people["other"], article=desk["story"], body=f"Report me {n}.")
        for n in range(2)
    ]
    statuses = []
    for n, comment in enumerate(targets):
        response = signed_in(people["editor"]).post(
            f"/api/v1/comments/{comment.pk}/reports",
            {"reason": "abuse"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            REMOTE_ADDR="192.0.2.77",
        )
        statuses.append(response.status_code)
    assert statuses == [202, 429]


def failed_logins(client: Client, chains: list[str], remote: str) -> list[bool]:
    """For each attempt (a wrong password for a new address each time), whether the limit
    refused it."""
    refused = []
    for n, xff in enumerate(chains):
        response = client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.com", "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR=xff,
            REMOTE_ADDR=remote,
        )
        refused.append("Too many failed login attempts" in text(response))
    return refused


def test_sign_in_limits_are_not_dodged_by_the_header(settings, home):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    client = Client()
    assert failed_logins(client, SPOOFS, "192.0.2.20") == [False, False, False, True]
    trust(settings, "127.0.0.1/32")
    chains = [f"{spoof}, 203.0.113.20" for spoof in SPOOFS]
    assert failed_logins(client, chains, "127.0.0.1") == [False, False, False, True]
    # Behind the proxy, another client is counted on its own.
    assert failed_logins(client, ["203.0.113.21"], "127.0.0.1") == [False]
