"""Properties of the services, checked on random sequences rather than chosen examples:

- the denormalised counts (an article's comment count, a comment's reply count and open reports)
  always equal a fresh count of the rows, whatever readers and moderators do and in what order;
- one report per reader per comment, however often (or however concurrently) they report;
- one payment per Stripe payment and the right totals, whatever order Stripe's events arrive
  in and however often each is replayed.

Each generated run happens in a savepoint that is rolled back afterwards, so runs start equal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, ClassVar

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from masthead.accounts.models import Role, User
from masthead.accounts.services import create_user
from masthead.community import services
from masthead.community.models import Comment, CommentStatus
from masthead.community.services import CommentError
from masthead.moderation import services as moderation
from masthead.moderation.models import Report, ReportReason, ReportStatus
from masthead.newsroom.models import ArticlePage
from masthead.revenue.models import (
    Contribution,
    ContributionStatus,
    Frequency,
    Payment,
    Provider,
    StripeEvent,
)
from masthead.revenue.payments import handle_event
from tests.revenue.test_webhooks import (
    charge_refunded,
    checkout_session,
    event,
    invoice_paid,
    invoice_payment_paid,
    subscription_deleted,
)

PUBLISHED = CommentStatus.PUBLISHED
QUICK = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@contextmanager
def rolled_back() -> Iterator[None]:
    """One generated run: whatever it writes is undone, so the next run starts from the same
    rows (the test's own transaction stays open around it)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def rate_unlimited(settings):
    limits = {name: "100000/m" for name in settings.MASTHEAD["RATE_LIMITS"]}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}


@pytest.fixture
def third_reader(db) -> User:
    return create_user(
        email="tess.third@example.com",
        password="correct-horse-battery-staple-42",
        role=Role.READER,
        verified=True,
        display_name="Tess",
    )


# --- Counts always equal the comments they count ------------------------------------------


WORDS = [
    "The tram line was always going to come back.",
    "Three years is a long time to wait.",
    "Does anyone know when the works start?",
    "Good news for the east side.",
    "I'll believe it when I see it.",
]


class CommentThreads(RuleBasedStateMachine):
    """Readers post, reply, edit, delete and report; a moderator approves, rejects, bans and
    undoes. After every step the stored counts must equal the rows they count."""

    readers: ClassVar[list[User]]
    moderator: ClassVar[User]
    articles: ClassVar[list[ArticlePage]]
    reasons: ClassVar[list[str]]

    comments = Bundle("comments")

    def __init__(self) -> None:
        super().__init__()
        self._run = rolled_back()
        self._run.__enter__()
        self.n = 0

    def teardown(self) -> None:
        self._run.__exit__(None, None, None)

    def _text(self, words: int) -> str:
        self.n += 1  # never the same text twice, so "you've just posted this" stays out of it
        return f"{WORDS[words]} ({self.n})"

    def _reader(self, who: int) -> User:
        # Loaded afresh: a ban is written to the row, and a banned reader must be refused.
        return User.objects.get(pk=self.readers[who].pk)

    @staticmethod
    def _fresh(comment: Comment) -> Comment:
        return Comment.objects.select_related("article").get(pk=comment.pk)

    @rule(
        target=comments,
        who=st.integers(0, 2),
        article=st.integers(0, 1),
        words=st.integers(0, len(WORDS) - 1),
    )
    def post(self, who: int, article: int, words: int):  # type: ignore[no-untyped-def]
        try:
            return services.post_comment(
                author=self._reader(who), article=self.articles[article], body=self._text(words)
            )
        except CommentError:
            return multiple()

    @rule(
        target=comments,
        who=st.integers(0, 2),
        parent=comments,
        words=st.integers(0, len(WORDS) - 1),
    )
    def reply(self, who: int, parent: Comment, words: int):  # type: ignore[no-untyped-def]
        try:
            return services.post_comment(
                author=self._reader(who),
                article=ArticlePage.objects.get(pk=parent.article_id),
                body=self._text(words),
                parent=parent.pk,
            )
        except CommentError:
            return multiple()

    @rule(comment=comments, words=st.integers(0, len(WORDS) - 1))
    def edit_own(self, comment: Comment, words: int) -> None:
        with suppress(CommentError):
            services.edit_comment(
                comment=self._fresh(comment), user=comment.author, body=self._text(words)
            )

    @rule(comment=comments, stale=st.booleans())
    def delete_own(self, comment: Comment, stale: bool) -> None:
        # `stale`: the author's request loaded the comment before a moderator's decision on it
        # committed (two requests at once); the delete must still count it once.
        target = comment if stale else self._fresh(comment)
        with suppress(CommentError):
            services.delete_own_comment(comment=target, user=comment.author)

    @rule(comment=comments, action=st.sampled_from(["approve", "reject", "ban"]))
    def decide(self, comment: Comment, action: str) -> None:
        with suppress(CommentError):
            moderation.decide(
                comment=self._fresh(comment), moderator=self.moderator, action=action, ban_days=1
            )

    @rule(comment=comments)
    def undo(self, comment: Comment) -> None:
        with suppress(CommentError):
            moderation.undo_last_decision(comment=self._fresh(comment), moderator=self.moderator)

    @rule(comment=comments, who=st.integers(0, 2), reason=st.integers(0, 10))
    def report(self, comment: Comment, who: int, reason: int) -> None:
        with suppress(CommentError):
            moderation.report_comment(
                reporter=self._reader(who),
                comment=self._fresh(comment),
                reason=self.reasons[reason % len(self.reasons)],
            )

    @invariant()
    def article_counts_equal_published_comments(self) -> None:
        counted = ArticlePage.objects.filter(pk__in=[a.pk for a in self.articles]).annotate(
            n=Count("comments", filter=Q(comments__status=PUBLISHED))
        )
        assert {a.pk: a.comment_count for a in counted} == {a.pk: a.n for a in counted}

    @invariant()
    def reply_counts_equal_published_replies(self) -> None:
        drift = (
            Comment.objects.annotate(n=Count("children", filter=Q(children__status=PUBLISHED)))
            .exclude(reply_count=F("n"))
            .values_list("pk", "reply_count", "n")
        )
        assert not list(drift)

    @invariant()
    def open_report_counts_equal_open_reports(self) -> None:
        drift = (
            Comment.objects.annotate(
                n=Count("reports", filter=Q(reports__status=ReportStatus.OPEN))
            )
            .exclude(open_reports=F("n"))
            .values_list("pk", "open_reports", "n")
        )
        assert not list(drift)

    @invariant()
    def one_report_per_reader_per_comment(self) -> None:
        doubled = (
            Report.objects.values("comment", "reporter").annotate(n=Count("pk")).filter(n__gt=1)
        )
        assert not list(doubled)


