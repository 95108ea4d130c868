"""Who may reach what: every URL pattern and every API operation, as every persona.

The routes are discovered, not listed: the URL resolver is walked (the site, allauth, the
Wagtail admin under /cms/, the ninja API) and the API's operations are read from its OpenAPI
schema. Each one must match a rule in the tables below; one that matches none fails the test
with the name to add, so a new endpoint cannot slip past unreviewed.

Each request runs in a savepoint that is rolled back, so an allowed write (a moderator's
decision, an author deleting their comment) cannot change what the next request sees. Writes
carry a minimal valid body, so a missing permission check would go through: for every persona
not allowed, the test also checks that nothing in the database changed.

Outcomes: `login` (a redirect to the sign-in page), `cms-login` (to the CMS sign-in page),
`cms-home` (Wagtail's "no permission" bounce to the CMS home), `401`, `403`, `404`, `405`, or
`ok` (anything else below 500: a page, a redirect elsewhere, a 4xx about the input). `any`
accepts any answer below 500; `refused` is a refusal shown as a message on the page the reader
came back to (an `ok` answer that must change nothing); a 5xx always fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import APIToken

from masthead.accounts.models import User
from masthead.accounts.services import issue_token
from masthead.community.models import Comment, Reaction
from masthead.core.api import api
from masthead.moderation.models import Appeal, IllegalContentNotice, ModerationAction, Report
from masthead.revenue.models import Contribution
from tests.security.conftest import PERSONAS, READERS, STAFF, World

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
# May take part (comment, report, like): signed in, verified, not suspended.
PARTICIPANTS = SIGNED_IN - {"unverified", "banned"}
MODERATORS = frozenset({"moderator", "admin"})
FEATURERS = frozenset({"moderator", "editor", "admin"})
ADMINS = frozenset({"admin"})
AUTHOR = frozenset({"author"})
NOBODY: frozenset[str] = frozenset()

Expect = str  # an outcome, "any", an exact status such as "400"; alternatives as "403|404"


@dataclass(frozen=True)
class Rule:
    """Who is allowed; how everyone else is refused.

    `anonymous` and `denied` are the refusals of anonymous callers and of signed-in ones;
    `per_persona` overrides either for one persona. `methods` are tried in order; GET is also
    tried on a write-only route and must then be `get` (a 405 for everyone by default, or
    per persona). `unissued` is the answer, to a reader and to an admin, for an id that was
    never issued: a refusal, never a page and never a 5xx.
    `target` names the world object that fills `comment_id`; `body` and `query` are the
    minimal valid input for a write (form data on pages, JSON on the API)."""

    allow: frozenset[str]
    anonymous: Expect = "login"
    denied: Expect = "403"
    per_persona: dict[str, Expect] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET",)
    get: Expect | dict[str, Expect] = "405"
    allowed: Expect = "ok"
    target: str = "published"
    body: dict | None = None
    query: dict | None = None
    unissued: Expect = "login|401|403|404|405"  # the answer for an id nobody was given

    def expect(self, persona: str) -> Expect:
        if persona in self.per_persona:
            return self.per_persona[persona]
        if persona in self.allow:
            return self.allowed
        return self.anonymous if persona == "anonymous" else self.denied


def public(**kw: object) -> Rule:
    return Rule(allow=EVERYONE, **kw)  # type: ignore[arg-type]


def signed_in(**kw: object) -> Rule:
    return Rule(allow=SIGNED_IN, **kw)  # type: ignore[arg-type]


def nobody(status: str, **kw: object) -> Rule:
    """Nothing stored at the address the test can fill in: the same answer for everyone."""
    return Rule(allow=NOBODY, anonymous=status, denied=status, **kw)  # type: ignore[arg-type]


def desk(**kw: object) -> Rule:
    return Rule(allow=MODERATORS, **kw)  # type: ignore[arg-type]


def desk_post(body: dict, target: str = "pending") -> Rule:
    return Rule(allow=MODERATORS, methods=("POST",), body=body, target=target)


# A refusal shown as a message on the page the reader came from (a 303 back to the thread).
REFUSED = "refused"

# --- Pages, by URL name ---------------------------------------------------------------------

PAGE_RULES: dict[str, Rule] = {
    # Accounts (ours and allauth's). Readers' own data only: no id in any of these.
    "account_logout": public(),
    "profile": signed_in(methods=("GET", "POST"), body={"display_name": "Renamed"}),
    "profile_export": signed_in(),
    "profile_delete": signed_in(),
    "account_login": public(),
    "account_signup": public(),
    "account_inactive": public(),
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_email_verification_sent": public(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(),
    "account_reset_password_from_key_done": public(),
    "account_confirm_email": public(),
    # Only while a sign-in by emailed code is under way (never, here): back to sign-in.
    "account_confirm_login_code": public(per_persona={"anonymous": "login"}),
    # The API's own pages; its operations have their own table below.
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "api:api-root": nobody("404"),
    # Readers' side of moderation. `reader` wrote `others_comment`: no reporting your own.
    "reports:report": Rule(
        allow=PARTICIPANTS - {"reader"},
        per_persona={"reader": "403"},
        methods=("GET", "POST"),
        target="others",
        body={"reason": "spam", "note": ""},
    ),
    "reports:report_sent": signed_in(target="others"),
    "reports:notice": public(
        target="others",
        methods=("GET", "POST"),
        body={
            "law": "Defamation Act 2013",
            "explanation": "It accuses a named neighbour of theft, which is untrue.",
            "name": "A Reader",
            "email": "someone@example.com",
            "good_faith": "on",
        },
    ),
    "reports:notice_sent": public(target="others"),
    "reports:appeal": Rule(
        allow=AUTHOR, target="rejected", methods=("GET", "POST"), body={"text": "Please."}
    ),
    # Comments without JavaScript.
    "community:thread": public(),
    "community:post": Rule(
        allow=PARTICIPANTS,
        per_persona={"unverified": "403", "banned": "403"},
        methods=("POST",),
        body={"body": "Will the new wall be taller than the old one?"},
    ),
    # Likes: a refusal is a message on the thread; the author cannot like their own comment.
    "community:like": Rule(
        allow=PARTICIPANTS - AUTHOR,
        denied=REFUSED,
        methods=("POST",),
    ),
    "community:unlike": Rule(allow=SIGNED_IN, methods=("POST",)),
    "community:feature": Rule(
        allow=FEATURERS, denied=REFUSED, methods=("POST",), body={"featured": "1"}
    ),
    "community:edit": Rule(
        allow=AUTHOR, methods=("GET", "POST"), body={"body": "Who pays for it, exactly?"}
    ),
    "community:delete": Rule(allow=AUTHOR, methods=("GET", "POST")),
    # The moderation desk: moderators and admins.
    "moderation:desk": desk(),
    "moderation:queue": desk(),
    "moderation:item": desk(target="pending"),
    "moderation:log": desk(),
    "moderation:log_csv": desk(),
    "moderation:dashboard": desk(),
    "moderation:decide": desk_post({"action": "approve"}),
    "moderation:undo": desk_post({}, target="rejected"),
    "moderation:note": desk_post({"text": "Keep an eye on this thread."}),
    "moderation:feature": desk_post({"featured": "1"}, target="published"),
    "moderation:appeal_decision": desk_post({"outcome": "upheld"}, target="rejected"),
    "moderation:bulk": desk_post({"action": "approve", "ids": ["{pending}"]}),
    # Revenue: the dashboard for admins; the thank-you and test-checkout pages are reached by
    # an unguessable id (a random UUID), like a receipt link.
    "revenue_dashboard:dashboard": Rule(allow=ADMINS),
    "revenue_dashboard:csv": Rule(allow=ADMINS),
    "contribute": public(
        methods=("GET", "POST"),
        body={"frequency": "once", "amount": "500", "email": "x@example.com", "name": "X"},
    ),
    "contribute_thanks": public(),
    "contribute_test_checkout": public(methods=("GET", "POST")),
    "contribute_manage": signed_in(methods=("POST",), get={"anonymous": "login"}),
    "contribute_test_portal": signed_in(),
    # Signed by Stripe, not by a session: an unsigned call is a 400 for anyone.
    "stripe_webhook": Rule(allow=EVERYONE, allowed="400", methods=("POST",), body={"id": "evt_1"}),
    # Public pages and counters.
    "ads:click": public(),
    # Beacons answer 204 whatever they are sent (an unknown id is simply not counted).
    "ads:impression": public(methods=("POST",), unissued="204"),
    "fronts:read": public(methods=("POST",), unissued="204"),
    "editorial:corrections": public(),
    "distribution:feed": public(),
    "distribution:feed_atom": public(),
    "distribution:section_feed": public(),
    "distribution:section_feed_atom": public(),
    "distribution:tag_feed": public(),
    "distribution:tag_feed_atom": public(),
    "distribution:sitemap": public(),
    "distribution:sitemap_section": public(),
    "distribution:news_sitemap": public(),
    "distribution:robots": public(),
    "distribution:search": public(),
    "newsroom:tag": public(),
    "newsroom:author": public(),
    # Wagtail's public side: pages, its sign-in for private pages, documents.
    "wagtail_serve": public(),
    "wagtailcore_login": public(),
    "wagtailcore_authenticate_with_password": nobody("404"),
    "wagtaildocs_serve": nobody("404"),
    "wagtaildocs_authenticate_with_password": nobody("404"),
}

# Unnamed patterns, by their route.
ROUTE_RULES: dict[str, Rule] = {
    "^api/": nobody("404"),
    r"^media/(?P<path>(?:images|original_images)/.*)$": nobody("404"),
}

# The CMS: staff only. Wagtail decides what each staff role may do there (its own tests cover
# that); ours is that no reader, suspended or not, gets past its door, and that the parts that
# govern accounts and the site are the admins'.
CMS = Rule(allow=STAFF, anonymous="cms-login", denied="cms-login", allowed="any")
CMS_ADMIN_ONLY = re.compile(r"^cms/(users|groups|sites|locales|settings/wagtailcore)/")
CMS_ADMIN = Rule(
    allow=ADMINS,
    anonymous="cms-login",
    # Other staff are bounced to the CMS home, or find no such object before being asked.
    per_persona={p: "cms-login" for p in READERS} | {p: "cms-home|403|404" for p in STAFF - ADMINS},
    allowed="any",
)
# The CMS's own door: its sign-in, password reset (Django's, which never says whether an
# address has an account) and the static sprite and translations its sign-in page loads.
CMS_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
# Wagtail's deliberate crash, for checking error reporting: only staff get that far.
CMS_FAILWHALE = Rule(allow=STAFF, anonymous="cms-login", denied="cms-login", allowed="500")

# --- API operations, by "METHOD /path" ------------------------------------------------------

API_PUBLIC = Rule(allow=EVERYONE)


def api_rule(allow: frozenset[str], **kw: object) -> Rule:
    return Rule(allow=allow, anonymous="401", **kw)  # type: ignore[arg-type]


API_RULES: dict[str, Rule] = {
    "GET /api/v1/csrf": API_PUBLIC,
    "GET /api/v1/articles": API_PUBLIC,
    "GET /api/v1/me": api_rule(SIGNED_IN),
    "GET /api/v1/articles/{article_id}/comments": API_PUBLIC,
    "POST /api/v1/articles/{article_id}/comments": api_rule(
        PARTICIPANTS, body={"body": "Is the wall listed?"}
    ),
    "GET /api/v1/comments": Rule(allow=EVERYONE, query={"ids": "{published},{pending}"}),
    "GET /api/v1/articles/{article_id}/comments/live": API_PUBLIC,
    "PATCH /api/v1/comments/{comment_id}": api_rule(AUTHOR, body={"body": "Who pays, then?"}),
    "DELETE /api/v1/comments/{comment_id}": api_rule(AUTHOR),
    "POST /api/v1/comments/{comment_id}/reactions": api_rule(
        PARTICIPANTS - AUTHOR, per_persona={"author": "ok"}
    ),
    "DELETE /api/v1/comments/{comment_id}/reactions": api_rule(SIGNED_IN),
    "GET /api/v1/comments/{comment_id}/replies": API_PUBLIC,
    "POST /api/v1/comments/{comment_id}/feature": api_rule(FEATURERS, body={"featured": True}),
    "GET /api/v1/me/page-state": Rule(allow=EVERYONE, query={"article": "{article}"}),
    "POST /api/v1/comments/{comment_id}/reports": api_rule(
        PARTICIPANTS - {"reader"}, target="others", body={"reason": "spam"}
    ),
    "GET /api/v1/report-reasons": API_PUBLIC,
    "GET /api/v1/moderation/queues/{name}": api_rule(MODERATORS),
    "GET /api/v1/moderation/queues/{name}/gone": api_rule(MODERATORS, query={"ids": "{pending}"}),
    "POST /api/v1/moderation/comments/{comment_id}/decision": api_rule(
        MODERATORS, target="pending", body={"action": "approve"}
    ),
    "POST /api/v1/moderation/decisions": api_rule(
        MODERATORS, body={"ids": ["{pending}"], "action": "approve"}
    ),
    "POST /api/v1/moderation/comments/{comment_id}/undo": api_rule(MODERATORS, target="rejected"),
    "POST /api/v1/moderation/comments/{comment_id}/notes": api_rule(
        MODERATORS, body={"text": "Watch this one."}
    ),
    "GET /api/v1/moderation/comments/{comment_id}/history": api_rule(MODERATORS),
    "GET /api/v1/revenue/me": API_PUBLIC,
    "GET /api/v1/revenue/summary": api_rule(ADMINS),
}


# --- Discovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined
    name: str  # "namespace:name", or "" for an unnamed pattern


def walk(patterns: list, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else ""
            yield Route(prefix + str(pattern.pattern), name)


def url_patterns() -> list[Route]:
    return list(dict.fromkeys(walk(get_resolver().url_patterns)))


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


def schema_route(route: str) -> str:
    """`api/v1/comments/<comment_id>` as the schema writes it: `/api/v1/comments/{comment_id}`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_rule(route: Route, api_paths: set[str]) -> Rule | str | None:
    """The rule for a discovered pattern; "api" when the OpenAPI table covers it."""
    if route.route.startswith("cms/"):
        if route.name == "wagtailadmin_error_test":
            return CMS_FAILWHALE
        if route.name in CMS_PUBLIC:
            # Staff already signed in are sent on from the sign-in page to the CMS home.
            return public(allowed="ok|cms-home") if route.name == "wagtailadmin_login" else public()
        return CMS_ADMIN if CMS_ADMIN_ONLY.match(route.route) else CMS
    if route.name.startswith("api:") and schema_route(route.route) in api_paths:
        return "api"
    if route.name:
        return PAGE_RULES.get(route.name)
    return ROUTE_RULES.get(route.route)


