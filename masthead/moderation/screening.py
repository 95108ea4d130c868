"""Automatic pre-screening: every new and edited comment passes these rules before it shows.

A rule is a scorer: a class with a `name`, a `timeout` in seconds, `fail_closed`, and
`score(ctx) -> Result`. The list comes from `settings.MASTHEAD["SCREENING_SCORERS"]` (dotted
paths), so a newsroom can add its own, an external classifier say. Built-in scorers run inline;
others run in a small shared thread pool and are waited for at most `timeout` seconds, because a
remote service can hang. A scorer that errs or times out allows the comment (fail-open) or holds
it (fail-closed), and says so in its result.

Every result is kept with the comment. Rules named in `ModerationSettings.shadow_rules` are
recorded but never act, so a new rule can be trialled on real traffic. The strongest action
wins: reject > hold > allow. Staff comments always publish; a pre-moderated story holds the rest.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.module_loading import import_string

from masthead.community.models import Comment, CommentStatus
from masthead.community.text import URL
from masthead.moderation.models import ModerationSettings
from masthead.newsroom.models import CommentMode

logger = logging.getLogger(__name__)

ALLOW, HOLD, REJECT = "allow", "hold", "reject"
STRENGTH = {ALLOW: 0, HOLD: 1, REJECT: 2}
STATUS_FOR = {
    ALLOW: CommentStatus.PUBLISHED,
    HOLD: CommentStatus.PENDING,
    REJECT: CommentStatus.REJECTED,
}
VERB = {HOLD: "held", REJECT: "rejected"}
SUMMARY_LENGTH = 300  # Comment.screening_summary

# Repeated-text rule: copies counted over this window. Short stock phrases ("Thank you for
# this") are said by many readers in good faith, so only longer texts count as copies.
REPEAT_WINDOW = timedelta(hours=24)
REPEAT_MIN_CHARS = 40

# Settings are read on every comment: keep them in the shared cache for a short while (saving
# them in the CMS clears it at once for this process and, with Redis, for every server).
CONFIG_CACHE_KEY = "moderation:screening-config"
CONFIG_SECONDS = 60

POOL_WORKERS = 4


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What one scorer says about one comment. `detail` is short, for moderators."""

    action: str = ALLOW
    score: float = 0.0
    detail: str = ""


@dataclass
class Screening:
    status: str  # a CommentStatus value: published, pending or rejected
    results: list[dict[str, Any]]
    summary: str
    # Normalised-text hash, for the repeated-text rule; store it with the comment.
    fingerprint: str = ""


# --- Text -----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: "CAFÉ" and "café" read the same, and
    full-width or styled letters read as plain ones. Invisible format characters go."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


# "s h i t", "s.h.i.t", "s-h-i-t": three or more lone letters with one separator between.
SPACED_LETTERS = re.compile(r"(?<!\w)\w(?:[\s.*_\-]\w(?!\w)){2,}")
SEPARATORS = re.compile(r"[\s.*_\-]")
NON_WORD = re.compile(r"[\W_]+")


def unspaced(folded: str) -> str:
    return SPACED_LETTERS.sub(lambda m: SEPARATORS.sub("", m.group()), folded)


def fingerprint(text: str) -> str:
    """The same for texts that differ only in case, accents, punctuation or spacing."""
    words = NON_WORD.sub(" ", fold(text)).strip()
    return hashlib.blake2b(words.encode(), digest_size=16).hexdigest()


def _word_pattern(word: str) -> str:
    """A listed word as a regex: each letter may be repeated ("shiiit"), though a doubled
    letter still needs two ("ass" does not match "as"); spaces in a phrase match any gap."""
    parts = []
    for run in re.finditer(r"(.)\1*", word):
        ch, n = run.group(1), len(run.group())
        if ch.isspace():
            parts.append(r"[\W_]+")
        else:
            parts.append(re.escape(ch) + ("+" if n == 1 else f"{{{n},}}"))
    return "".join(parts)


class WordList:
    """A list from the settings (one word or phrase per line), matched as whole words."""

    def __init__(self, text: str) -> None:
        words = []
        for line in text.splitlines():
            word = " ".join(fold(line).split())
            if word and not word.startswith("#") and word not in words:
                words.append(word)
        self.words = words
        self._each = [(w, re.compile(_word_pattern(w))) for w in words]
        self._any = (
            re.compile(r"(?<!\w)(?:" + "|".join(_word_pattern(w) for w in words) + r")(?!\w)")
            if words
            else None
        )

    def find(self, views: Iterable[str]) -> list[str]:
        """The listed words found in any of the views of a text, in list order."""
        if self._any is None:
            return []
        found: set[str] = set()
        for view in views:
            for match in self._any.finditer(view):
                hit = match.group()
                found.update(w for w, pattern in self._each if pattern.fullmatch(hit))
        return [w for w in self.words if w in found]