def test_counts_always_equal_the_comments_they_count(
    make_article, reader, second_reader, third_reader, moderator, rate_unlimited
):
    CommentThreads.readers = [reader, second_reader, third_reader]
    CommentThreads.moderator = moderator
    CommentThreads.articles = [make_article(), make_article("Budget passes")]
    CommentThreads.reasons = list(ReportReason.objects.active().values_list("code", flat=True))
    run_state_machine_as_test(
        CommentThreads, settings=settings(max_examples=20, stateful_step_count=15, **QUICK)
    )


def test_a_delete_racing_a_decision_or_its_own_retry_counts_once(
    make_article, reader, second_reader, moderator, rate_unlimited
):
    # Found by the state machine: the delete trusted the status it had loaded, so a retry (or
    # a moderator's removal) committed meanwhile took the comment off the count twice.
    story = make_article()
    services.post_comment(author=second_reader, article=story, body="Stays up.")
    comment = services.post_comment(author=reader, article=story, body="Going soon.")
    loaded_by_retry = Comment.objects.get(pk=comment.pk)
    services.delete_own_comment(comment=Comment.objects.get(pk=comment.pk), user=reader)
    services.delete_own_comment(comment=loaded_by_retry, user=reader)
    story.refresh_from_db()
    assert story.comment_count == 1

    other = services.post_comment(author=reader, article=story, body="Removed, then deleted.")
    loaded = Comment.objects.get(pk=other.pk)
    moderation.decide(
        comment=Comment.objects.get(pk=other.pk), moderator=moderator, action="reject"
    )
    services.delete_own_comment(comment=loaded, user=reader)
    story.refresh_from_db()
    assert story.comment_count == 1
    assert Comment.objects.get(pk=other.pk).status == CommentStatus.DELETED


# --- One report per reader per comment ------------------------------------------------------


@given(
    reports=st.lists(
        st.tuples(st.integers(0, 10), st.text(max_size=30), st.booleans()), min_size=1, max_size=6
    )
)
@settings(max_examples=15, **QUICK)
def test_reporting_again_updates_the_one_report(
    reports, make_article, reader, second_reader, moderator, rate_unlimited
) -> None:
    reasons = list(ReportReason.objects.active().values_list("code", flat=True))
    with rolled_back():
        comment = services.post_comment(
            author=second_reader, article=make_article(), body="A view worth reporting."
        )
        for i, (reason, note, decide_first) in enumerate(reports):
            if decide_first:  # a decision resolves the report; reporting again reopens it
                with suppress(CommentError):
                    moderation.decide(
                        comment=Comment.objects.get(pk=comment.pk),
                        moderator=moderator,
                        action="approve",
                    )
            try:
                report, created = moderation.report_comment(
                    reporter=reader,
                    comment=Comment.objects.get(pk=comment.pk),
                    reason=reasons[reason % len(reasons)],
                    note=note,
                )
            except CommentError as exc:
                # Refused only because a removed comment can no longer be reported.
                assert exc.code == "not_found"
                continue
            assert created == (i == 0)
            assert report.status == ReportStatus.OPEN
        assert Report.objects.filter(comment=comment, reporter=reader).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_reader_reporting_at_once_files_one_report(
    make_article, reader, second_reader, rate_unlimited
):
    comment = services.post_comment(
        author=second_reader, article=make_article(), body="Reported twice at once."
    )
    start = threading.Barrier(4)
    outcomes: list[Any] = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(
                moderation.report_comment(
                    reporter=reader, comment=Comment.objects.get(pk=comment.pk), reason="spam"
                )[1]
            )
        except Exception as exc:  # any error is a failure: say which
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == [False, False, False, True]
    assert Report.objects.filter(comment=comment, reporter=reader).count() == 1
    assert Comment.objects.get(pk=comment.pk).open_reports == 1