# --- Filling in a pattern -------------------------------------------------------------------


# An id that was never issued: what someone counting upwards from their own ids reaches.
UNISSUED = "987654"
ID_PARAMS = ("comment_id", "article_id", "contribution_id", "ad_id", "article", "pending")


def values(world: World, target: str, *, unissued: bool = False) -> dict[str, str]:
    comment = {
        "published": world.published,
        "pending": world.pending,
        "rejected": world.rejected,
        "others": world.others_comment,
    }[target]
    article = world.article
    return {
        "article_id": str(article.pk),
        "article": str(article.pk),
        "comment_id": str(comment.pk),
        "published": str(world.published.pk),
        "pending": str(world.pending.pk),
        "contribution_id": str(world.contribution.pk),
        "ad_id": str(world.ad.pk),
        "name": "pending",
        "section": "articles",
        "slug": world.tag_slug,
        "key": "not-a-real-key",
        "uidb36": "zz",
        "path": "images/not-there.jpg",
        # The Wagtail admin: its ids point at the story; names at the story's type.
        "page_id": str(article.pk),
        "parent_page_id": str(article.get_parent().pk),
        "page_to_move_id": str(article.pk),
        "destination_id": str(article.get_parent().pk),
        "page_pk": str(article.pk),
        "pk": str(article.pk),
        "app_name": "newsroom",
        "app_label": "newsroom",
        "content_type_app_name": "newsroom",
        "content_type_model_name": "articlepage",
        "model_name": "author",
        "filter_spec": "original",
    } | (
        dict.fromkeys(ID_PARAMS, UNISSUED)
        | {"published": UNISSUED, "contribution_id": "00000000-0000-4000-8000-000000000000"}
        if unissued
        else {}
    )