@lru_cache(maxsize=8)
def word_list(text: str) -> WordList:
    # Keyed by the text itself: parsed once per settings change, whatever the cache says.
    return WordList(text)


# --- Settings -------------------------------------------------------------------------------

CONFIG_FIELDS = (
    "banned_words",
    "suspect_words",
    "max_links",
    "repeat_limit",
    "new_account_hours",
    "min_trust",
    "offensive_hold",
    "offensive_reject",
    "shadow_rules",
)


@dataclass(frozen=True)
class Config:
    """The ModerationSettings values the rules read, word lists parsed."""

    banned: WordList
    suspect: WordList
    max_links: int
    repeat_limit: int
    new_account_hours: int
    min_trust: int
    offensive_hold: float
    offensive_reject: float | None
    shadow_rules: frozenset[str]


def load_config() -> Config:
    raw = cache.get(CONFIG_CACHE_KEY)
    if raw is None:
        row = ModerationSettings.load()
        raw = {name: getattr(row, name) for name in CONFIG_FIELDS}
        cache.set(CONFIG_CACHE_KEY, raw, CONFIG_SECONDS)
    return Config(
        banned=word_list(raw["banned_words"] or ""),
        suspect=word_list(raw["suspect_words"] or ""),
        max_links=raw["max_links"],
        repeat_limit=raw["repeat_limit"],
        new_account_hours=raw["new_account_hours"],
        min_trust=raw["min_trust"],
        offensive_hold=raw["offensive_hold"],
        offensive_reject=raw["offensive_reject"],
        shadow_rules=frozenset(
            name.strip() for name in (raw["shadow_rules"] or "").split(",") if name.strip()
        ),
    )


def forget_config(**kwargs: object) -> None:
    cache.delete(CONFIG_CACHE_KEY)


post_save.connect(forget_config, sender=ModerationSettings, dispatch_uid="screening-config")
post_delete.connect(forget_config, sender=ModerationSettings, dispatch_uid="screening-config-d")


# --- What a scorer sees ---------------------------------------------------------------------


@dataclass
class Context:
    """One comment under screening. Scorers in the thread pool should use only what is here
    (the author and article are already loaded), not query the database."""

    author: Any
    article: Any
    text: str
    comment_pk: int | None
    config: Config
    now: datetime = field(default_factory=timezone.now)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def views(self) -> tuple[str, ...]:
        """The folded text, and again with spaced-out letters joined when there are any."""
        joined = unspaced(self.folded)
        return (self.folded,) if joined == self.folded else (self.folded, joined)

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


# --- Scorers --------------------------------------------------------------------------------


class Scorer:
    """A screening rule. Subclass it, set the attributes, implement `score`.

    `inline` scorers run in the request's thread (the built-ins: fast, local); the others run
    in the shared pool and are given `timeout` seconds. `fail_closed` holds the comment when the
    scorer errs or times out; otherwise the comment is let through and the failure recorded.
    """

    name: ClassVar[str] = ""
    timeout: ClassVar[float] = 2.0
    fail_closed: ClassVar[bool] = False
    inline: ClassVar[bool] = False

    def score(self, ctx: Context) -> Result:
        raise NotImplementedError


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words[:3]) + (" ..." if len(words) > 3 else "")


class BannedWords(Scorer):
    name = "banned_words"
    inline = True

    def score(self, ctx: Context) -> Result:
        found = ctx.config.banned.find(ctx.views)
        if not found:
            return Result()
        noun = "banned word" if len(found) == 1 else "banned words"
        return Result(REJECT, float(len(found)), f"{noun} {_quoted(found)}")


class SuspectWords(Scorer):
    name = "suspect_words"
    inline = True

    def score(self, ctx: Context) -> Result:
        found = ctx.config.suspect.find(ctx.views)
        if not found:
            return Result()
        noun = "suspect word" if len(found) == 1 else "suspect words"
        return Result(HOLD, float(len(found)), f"{noun} {_quoted(found)}")


class Links(Scorer):
    name = "links"
    inline = True

    def score(self, ctx: Context) -> Result:
        # The same pattern that turns addresses into links when the comment is rendered.
        count = len(URL.findall(ctx.text))
        if not count:
            return Result()
        detail = f"{count} link" + ("s" if count != 1 else "")
        action = HOLD if count > ctx.config.max_links else ALLOW
        return Result(action, float(count), detail)


@lru_cache(maxsize=1)
def _has_fingerprint_field() -> bool:
    return any(f.name == "body_fingerprint" for f in Comment._meta.get_fields())


