"""Automatic pre-screening: each rule, the pipeline's decision, and pluggable scorers."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from profanity_check import predict_prob

from masthead.community.models import Comment, CommentStatus
from masthead.community.text import render_comment_text
from masthead.moderation import screening
from masthead.moderation.models import ModerationSettings
from masthead.moderation.screening import HOLD, REJECT, Result, Scorer, screen
from masthead.newsroom.models import CommentMode

BUILT_IN = [
    "banned_words",
    "suspect_words",
    "links",
    "repeated_text",
    "new_account",
    "low_trust",
    "offensive",
]
SPAM = "Earn money from home today, ask me how at my profile page, it really works"


@pytest.fixture
def configure(db):
    """Change the CMS settings the way an admin does (saving the row)."""

    def configure(**values) -> None:
        row = ModerationSettings.load()
        for name, value in values.items():
            setattr(row, name, value)
        row.save()

    return configure


@pytest.fixture
def scorers(settings):
    """Screen with exactly these scorers (dotted paths or classes from this module)."""

    def use(*paths: str) -> None:
        settings.MASTHEAD = {
            **settings.MASTHEAD,
            "SCREENING_SCORERS": [p if "." in p else f"{__name__}.{p}" for p in paths],
        }

    return use


def rule(result: screening.Screening, name: str) -> dict:
    return next(r for r in result.results if r["rule"] == name)


def posted(article, author, text: str, *, hours_ago: float = 0) -> Comment:
    fields = {}
    if screening._has_fingerprint_field():
        fields["body_fingerprint"] = screening.fingerprint(text)
    return Comment.objects.create(
        article=article,
        author=author,
        body=text,
        body_html=render_comment_text(text),
        created_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


# --- The whole pipeline ---------------------------------------------------------------------


def test_clean_comment_publishes_with_every_rule_recorded(reader, article):
    result = screen(author=reader, article=article, text="Fares went up twice this year.")

    assert result.status == CommentStatus.PUBLISHED
    assert result.summary == ""
    assert [r["rule"] for r in result.results] == BUILT_IN
    assert {r["action"] for r in result.results} == {"allow"}
    assert not any(r["shadow"] for r in result.results)
    assert set(result.results[0]) == {"rule", "action", "score", "detail", "shadow"}


def test_pre_moderated_story_holds_a_clean_comment(reader, make_article):
    story = make_article("Court hears appeal", comment_mode=CommentMode.PREMODERATED)

    result = screen(author=reader, article=story, text="Interesting case.")

    assert result.status == CommentStatus.PENDING
    assert rule(result, "premoderated")["action"] == HOLD
    assert result.summary == "held: pre-moderated story"


def test_pre_moderated_story_still_rejects_a_banned_word(reader, make_article, configure):
    configure(banned_words="scoundrel")
    story = make_article("Court hears appeal", comment_mode=CommentMode.PREMODERATED)

    result = screen(author=reader, article=story, text="The judge is a scoundrel.")

    assert result.status == CommentStatus.REJECTED
    assert result.summary == "rejected: banned word 'scoundrel'; pre-moderated story"


def test_staff_always_publish_but_results_are_recorded(editor, make_article, configure):
    configure(banned_words="scoundrel")
    story = make_article("Court hears appeal", comment_mode=CommentMode.PREMODERATED)

    result = screen(author=editor, article=story, text="Calling anyone a scoundrel breaks rules.")

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "banned_words")["action"] == REJECT
    assert result.summary.startswith("published (staff): banned word 'scoundrel'")


def test_strongest_action_wins_and_summary_lists_every_acting_rule(reader, article, configure):
    configure(banned_words="scoundrel", suspect_words="cartel")

    result = screen(author=reader, article=article, text="A cartel and a scoundrel.")

    assert result.status == CommentStatus.REJECTED
    assert result.summary == "rejected: banned word 'scoundrel'; suspect word 'cartel'"


def test_shadow_rule_is_recorded_but_does_not_act(reader, article, configure):
    configure(suspect_words="cartel", shadow_rules="suspect_words, links")

    result = screen(author=reader, article=article, text="The minister backs a cartel.")

    assert result.status == CommentStatus.PUBLISHED
    suspect = rule(result, "suspect_words")
    assert suspect["action"] == HOLD
    assert suspect["shadow"] is True
    assert rule(result, "banned_words")["shadow"] is False
    assert result.summary == ""


def test_shadow_mode_leaves_other_rules_acting(reader, article, configure):
    configure(suspect_words="cartel", banned_words="scoundrel", shadow_rules="banned_words")

    result = screen(author=reader, article=article, text="A cartel and a scoundrel.")

    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: suspect word 'cartel'"


def test_long_summary_is_cut_to_fit_the_field(reader, article, configure):
    words = [f"word{n:03d}" for n in range(120)]
    configure(suspect_words="\n".join(words))
    result = screen(author=reader, article=article, text=" ".join(words))

    assert result.status == CommentStatus.PENDING
    assert len(result.summary) <= 300
    assert result.summary.startswith("held: suspect words 'word000', 'word001', 'word002' ...")


# --- Word lists -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("You absolute SCOUNDREL!", True),
        ("scoundrel", True),
        ("Scoundrels, all of them", False),  # whole words only
        ("a scoundrelly thing", False),
        ("what a scounnnndrelll", True),  # stretched letters
        ("s c o u n d r e l", True),  # spaced out
        ("s.c.o.u.n.d.r.e.l", True),
        ("".join(chr(ord(c) + 0xFEE0) for c in "scoundrel"), True),  # full-width letters
        ("scoun\u200bdrel", True),  # an invisible space inside
        ("s c o u n d r e l s", False),
        ("The scound relation", False),
    ],
)
def test_banned_word_rejects_whole_words_whatever_the_disguise(
    reader, article, configure, text, caught
):
    configure(banned_words="scoundrel\n")

    result = screen(author=reader, article=article, text=text)

    expected = CommentStatus.REJECTED if caught else CommentStatus.PUBLISHED
    assert result.status == expected
    assert (result.summary == "rejected: banned word 'scoundrel'") is caught


@pytest.mark.parametrize(
    ("word", "text", "caught"),
    [
        ("ass", "a classic pass", False),
        ("ass", "as soon as", False),  # a doubled letter still needs two
        ("ass", "what an asss", True),
        ("merde", "Oh, MÈRDE.", True),  # accents and case ignored
        ("дурак", "Ты ДУРАК!", True),  # any script
        ("дурак", "дураки", False),
        ("rotten egg", "you rotten   egg", True),  # phrases, any spacing
        ("rotten egg", "rotten eggs", False),
        ("c++", "I hate c++ code", True),  # listed words are text, not patterns
    ],
)
def test_word_matching(reader, article, configure, word, text, caught):
    configure(suspect_words=f"# comments are ignored\n  {word.upper()}  \n\n")

    result = screen(author=reader, article=article, text=text)

    assert (result.status == CommentStatus.PENDING) is caught
    assert rule(result, "suspect_words")["detail"] == (f"suspect word '{word}'" if caught else "")


def test_suspect_word_holds_for_review(reader, article, configure):
    configure(suspect_words="cartel\nbribe")

    result = screen(author=reader, article=article, text="He took a bribe from the cartel.")

    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: suspect words 'cartel', 'bribe'"  # in the list's order
    assert rule(result, "suspect_words")["score"] == 2.0


def test_word_lists_are_parsed_once_per_change(reader, article, configure):
    configure(suspect_words="cartel")
    screening.word_list.cache_clear()
    for _ in range(3):
        screen(author=reader, article=article, text="No cartels here.")
    assert screening.word_list.cache_info().misses == 2  # banned (empty) and suspect

    configure(suspect_words="cartel\nbribe")
    result = screen(author=reader, article=article, text="What a bribe.")

    assert result.status == CommentStatus.PENDING  # the change applies at once
    assert screening.word_list.cache_info().misses == 3


# --- Links ----------------------------------------------------------------------------------


def test_more_links_than_allowed_hold(reader, article, configure):
    configure(max_links=2)
    three = "See https://a.example/x, www.b-example.org and http://c.example/y?z=1."

    result = screen(author=reader, article=article, text=three)

    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: 3 links"


def test_links_up_to_the_limit_publish(reader, article, configure):
    configure(max_links=2)

    result = screen(author=reader, article=article, text="https://a.example and https://b.example")

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "links") == {
        "rule": "links",
        "action": "allow",
        "score": 2.0,
        "detail": "2 links",
        "shadow": False,
    }


# --- Repeated text --------------------------------------------------------------------------


def test_same_text_posted_repeat_limit_times_is_rejected_as_spam(
    reader, second_reader, third_reader, article, make_article, configure
):
    configure(repeat_limit=3)
    posted(article, reader, SPAM)
    posted(make_article("Elsewhere"), second_reader, SPAM)

    result = screen(author=third_reader, article=article, text=SPAM)

    assert result.status == CommentStatus.REJECTED
    assert result.summary == "rejected: same text posted 3 times in 24 h"


def test_fewer_copies_than_the_limit_publish(reader, second_reader, article, configure):
    configure(repeat_limit=3)
    posted(article, reader, SPAM)

    result = screen(author=second_reader, article=article, text=SPAM)

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "repeated_text")["score"] == 2.0


def test_copies_older_than_a_day_do_not_count(reader, second_reader, article, configure):
    configure(repeat_limit=2)
    posted(article, reader, SPAM, hours_ago=25)

    result = screen(author=second_reader, article=article, text=SPAM)

    assert result.status == CommentStatus.PUBLISHED


def test_an_edit_does_not_count_the_comment_itself(reader, second_reader, article, configure):
    configure(repeat_limit=2)
    mine = posted(article, reader, SPAM)

    edited = screen(author=reader, article=article, text=SPAM, comment_pk=mine.pk)
    new = screen(author=reader, article=article, text=SPAM)

    assert edited.status == CommentStatus.PUBLISHED
    assert new.status == CommentStatus.REJECTED


def test_short_stock_phrases_are_not_spam(reader, second_reader, article, configure):
    configure(repeat_limit=2)
    posted(article, reader, "Thank you for this.")

    result = screen(author=second_reader, article=article, text="Thank you for this.")

    assert result.status == CommentStatus.PUBLISHED


@pytest.mark.skipif(
    not screening._has_fingerprint_field(),
    reason="needs Comment.body_fingerprint: without it only the exact text is compared",
)
def test_copies_differing_in_case_and_punctuation_count(reader, second_reader, article, configure):
    configure(repeat_limit=2)
    posted(article, reader, SPAM)

    result = screen(author=second_reader, article=article, text=SPAM.upper() + "!!!")

    assert result.status == CommentStatus.REJECTED


def test_fingerprint_ignores_case_accents_punctuation_and_spacing():
    assert screening.fingerprint("Buy NOW!!!  Café,  cheap") == screening.fingerprint(
        "buy now cafe cheap"
    )
    assert screening.fingerprint("buy now") != screening.fingerprint("buy later")


# --- The author -----------------------------------------------------------------------------


def test_new_account_is_held_when_the_rule_is_on(reader, article, configure):
    configure(new_account_hours=24)

    result = screen(author=reader, article=article, text="First comment, hello.")

    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: account 0 h old"


def test_account_older_than_the_limit_publishes(reader, article, configure):
    configure(new_account_hours=24)
    reader.date_joined = timezone.now() - timedelta(hours=30)

    result = screen(author=reader, article=article, text="Long-time reader here.")

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "new_account")["score"] == 30.0


def test_low_trust_holds(reader, article, configure):
    configure(min_trust=-3)
    reader.approved_comments, reader.rejected_comments = 1, 2  # trust 1 - 6 = -5

    result = screen(author=reader, article=article, text="Here I am again.")

    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: trust -5"


def test_trust_at_the_minimum_publishes(reader, article, configure):
    configure(min_trust=-3)
    reader.approved_comments, reader.rejected_comments = 3, 2  # trust -3

    result = screen(author=reader, article=article, text="Here I am again.")

    assert result.status == CommentStatus.PUBLISHED


# --- Offensive language (the real model) ----------------------------------------------------


def test_clearly_offensive_text_is_held(reader, article, configure):
    configure(offensive_hold=0.9, offensive_reject=None)

    result = screen(author=reader, article=article, text="You are a fucking idiot, shut up.")

    assert result.status == CommentStatus.PENDING
    assert rule(result, "offensive")["score"] >= 0.9
    assert re.fullmatch(r"held: offensive (0\.9\d|1\.00)", result.summary)


def test_clearly_offensive_text_is_rejected_above_the_reject_threshold(reader, article, configure):
    configure(offensive_hold=0.9, offensive_reject=0.95)

    result = screen(author=reader, article=article, text="You are a fucking idiot, shut up.")

    assert result.status == CommentStatus.REJECTED


def test_benign_text_scores_low(reader, article):
    result = screen(
        author=reader,
        article=article,
        text="I disagree with the council, but the new timetable is clearer.",
    )

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "offensive")["score"] < 0.2


def test_offensive_probability_matches_the_package():
    texts = [
        "",
        "Lovely photo of the harbour.",
        "what a stupid bitch",
        "The vote was 31 to 9; nobody expected it.",
        "go to hell you moron " * 20,
    ]
    for text in texts:
        ours = screening.offensive_model.probability(text)
        assert ours == pytest.approx(float(predict_prob([text])[0]), abs=1e-9)


# --- Settings -------------------------------------------------------------------------------


def test_settings_are_read_once_then_only_the_repeat_query_runs(
    reader, article, django_assert_num_queries
):
    screen(author=reader, article=article, text="Warm the settings cache.")

    with django_assert_num_queries(1):  # the repeated-text lookup
        screen(author=reader, article=article, text=SPAM)
    with django_assert_num_queries(0):
        screen(author=reader, article=article, text="Short and sweet.")


# --- Pluggable scorers ----------------------------------------------------------------------

release = threading.Event()  # lets hung scorers go once a test is over


@pytest.fixture(autouse=True)
def _release_hung_scorers():
    release.clear()
    yield
    release.set()


class Hangs(Scorer):
    name = "external_classifier"
    timeout = 0.2

    def score(self, ctx):
        release.wait(10)
        return Result(REJECT, 1.0, "too late to count")


class HangsFailClosed(Hangs):
    name = "strict_classifier"
    fail_closed = True


class Breaks(Scorer):
    name = "broken_classifier"

    def score(self, ctx):
        raise ConnectionError("classifier unreachable")


class BreaksFailClosed(Breaks):
    name = "strict_broken_classifier"
    fail_closed = True


class BreaksInline(Breaks):
    name = "broken_inline"
    inline = True


class SaysNothing(Scorer):
    name = "says_nothing"

    def score(self, ctx):
        return None


class FlagsShouting(Scorer):
    """An external rule: text in capitals waits for review."""

    name = "shouting"
    timeout = 1.0

    def score(self, ctx):
        letters = [c for c in ctx.text if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            return Result(HOLD, 1.0, "all capitals")
        return Result()


def test_custom_scorer_acts_and_is_recorded(reader, article, scorers):
    scorers("masthead.moderation.screening.Links", "FlagsShouting")

    loud = screen(author=reader, article=article, text="STOP THE TRAMS")
    calm = screen(author=reader, article=article, text="Stop the trams")

    assert loud.status == CommentStatus.PENDING
    assert loud.summary == "held: all capitals"
    assert [r["rule"] for r in loud.results] == ["links", "shouting"]
    assert calm.status == CommentStatus.PUBLISHED


def test_scorer_that_times_out_fails_open(reader, article, scorers):
    scorers("Hangs")

    started = time.monotonic()
    result = screen(author=reader, article=article, text="Hello")

    assert time.monotonic() - started < 2
    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "external_classifier") == {
        "rule": "external_classifier",
        "action": "allow",
        "score": 0.0,
        "detail": "timed out after 0.2 s (fails open)",
        "error": "timeout",
        "shadow": False,
    }
    assert result.summary == ""


def test_scorer_that_times_out_fails_closed(reader, article, scorers):
    scorers("Hangs", "HangsFailClosed")

    started = time.monotonic()
    result = screen(author=reader, article=article, text="Hello")

    assert time.monotonic() - started < 2  # the two waits overlap
    assert result.status == CommentStatus.PENDING
    assert result.summary == "held: timed out after 0.2 s (fails closed)"
    assert rule(result, "strict_classifier")["error"] == "timeout"


def test_failing_closed_in_shadow_mode_does_not_hold(reader, article, scorers, configure):
    scorers("HangsFailClosed")
    configure(shadow_rules="strict_classifier")

    result = screen(author=reader, article=article, text="Hello")

    assert result.status == CommentStatus.PUBLISHED
    assert rule(result, "strict_classifier")["shadow"] is True


@pytest.mark.parametrize(
    ("scorer", "status"),
    [
        ("Breaks", CommentStatus.PUBLISHED),
        ("BreaksInline", CommentStatus.PUBLISHED),
        ("BreaksFailClosed", CommentStatus.PENDING),
        ("SaysNothing", CommentStatus.PUBLISHED),
    ],
)
def test_scorer_that_errs_is_recorded_and_fails_as_configured(
    reader, article, scorers, scorer, status
):
    scorers(scorer)

    result = screen(author=reader, article=article, text="Hello")

    assert result.status == status
    recorded = result.results[0]
    assert recorded["error"] == "error"
    assert recorded["detail"].startswith("error: ")
    assert recorded["action"] == ("hold" if status == CommentStatus.PENDING else "allow")


def test_scorers_need_distinct_names(reader, article, scorers):
    scorers("Hangs", "HangsFailClosed", "Hangs")
    with pytest.raises(ValueError, match="distinct names"):
        screen(author=reader, article=article, text="Hello")