SLUG_FOR = {
    # The slug each public route's `<slug>` stands for.
    "newsroom:author": "author",
    "distribution:section_feed": "section",
    "distribution:section_feed_atom": "section",
}


def fill(route: Route, world: World, rule: Rule, *, unissued: bool = False) -> str:
    given = values(world, rule.target, unissued=unissued)
    given["slug"] = {"author": world.byline_slug, "section": world.section_slug}.get(
        SLUG_FOR.get(route.name, ""), world.tag_slug
    )
    if route.name == "wagtail_serve":
        return world.article.url
    if route.route == "^api/":
        return "/api/nothing-here"
    text = route.route
    # Regex groups first, then converters; anything left unknown becomes a number.
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: given.get(m[1], "1"), text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: given.get(m[1], "1"), text)
    text = re.sub(r"\(\?:[^)]*\)\??", "", text)
    text = text.replace("^", "").replace("$", "").replace("\\", "")
    # Wagtail's `^(\d+)/(.*)$` document route has unnamed groups.
    text = text.replace("(d+)", "1").replace("(.*)", "x.pdf")
    return "/" + text


def fill_api(path: str, world: World, rule: Rule, *, unissued: bool = False) -> str:
    given = values(world, rule.target, unissued=unissued)
    return re.sub(r"\{(\w+)\}", lambda m: given[m[1]], path)