class RepeatedText(Scorer):
    """The same text posted `repeat_limit` times in a day, by anyone, is spam."""

    name = "repeated_text"
    inline = True

    def score(self, ctx: Context) -> Result:
        limit = ctx.config.repeat_limit
        if limit < 1 or len(NON_WORD.sub(" ", ctx.folded).strip()) < REPEAT_MIN_CHARS:
            return Result()
        copies = Comment.objects.filter(created_at__gte=ctx.now - REPEAT_WINDOW)
        if _has_fingerprint_field():
            copies = copies.filter(body_fingerprint=ctx.fingerprint)
        else:
            # Until comments store a fingerprint: the exact text (already normalised when it
            # was posted), without an index to help.
            copies = copies.filter(body=ctx.text)
        if ctx.comment_pk is not None:
            copies = copies.exclude(pk=ctx.comment_pk)
        # Enough to decide; a spam wave need not be counted to the end.
        earlier = len(copies.values_list("pk", flat=True)[:limit])
        if not earlier:
            return Result()
        times = earlier + 1
        detail = f"same text posted {times} times in 24 h"
        return Result(REJECT if times >= limit else ALLOW, float(times), detail)


class NewAccount(Scorer):
    name = "new_account"
    inline = True

    def score(self, ctx: Context) -> Result:
        hours = ctx.config.new_account_hours
        if hours <= 0:
            return Result()
        age = (ctx.now - ctx.author.date_joined).total_seconds() / 3600
        if age >= hours:
            return Result(ALLOW, round(age, 1))
        return Result(HOLD, round(age, 1), f"account {int(age)} h old")


class LowTrust(Scorer):
    name = "low_trust"
    inline = True

    def score(self, ctx: Context) -> Result:
        trust = ctx.author.trust
        if trust >= ctx.config.min_trust:
            return Result(ALLOW, float(trust))
        return Result(HOLD, float(trust), f"trust {trust}")