# --- One payment per Stripe payment -----------------------------------------------------------


def stripe_events(once: Contribution, monthly: Contribution) -> list[dict[str, Any]]:
    """A one-off gift refunded in two steps, and a monthly contribution's first two months and
    its cancellation, plus an event type Masthead ignores. Fixed ids: replays are the same."""
    ours = {"contribution_id": str(monthly.pk)}
    sub = "sub_Prop"
    return [
        event(
            "checkout.session.completed",
            checkout_session(contribution=once, payment_intent="pi_prop_once"),
            event_id="evt_once",
        ),
        event(
            "charge.refunded",
            charge_refunded(refunded=400, payment_intent="pi_prop_once", charge="ch_prop"),
            event_id="evt_refund_1",
        ),
        event(
            "charge.refunded",
            charge_refunded(refunded=700, payment_intent="pi_prop_once", charge="ch_prop"),
            event_id="evt_refund_2",
        ),
        event(
            "checkout.session.completed",
            checkout_session(
                contribution=monthly,
                mode="subscription",
                amount=500,
                invoice="in_prop_1",
                subscription=sub,
            ),
            event_id="evt_monthly",
        ),
        event(
            "invoice.paid",
            invoice_paid(invoice_id="in_prop_1", subscription=sub, metadata=ours),
            event_id="evt_invoice_1",
        ),
        event(
            "invoice_payment.paid",
            invoice_payment_paid(invoice_id="in_prop_1", payment_intent="pi_prop_month_1"),
            event_id="evt_invoice_payment_1",
        ),
        event(
            "invoice.paid",
            invoice_paid(
                invoice_id="in_prop_2",
                subscription=sub,
                metadata=ours,
                billing_reason="subscription_cycle",
                paid_at=1_764_115_200 + 30 * 86_400,
            ),
            event_id="evt_invoice_2",
        ),
        event(
            "customer.subscription.deleted",
            subscription_deleted(subscription=sub),
            event_id="evt_cancelled",
        ),
        event("customer.created", {"id": "cus_Prop", "object": "customer"}, event_id="evt_other"),
    ]


@st.composite
def deliveries(draw: st.DrawFn, count: int) -> list[int]:
    """Every event at least once, in any order, some of them again at any point."""
    order = list(draw(st.permutations(range(count))))
    for replay in draw(st.lists(st.integers(0, count - 1), max_size=2 * count)):
        order.insert(draw(st.integers(0, len(order))), replay)
    return order


@given(order=deliveries(9))
@settings(max_examples=25, **QUICK)
def test_each_payment_is_recorded_once_whatever_the_order_and_replays(order, db) -> None:
    with rolled_back():
        once = Contribution.objects.create(
            frequency=Frequency.ONCE,
            amount=1000,
            currency="EUR",
            email="lea.donor@example.com",
            provider=Provider.STRIPE,
        )
        monthly = Contribution.objects.create(
            frequency=Frequency.MONTHLY,
            amount=500,
            currency="EUR",
            email="lea.donor@example.com",
            provider=Provider.STRIPE,
        )
        events = stripe_events(once, monthly)
        seen: set[int] = set()
        for i in order:
            assert handle_event(events[i]) is (i not in seen)
            seen.add(i)

        assert StripeEvent.objects.count() == len(events)
        assert Contribution.objects.count() == 2  # nothing mistaken for a new contribution
        which = {once.pk: "once", monthly.pk: "monthly"}
        rows = Payment.objects.values_list(
            "contribution_id", "amount", "refunded_amount", "invoice_id"
        )
        assert sorted((which[c], *rest) for c, *rest in rows) == [
            ("monthly", 500, 0, "in_prop_1"),
            ("monthly", 500, 0, "in_prop_2"),
            ("once", 1000, 700, None),
        ]
        once.refresh_from_db()
        monthly.refresh_from_db()
        assert once.status == ContributionStatus.PAID  # 300 of it kept
        assert monthly.status == ContributionStatus.CANCELLED