def filled(data: object, world: World, *, unissued: bool = False) -> object:
    """A body or query with `{pending}`-style placeholders replaced by ids."""
    given = values(world, "published", unissued=unissued)
    if isinstance(data, dict):
        return {k: filled(v, world, unissued=unissued) for k, v in data.items()}
    if isinstance(data, list):
        return [filled(v, world, unissued=unissued) for v in data]
    if isinstance(data, str) and re.fullmatch(r"\{\w+\}(,\{\w+\})*", data):
        text = re.sub(r"\{(\w+)\}", lambda m: given[m[1]], data)
        return int(text) if text.isdigit() else text
    return data


# --- Making the requests --------------------------------------------------------------------

LOGIN = "/accounts/login/"
CMS_LOGIN = "/cms/login/"
CMS_HOME = "/cms/"


def outcome(status: int, location: str, path: str) -> str:
    if status >= 500:
        return "5xx"
    if status in (301, 302, 303, 307):
        target = urlsplit(location).path
        if target == LOGIN:
            return "login"
        if target == CMS_LOGIN:
            return "cms-login"
        if target == CMS_HOME and path != CMS_HOME:
            return "cms-home"
        return "ok"
    if status in (401, 403, 404, 405):
        return str(status)
    return "ok"


def matches(expect: Expect, got: str, status: int) -> bool:
    if "|" in expect:
        return any(matches(one, got, status) for one in expect.split("|"))
    if got == "5xx":
        return expect == str(status)
    if expect == "any":
        return True
    if expect.isdigit():
        return status == int(expect)
    if expect == REFUSED:
        return got == "ok"  # and nothing changed: checked by the caller
    return got == expect