class _OffensiveModel:
    """alt-profanity-check's model, loaded once per process on first use (importing
    scikit-learn takes seconds; nothing else needs it).

    Its `predict_prob` spends most of its ~8 ms in scikit-learn's per-call checks around five
    small linear models. The model is five calibrated linear SVMs, so when it has that shape we
    keep their weights and compute the same average of sigmoids directly (~1 ms, equal to
    `predict_prob`; the tests hold us to it), and fall back to `predict_prob` otherwise.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._predict: Any = None

    def probability(self, text: str) -> float:
        if self._predict is None:
            with self._lock:
                if self._predict is None:
                    self._predict = self._load()
        return self._predict(text)

    @staticmethod
    def _load() -> Any:
        from profanity_check import predict_prob
        from profanity_check import profanity_check as package

        def slow(text: str) -> float:
            return float(predict_prob([text])[0])

        try:
            import numpy as np
            from scipy.special import expit

            model, vectorizer = package.model, package.vectorizer
            parts = model.calibrated_classifiers_
            if model.method != "sigmoid" or list(model.classes_) != [0, 1]:
                return slow
            weights = np.vstack([p.estimator.coef_.ravel() for p in parts]).T.copy()
            intercepts = np.array([p.estimator.intercept_[0] for p in parts])
            slope = np.array([p.calibrators[0].a_ for p in parts])
            offset = np.array([p.calibrators[0].b_ for p in parts])
        except (AttributeError, IndexError, ImportError, ValueError):
            logger.info("profanity model not in the expected shape; using predict_prob")
            return slow

        def fast(text: str) -> float:
            decision = (vectorizer.transform([text]) @ weights).ravel() + intercepts
            return float(expit(-(slope * decision + offset)).mean())

        return fast


offensive_model = _OffensiveModel()


def warm_up() -> None:
    """Load the offensive-language model now (a server may call this at start), rather than
    making the first comment after a restart wait for it."""
    offensive_model.probability("")


class Offensive(Scorer):
    """Probability that the text is offensive (English; trained on short online comments)."""

    name = "offensive"
    inline = True

    def score(self, ctx: Context) -> Result:
        p = offensive_model.probability(ctx.text)
        config = ctx.config
        if config.offensive_reject is not None and p >= config.offensive_reject:
            action = REJECT
        elif p >= config.offensive_hold:
            action = HOLD
        else:
            action = ALLOW
        return Result(action, round(p, 4), f"offensive {p:.2f}")


# --- The pipeline ---------------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(POOL_WORKERS, thread_name_prefix="screening")
    return _pool


@lru_cache(maxsize=4)
def _load_scorers(paths: tuple[str, ...]) -> tuple[Scorer, ...]:
    scorers = tuple(import_string(path)() for path in paths)
    names = [s.name for s in scorers]
    if "" in names or len(set(names)) != len(names):
        raise ValueError(f"Screening scorers need distinct names: {names}")
    return scorers


def scorers() -> tuple[Scorer, ...]:
    return _load_scorers(tuple(settings.MASTHEAD["SCREENING_SCORERS"]))


def _in_worker(scorer: Scorer, ctx: Context) -> Result:
    try:
        return scorer.score(ctx)
    finally:
        # A pool thread keeps no database connection it may have opened.
        connections.close_all()


def _outcome(scorer: Scorer, result: object) -> dict[str, Any]:
    if not isinstance(result, Result) or result.action not in STRENGTH:
        raise TypeError(f"screening rule {scorer.name} returned {result!r}, not a Result")
    return {"action": result.action, "score": float(result.score), "detail": result.detail}


def _failed(scorer: Scorer, kind: str, detail: str) -> dict[str, Any]:
    action = HOLD if scorer.fail_closed else ALLOW
    how = "fails closed" if scorer.fail_closed else "fails open"
    return {"action": action, "score": 0.0, "detail": f"{detail} ({how})", "error": kind}


def _run(ctx: Context) -> list[dict[str, Any]]:
    """Every scorer's result, in the configured order."""
    chosen = scorers()
    outcomes: dict[str, dict[str, Any]] = {}
    pending: list[tuple[Scorer, Future[Result], float]] = []
    # Pool scorers start first, so their wait overlaps with the inline ones.
    for scorer in chosen:
        if not scorer.inline:
            pending.append(
                (scorer, _shared_pool().submit(_in_worker, scorer, ctx), time.monotonic())
            )
    for scorer in chosen:
        if scorer.inline:
            started = time.monotonic()
            try:
                outcomes[scorer.name] = _outcome(scorer, scorer.score(ctx))
            except Exception as exc:
                logger.exception("screening rule %s failed", scorer.name)
                outcomes[scorer.name] = _failed(scorer, "error", f"error: {type(exc).__name__}")
                continue
            elapsed = time.monotonic() - started
            if elapsed > scorer.timeout:
                logger.warning("screening rule %s took %.2f s", scorer.name, elapsed)
    for scorer, future, started in pending:
        left = max(0.0, started + scorer.timeout - time.monotonic())
        try:
            outcomes[scorer.name] = _outcome(scorer, future.result(timeout=left))
        except FutureTimeout:
            future.cancel()  # if it never started; a running one is left to finish
            logger.warning("screening rule %s timed out", scorer.name)
            outcomes[scorer.name] = _failed(
                scorer, "timeout", f"timed out after {scorer.timeout:g} s"
            )
        except Exception as exc:
            logger.warning("screening rule %s failed: %r", scorer.name, exc)
            outcomes[scorer.name] = _failed(scorer, "error", f"error: {type(exc).__name__}")

    results = []
    for scorer in chosen:
        outcome = outcomes[scorer.name]
        shadow = scorer.name in ctx.config.shadow_rules
        results.append({"rule": scorer.name, **outcome, "shadow": shadow})
    return results


def _summary(results: list[dict[str, Any]], action: str, *, staff: bool) -> str:
    acting = sorted(
        (r for r in results if r["action"] != ALLOW and not r["shadow"]),
        key=lambda r: -STRENGTH[r["action"]],
    )
    if not acting:
        return ""
    details = "; ".join(r["detail"] or r["rule"] for r in acting)
    verb = "published (staff)" if staff else VERB[action]
    text = f"{verb}: {details}"
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def screen(*, author: Any, article: Any, text: str, comment_pk: int | None = None) -> Screening:
    """Run every rule on a new comment (or an edit of comment `comment_pk`) and decide."""
    ctx = Context(
        author=author, article=article, text=text, comment_pk=comment_pk, config=load_config()
    )
    results = _run(ctx)
    if article.comment_mode == CommentMode.PREMODERATED:
        # Not a rule one can shadow: the editor chose it for this story.
        results.append(
            {
                "rule": "premoderated",
                "action": HOLD,
                "score": 1.0,
                "detail": "pre-moderated story",
                "shadow": False,
            }
        )
    action = max(
        (r["action"] for r in results if not r["shadow"]), key=STRENGTH.__getitem__, default=ALLOW
    )
    staff = bool(author.is_newsroom_staff)
    status = CommentStatus.PUBLISHED if staff else STATUS_FOR[action]
    return Screening(
        status=status,
        results=results,
        summary=_summary(results, action, staff=staff),
        fingerprint=ctx.fingerprint,
    )