def fingerprint() -> tuple:
    """Everything a refused write could have touched, small enough to read whole."""
    return (
        list(
            Comment.objects.order_by("pk").values_list(
                "pk", "status", "body", "featured_at", "like_count", "edited_at"
            )
        ),
        list(Reaction.objects.order_by("pk").values_list("pk", "comment_id", "user_id")),
        list(Report.objects.order_by("pk").values_list("pk", "reason_id", "note", "status")),
        list(IllegalContentNotice.objects.order_by("pk").values_list("pk", "status")),
        list(Appeal.objects.order_by("pk").values_list("pk", "status")),
        ModerationAction.objects.count(),
        list(
            User.objects.order_by("pk").values_list(
                "pk", "display_name", "banned_until", "is_active", "password"
            )
        ),
        list(EmailAddress.objects.order_by("pk").values_list("pk", "email", "verified")),
        list(Contribution.objects.order_by("pk").values_list("pk", "status", "reader_id")),
        APIToken.objects.count(),
    )


@dataclass
class Row:
    url: str
    method: str
    persona: str
    expected: str
    got: str

    def line(self) -> str:
        return f"{self.method:<6} {self.url:<64} {self.persona:<10} {self.expected:<10} {self.got}"


class Caller:
    """Requests as each persona, each inside a savepoint that is rolled back."""

    def __init__(self, personas: dict[str, User | None]) -> None:
        self.personas = personas
        self.clients: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}
        self.sessions: dict[str, str] = {}
        for persona, user in personas.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
                self.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
                self.tokens[persona] = issue_token(user=user, name="matrix")[1]
            self.clients[persona] = client
        self.baseline = fingerprint()

    def call(
        self,
        persona: str,
        method: str,
        url: str,
        *,
        body: object = None,
        query: object = None,
        json: bool = False,
        bearer: bool = False,
        check_unchanged: bool = False,
        limits_afresh: bool = True,
    ) -> tuple[int, str, bool]:
        """(status, Location, whether the database changed when it must not have)."""
        client = Client(raise_request_exception=False) if bearer else self.clients[persona]
        headers = {}
        if bearer:
            headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        kwargs: dict = {"headers": headers}
        if method == "GET":
            kwargs["data"] = query
        elif json:
            kwargs["data"] = body if body is not None else {}
            kwargs["content_type"] = "application/json"
        else:
            kwargs["data"] = body or {}
        if query and method != "GET":
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())  # type: ignore[union-attr]
        if limits_afresh:
            cache.clear()  # a rate limit is not a permission: every request starts afresh
        changed = False
        with transaction.atomic():
            response = getattr(client, method.lower())(url, **kwargs)
            if check_unchanged:
                changed = fingerprint() != self.baseline
            transaction.set_rollback(True)
        # The rollback kept the session row; a sign-out also dropped the cookie: put it back.
        if persona in self.sessions and not bearer:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return response.status_code, response.get("Location", ""), changed


def check(
    rows: list[Row],
    rule: Rule,
    persona: str,
    method: str,
    url: str,
    result: tuple[int, str, bool],
    expect: Expect | None = None,
) -> None:
    status, location, changed = result
    expected = expect or rule.expect(persona)
    got = outcome(status, location, urlsplit(url).path)
    if not matches(expected, got, status):
        rows.append(Row(url, method, persona, expected, f"{got} ({status} {location})".strip()))
    elif changed:
        rows.append(Row(url, method, persona, expected, f"{got} ({status}) but data changed"))


def report(rows: list[Row], title: str) -> str:
    head = f"{'method':<6} {'url':<64} {'persona':<10} {'expected':<10} got"
    return f"{title}\n{head}\n" + "\n".join(r.line() for r in rows)


# --- The tests ------------------------------------------------------------------------------


def probe_unissued(
    caller: Caller,
    rows: list[Row],
    rule: Rule,
    url: str,
    world: World,
    *,
    method: str | None = None,
    api: bool = False,
) -> None:
    body = filled(rule.body, world, unissued=True) if rule.body is not None else None
    query = filled(rule.query, world, unissued=True) if rule.query else None
    for persona in ("other", "admin"):
        for verb in (method,) if method else rule.methods:
            result = caller.call(
                persona, verb, url, body=body, query=query, json=api, check_unchanged=verb != "GET"
            )
            check(rows, rule, persona, verb, url + " [unissued id]", result, expect=rule.unissued)


def test_every_route_has_a_rule():
    """A new URL pattern or API operation must be given a rule before anything else."""
    api_paths = {path for _, path in api_operations()}
    missing = [
        f"  {r.route!r} (name {r.name!r}): add it to PAGE_RULES (or ROUTE_RULES if unnamed)"
        for r in url_patterns()
        if page_rule(r, api_paths) is None
    ]
    missing += [
        f"  {m} {p}: add {f'{m} {p}'!r} to API_RULES"
        for m, p in api_operations()
        if f"{m} {p}" not in API_RULES
    ]
    assert not missing, "Routes with no authorisation rule:\n" + "\n".join(missing)
    stale = set(API_RULES) - {f"{m} {p}" for m, p in api_operations()}
    assert not stale, f"API_RULES names operations that no longer exist: {sorted(stale)}"


def test_pages_as_every_persona(world, personas, settings):
    # With no secret the webhook answers 503 (Stripe retries); with one, an unsigned call is 400.
    settings.MASTHEAD = {**settings.MASTHEAD, "STRIPE_WEBHOOK_SECRET": "whsec_matrix"}
    api_paths = {path for _, path in api_operations()}
    caller = Caller(personas)
    rows: list[Row] = []
    for route in url_patterns():
        rule = page_rule(route, api_paths)
        if rule is None or rule == "api" or route.route.startswith("cms/"):
            continue  # unruled: the test above fails; API and CMS: tests below
        assert isinstance(rule, Rule)
        url = fill(route, world, rule)
        body = filled(rule.body, world) if rule.body else None
        for persona in PERSONAS:
            if "GET" not in rule.methods:
                get = rule.get if isinstance(rule.get, str) else rule.get.get(persona, "405")
                result = caller.call(persona, "GET", url)
                check(rows, rule, persona, "GET", url, result, expect=get)
            for method in rule.methods:
                write = method != "GET"
                refused = persona not in rule.allow
                result = caller.call(
                    persona, method, url, body=body, check_unchanged=write and refused
                )
                check(rows, rule, persona, method, url, result)
        if any(f"<{kind}" in route.route or f":{kind}>" in route.route for kind in ("int", "uuid")):
            probe_unissued(caller, rows, rule, fill(route, world, rule, unissued=True), world)
    assert not rows, report(rows, "Pages answered the wrong people:")


def test_api_as_every_persona(world, personas):
    caller = Caller(personas)
    rows: list[Row] = []
    for method, path in api_operations():
        rule = API_RULES.get(f"{method} {path}")
        if rule is None:
            continue  # test_every_route_has_a_rule names it
        url = fill_api(path, world, rule)
        body = filled(rule.body, world) if rule.body is not None else None
        query = filled(rule.query, world) if rule.query else None
        write = method != "GET"
        for persona in PERSONAS:
            refused = persona not in rule.allow
            for bearer in (False, True) if persona != "anonymous" else (False,):
                result = caller.call(
                    persona,
                    method,
                    url,
                    body=body,
                    query=query,
                    json=True,
                    bearer=bearer,
                    check_unchanged=write and refused,
                )
                shown = f"{url} [{'token' if bearer else 'session'}]"
                check(rows, rule, persona, method, shown, result)
        if any(f"{{{name}}}" in path for name in ID_PARAMS):
            missing = fill_api(path, world, rule, unissued=True)
            probe_unissued(caller, rows, rule, missing, world, method=method, api=True)
    assert not rows, report(rows, "API operations answered the wrong people:")


def test_cms_as_every_persona(world, personas):
    """Every Wagtail admin pattern once per persona (GET): readers never get in."""
    caller = Caller(personas)
    rows: list[Row] = []
    for route in url_patterns():
        if not route.route.startswith("cms/"):
            continue
        rule = page_rule(route, set())
        assert isinstance(rule, Rule)
        url = fill(route, world, rule)
        for persona in PERSONAS:
            result = caller.call(persona, "GET", url, limits_afresh=False)
            check(rows, rule, persona, "GET", url, result)
    assert not rows, report(rows, "CMS pages answered the wrong people:")


# --- Another reader's private data, by guessing ids -----------------------------------------


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_other_reader_cannot_edit_or_delete_the_authors_comments(world, other_reader):
    client = signed_in_client(other_reader)
    _, token = issue_token(user=other_reader)
    for comment in (world.published, world.pending):
        before = (comment.status, comment.body)
        edit = client.post(f"/comments/c/{comment.pk}/edit", {"body": "Hijacked"})
        delete = client.post(f"/comments/c/{comment.pk}/delete")
        patch = Client().patch(
            f"/api/v1/comments/{comment.pk}",
            {"body": "Hijacked"},
            content_type="application/json",
            headers=bearer(token),
        )
        remove = client.delete(f"/api/v1/comments/{comment.pk}")
        assert [edit.status_code, delete.status_code] == [403, 403]
        assert [patch.status_code, remove.status_code] == [403, 403]
        assert patch.json()["error"] == "forbidden"
        comment.refresh_from_db()
        assert (comment.status, comment.body) == before


def test_a_wrong_or_revoked_token_is_refused(world):
    url = f"/api/v1/comments/{world.published.pk}"
    for token in (world.token + "x", "", "Bearer"):
        response = Client().patch(
            url, {"body": "Edited"}, content_type="application/json", headers=bearer(token)
        )
        assert response.status_code == 401, token
    APIToken.objects.all().delete()
    response = Client().delete(url, headers=bearer(world.token))
    assert response.status_code == 401
    world.published.refresh_from_db()
    assert world.published.status == "published"


def private_words(world: World, email: str) -> list[str]:
    """What only the author (and moderators) may read: the words awaiting review or removed,
    and the author's email address."""
    return [world.pending.body, world.rejected.body, email]


def test_the_authors_pending_and_removed_comments_stay_theirs(world, other_reader, author_reader):
    article, pending, rejected = world.article.pk, world.pending.pk, world.rejected.pk
    ids = f"{world.published.pk},{pending},{rejected}"
    pages = [
        f"/comments/{article}/",
        f"/comments/{article}/?sort=oldest",
        f"/comments/c/{pending}/edit",
        f"/comments/c/{pending}/delete",
        f"/comments/c/{rejected}/delete",
        f"/comments/{pending}/report/",
        f"/comments/{pending}/notice/",
        f"/moderation/appeal/{rejected}/",
        f"/api/v1/articles/{article}/comments",
        f"/api/v1/articles/{article}/comments?since=0",
        f"/api/v1/comments?ids={ids}",
        f"/api/v1/comments/{pending}/replies",
        f"/api/v1/me/page-state?article={article}",
        "/accounts/profile/",
        "/accounts/profile/export.json",
    ]
    _, token = issue_token(user=other_reader)
    as_session = signed_in_client(other_reader)
    as_token = Client(headers=bearer(token))
    private = private_words(world, author_reader.email)
    leaks = []
    for url in pages:
        for who, client in (("anonymous", Client()), ("other", as_session), ("token", as_token)):
            text = client.get(url).content.decode()
            leaks += [(url, who, words) for words in private if words in text]
    assert not leaks, "Another reader saw the author's private words:\n" + "\n".join(
        map(str, leaks)
    )
    # The same pages do show them to the author: the check above can see a leak.
    author = signed_in_client(author_reader)
    assert world.pending.body in author.get(f"/comments/{article}/").content.decode()
    assert world.pending.body in author.get(f"/api/v1/comments?ids={ids}").content.decode()
    assert world.rejected.body in author.get(f"/comments/c/{rejected}/delete").content.decode()


def test_exports_and_profiles_hold_only_the_readers_own_data(world, other_reader, author_reader):
    other = signed_in_client(other_reader).get("/accounts/profile/export.json").json()
    flat = str(other)
    for private in (author_reader.email, world.published.body, world.report.note, "Abe Author"):
        assert private not in flat
    assert other_reader.email in flat
    profile = signed_in_client(other_reader).get("/accounts/profile/").content.decode()
    assert world.published.body not in profile
    # The author's own export has them: what the other reader must not get.
    mine = str(signed_in_client(author_reader).get("/accounts/profile/export.json").json())
    for private in (author_reader.email, world.published.body):
        assert private in mine


def test_contribution_receipts_need_the_exact_id_and_name_nobody(world, other_reader):
    import uuid

    client = signed_in_client(other_reader)
    guessed = uuid.UUID(int=world.contribution.pk.int ^ 1)
    for url in (
        f"/contribute/thanks/{guessed}/",
        f"/contribute/thanks/{guessed}/?format=json",
        f"/contribute/test-checkout/{guessed}/",
    ):
        assert client.get(url).status_code == 404, url
    # The link itself is the receipt: it says what was given, never by whom.
    page = client.get(f"/contribute/thanks/{world.contribution.pk}/").content.decode()
    assert "€15" in page or "15.00" in page or "15,00" in page
    for private in (world.contribution.email, world.contribution.name):
        assert private not in page
    portal = client.get("/contribute/test-portal/").content.decode()
    assert str(world.contribution.pk) not in portal


def test_comments_on_a_members_only_story_are_not_served_by_id(make_article, reader, other_reader):
    """A story restricted to a group keeps its comments to that group: asking for them by id
    (the API, the report and notice pages) finds nothing."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from masthead.community.services import post_comment

    story = make_article("Members' briefing: the budget leak")
    words = "Only members should read this remark."
    comment = post_comment(author=reader, article=story, body=words)
    reply = post_comment(author=reader, article=story, body="And this reply.", parent=comment)
    members = Group.objects.create(name="Members")
    reader.groups.add(members)
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    urls = [
        f"/api/v1/comments?ids={comment.pk},{reply.pk}",
        f"/api/v1/comments/{comment.pk}/replies",
        f"/api/v1/articles/{story.pk}/comments",
        f"/api/v1/articles/{story.pk}/comments/live",
        f"/comments/{story.pk}/",
        f"/comments/{comment.pk}/report/",
        f"/comments/{comment.pk}/notice/",
    ]
    seen = []
    for who, client in (("anonymous", Client()), ("other", signed_in_client(other_reader))):
        for url in urls:
            response = client.get(url)
            body = response.content.decode()
            # Nothing at all: a 404, a redirect to sign in, or (asking by ids) an empty list.
            nothing = response.status_code in (302, 404) or body == "[]"
            if not nothing or words in body or "And this reply" in body:
                seen.append((url, who, response.status_code))
    assert not seen, f"Members-only comments served to outsiders: {seen}"


# Writes that take no session, so no cross-site forgery can borrow one: counting beacons and
# Stripe's signed webhook.
CSRF_EXEMPT = {"ads:impression", "fronts:read", "stripe_webhook"}
# Who tries each write: someone it is allowed for, so only the missing token stops it.
PREFERRED = ("author", "admin", "moderator", "editor", "other", "anonymous")


def test_session_writes_need_a_csrf_token(world, personas):
    """Every write through a browser session, page or API, is refused without the CSRF token
    (a forged cross-site form or fetch) before it changes anything."""
    api_paths = {path for _, path in api_operations()}
    caller = Caller(personas)
    for client in caller.clients.values():
        client.handler.enforce_csrf_checks = True
    rows: list[Row] = []
    writes: list[tuple[Rule, str, str, bool]] = []
    for route in url_patterns():
        rule = page_rule(route, api_paths)
        if isinstance(rule, Rule) and route.name not in CSRF_EXEMPT:
            url = fill(route, world, rule)
            writes += [(rule, m, url, False) for m in rule.methods if m != "GET"]
    for method, path in api_operations():
        rule = API_RULES[f"{method} {path}"]
        if method != "GET":
            writes.append((rule, method, fill_api(path, world, rule), True))
    assert len(writes) > 25
    for rule, method, url, is_api in writes:
        persona = next(p for p in PREFERRED if p in rule.allow)
        body = filled(rule.body, world) if rule.body is not None else None
        result = caller.call(persona, method, url, body=body, json=is_api, check_unchanged=True)
        check(rows, rule, persona, method, url + " [no CSRF token]", result, expect="403")
    assert not rows, report(rows, "Writes went through without a CSRF token:")
