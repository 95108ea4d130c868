"""The comment pages without JavaScript: read, post, reply, like, edit, delete.

The story page shows the public section to everyone (it is cached whole); the signed-in
reader's own view, forms and messages are on the thread page (`thread_section`)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.community.models import Comment, CommentStatus, Reaction
from masthead.community.services import delete_own_comment, feature_comment, post_comment
from masthead.community.views import PENDING_MESSAGE, PUBLISHED_MESSAGE
from masthead.newsroom.models import CommentMode


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def section(client, article) -> BeautifulSoup:
    response = client.get(article.url)
    assert response.status_code == 200
    return soup_of(response).select_one('[data-part="comments"]')


def thread_section(client, article) -> BeautifulSoup:
    response = client.get(f"/comments/{article.pk}/")
    assert response.status_code == 200
    return soup_of(response).select_one('[data-part="comments"]')


def live_forms(soup) -> list:
    """Forms a reader can submit (not the inert <template> the script uses)."""
    return [form for form in soup.select("form") if not form.find_parent("template")]


def comment_el(soup, comment):
    return soup.select_one(f'#comment-{comment.pk}[data-part="comment"]')


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Reading --------------------------------------------------------------------------------


def test_anonymous_reader_sees_the_thread_a_sign_in_link_and_no_form(client, article, comment):
    comments = section(client, article)
    assert comments.select_one('[data-part="comment-count"]').get_text(strip=True) == "1 comment"
    shown = comment_el(comments, comment)
    assert "Rosa" in shown.get_text() and "Fares are already too high." in shown.get_text()
    assert shown.select_one("time[datetime]")
    link = comments.find("a", string="Sign in to join the conversation")
    # Signing in without JavaScript leads to the thread page, where the form is.
    assert link["href"] == f"/accounts/login/?next=%2Fcomments%2F{article.pk}%2F%23comment-form"
    assert comments.find("a", string="create an account")
    assert not live_forms(comments)
    assert "Edit" not in shown.get_text() and "Like" not in [
        b.get_text() for b in shown.select("button")
    ]


def test_anonymous_article_page_with_comments_sets_no_cookie_and_no_vary_cookie(
    client, article, comment, second_reader
):
    post_comment(author=second_reader, article=article, body="Agreed.", parent=comment)
    response = client.get(article.url)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_signed_in_reader_gets_a_form_with_csrf_and_a_like_button_on_the_thread_page(
    client, article, comment, second_reader
):
    comments = thread_section(signed_in(client, second_reader), article)
    form = comments.select_one("form#comment-form")
    assert form["action"] == f"/comments/{article.pk}/post"
    assert form.select_one('input[name="csrfmiddlewaretoken"]')
    textarea = form.select_one("textarea")
    assert comments.select_one(f'label[for="{textarea["id"]}"]')
    assert textarea["maxlength"] == "3000"
    assert comment_el(comments, comment).select_one('form[data-action="like"] button').get_text(
        strip=True
    ) == ("Like")


def test_body_html_is_rendered_and_names_are_escaped(client, article, second_reader):
    second_reader.display_name = "<b>Sam</b>"
    second_reader.save()
    post_comment(author=second_reader, article=article, body="<script>alert(1)</script> hi")
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html


def test_replies_nest_and_deep_replies_name_whom_they_answer(
    client, article, comment, second_reader, editor
):
    first = post_comment(author=second_reader, article=article, body="Why?", parent=comment)
    second = post_comment(author=comment.author, article=article, body="Because.", parent=first)
    deep = post_comment(author=editor, article=article, body="Staff here.", parent=second)
    comments = section(client, article)
    top = comment_el(comments, comment)
    assert comment_el(top, first) and comment_el(comment_el(top, first), second)
    deep_el = comment_el(comments, deep)
    assert deep_el.parent.parent is comment_el(comments, first)  # beside `second`, level 3
    assert "in reply to Rosa" in deep_el.get_text()
    assert deep_el.select_one(".badge--staff").get_text() == "Staff"


def test_featured_comments_come_first_and_are_marked(
    client, article, comment, second_reader, editor
):
    later = post_comment(author=second_reader, article=article, body="A later one.")
    feature_comment(comment=comment, user=editor)
    comments = section(client, article)
    ids = [el["id"] for el in comments.select('[data-part="comment"]')]
    assert ids == [f"comment-{comment.pk}", f"comment-{later.pk}"]
    assert "Featured" in comment_el(comments, comment).get_text()


def test_pending_comment_is_shown_only_to_its_author_awaiting_review(
    client, make_article, reader, second_reader
):
    article = make_article("Harbour plan", comment_mode=CommentMode.PREMODERATED)
    pending = post_comment(author=reader, article=article, body="Held back for now.")
    assert pending.status == CommentStatus.PENDING
    assert comment_el(section(client, article), pending) is None
    assert comment_el(thread_section(signed_in(client, second_reader), article), pending) is None
    assert comment_el(section(signed_in(client, reader), article), pending) is None  # cached page
    mine = comment_el(thread_section(signed_in(client, reader), article), pending)
    assert "Awaiting review" in mine.get_text()


def test_legal_closure_hides_the_form_and_shows_the_message(client, make_article, reader):
    article = make_article(
        "Trial opens",
        comment_mode=CommentMode.LEGAL,
        comments_closed_message="Closed while the case is before the court.",
    )
    for comments in [section(client, article), thread_section(signed_in(client, reader), article)]:
        assert "before the court" in comments.get_text()
        assert not comments.select("form#comment-form")
    response = client.post(f"/comments/{article.pk}/post", {"body": "Can I?"})
    assert response.status_code == 403
    assert "before the court" in response.content.decode()


def test_deleted_comment_with_replies_shows_a_placeholder(client, article, comment, second_reader):
    reply = post_comment(author=second_reader, article=article, body="I disagree.")
    reply = post_comment(author=second_reader, article=article, body="Still here.", parent=comment)
    delete_own_comment(comment=comment, user=comment.author)
    comments = section(client, article)
    gone = comment_el(comments, comment)
    assert gone.get_text(strip=True).startswith("This comment was deleted.")
    assert "Rosa" not in gone.select_one(".comment__deleted").get_text()
    assert comment_el(gone, reply)


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", [None, "second_reader"])
def test_article_page_query_count_is_the_same_for_5_and_60_comments(
    request, client, make_article, grow_thread, reader, second_reader, persona
):
    small, big = make_article("Small thread"), make_article("Big thread")
    grow_thread(small, [reader, second_reader], 5, replies_each=2)
    grow_thread(big, [reader, second_reader], 60, replies_each=2)
    if persona:
        signed_in(client, request.getfixturevalue(persona))
    assert _queries(client, big.url) == _queries(client, small.url)
    assert _queries(client, f"/comments/{big.pk}/") == _queries(client, f"/comments/{small.pk}/")


# --- The thread page ------------------------------------------------------------------------


def test_thread_page_sorts_and_pages_with_one_h1(
    client, make_article, grow_thread, reader, second_reader
):
    article = make_article("Long thread")
    grow_thread(article, [reader, second_reader], 25, replies_each=2)
    oldest = Comment.objects.filter(parent=None).order_by("pk").first()
    soup = soup_of(client.get(f"/comments/{article.pk}/?sort=oldest"))
    assert [h.get_text() for h in soup.find_all("h1")] == [f"Comments: {article.title}"]
    assert soup.find("a", string="Back to the story")["href"] == article.url
    first = soup.select("[data-comments-list] > li, [data-thread] > li")[0]
    assert first["id"] == f"comment-{oldest.pk}"
    more = soup.find("a", string="More comments")
    page_two = soup_of(client.get(more["href"].split("#")[0]))
    assert len(page_two.select("[data-thread] > li")) == 5
    assert client.get(f"/comments/{article.pk}/?cursor=%%%").status_code == 400


def test_article_page_links_to_the_sorts(client, article, comment):
    links = section(client, article).select(".comments__sort a")
    assert [a.get_text() for a in links] == ["Newest", "Oldest", "Most liked"]
    assert links[2]["href"] == f"/comments/{article.pk}/?sort=top#comments"


def test_reply_link_opens_a_reply_form_under_the_comment(client, article, comment, second_reader):
    reply_href = comment_el(section(client, article), comment).select_one("a[data-action=reply]")[
        "href"
    ]
    assert reply_href.startswith(f"/comments/{article.pk}/?reply_to={comment.pk}")
    soup = soup_of(signed_in(client, second_reader).get(reply_href.split("#")[0]))
    form = comment_el(soup, comment).select_one(f"form#reply-{comment.pk}")
    assert form.select_one('input[name="parent_id"]')["value"] == str(comment.pk)
    assert "Your reply to Rosa" in form.get_text()


# --- Writing --------------------------------------------------------------------------------


def test_reader_posts_and_lands_on_the_thread_page_with_a_message(client, article, second_reader):
    response = signed_in(client, second_reader).post(
        f"/comments/{article.pk}/post", {"body": "A good plan."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/comments/{article.pk}/#comment-{comment.pk}"
    page = client.get(response["Location"].split("#")[0])
    assert PUBLISHED_MESSAGE in page.content.decode()
    assert comment_el(soup_of(page), comment)
    assert comment_el(section(client, article), comment)


def test_premoderated_post_says_it_awaits_review(client, make_article, second_reader):
    article = make_article("Checked", comment_mode=CommentMode.PREMODERATED)
    signed_in(client, second_reader).post(f"/comments/{article.pk}/post", {"body": "Hello"})
    assert PENDING_MESSAGE not in client.get(article.url).content.decode()  # the same for all
    assert PENDING_MESSAGE in client.get(f"/comments/{article.pk}/").content.decode()


def test_reply_posts_under_its_parent(client, article, comment, second_reader):
    response = signed_in(client, second_reader).post(
        f"/comments/{article.pk}/post", {"body": "Not for me.", "parent_id": comment.pk}
    )
    reply = Comment.objects.get(parent=comment)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    assert comment_el(comment_el(section(client, article), comment), reply)


def test_too_long_comment_is_refused_keeping_the_text(client, article, second_reader, settings):
    settings.MASTHEAD = {**settings.MASTHEAD, "COMMENT_MAX_LENGTH": 20}
    text = "This is far longer than twenty characters & <then> some."
    response = signed_in(client, second_reader).post(f"/comments/{article.pk}/post", {"body": text})
    assert response.status_code == 400
    soup = soup_of(response)
    assert "at most 20 characters" in soup.select_one('[role="alert"]').get_text()
    assert soup.select_one("form#comment-form textarea").get_text() == text
    assert not Comment.objects.exists()


def test_failed_reply_keeps_the_text_in_the_reply_form(client, article, comment, second_reader):
    post_comment(author=second_reader, article=article, body="Same again.")
    response = signed_in(client, second_reader).post(
        f"/comments/{article.pk}/post", {"body": "Same again.", "parent_id": comment.pk}
    )
    assert response.status_code == 409
    form = soup_of(response).select_one(f"form#reply-{comment.pk}")
    assert form.select_one("textarea").get_text() == "Same again."
    assert "exactly this" in form.get_text()


def test_rate_limited_post_answers_429_with_retry_after(client, article, second_reader, settings):
    limits = {**settings.MASTHEAD["RATE_LIMITS"], "comment": "1/m"}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    signed_in(client, second_reader).post(f"/comments/{article.pk}/post", {"body": "One"})
    response = client.post(f"/comments/{article.pk}/post", {"body": "Two"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert soup_of(response).select_one("form#comment-form textarea").get_text() == "Two"


def test_unknown_parent_is_a_404_keeping_the_text(client, article, second_reader):
    response = signed_in(client, second_reader).post(
        f"/comments/{article.pk}/post", {"body": "Lost?", "parent_id": 999999}
    )
    assert response.status_code == 404
    assert soup_of(response).select_one("form#comment-form textarea").get_text() == "Lost?"


def test_unverified_reader_is_told_to_confirm_their_email(client, article, unverified_reader):
    response = signed_in(client, unverified_reader).post(
        f"/comments/{article.pk}/post", {"body": "Hi"}
    )
    assert response.status_code == 403
    assert "confirm your email" in response.content.decode()


def test_anonymous_posts_go_to_the_login_page(client, article, comment):
    for url in [
        f"/comments/{article.pk}/post",
        f"/comments/c/{comment.pk}/like",
        f"/comments/c/{comment.pk}/edit",
        f"/comments/c/{comment.pk}/delete",
    ]:
        response = client.post(url, {"body": "Hi"})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert Comment.objects.count() == 1


def test_posting_needs_the_csrf_token(article, second_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(second_reader)
    assert client.post(f"/comments/{article.pk}/post", {"body": "Hi"}).status_code == 403


def test_like_and_unlike_redirect_back_to_the_comment(client, article, comment, second_reader):
    signed_in(client, second_reader)
    thread = f"/comments/{article.pk}/"
    response = client.post(f"/comments/c/{comment.pk}/like", {"next": thread})
    assert response.status_code == 303
    assert response["Location"] == f"{thread}#comment-{comment.pk}"
    shown = comment_el(thread_section(client, article), comment)
    assert shown.select_one("[data-like-count]").get_text() == "1"
    assert shown.select_one('form[data-action="like"] button').get_text(strip=True) == "Unlike"
    client.post(f"/comments/c/{comment.pk}/unlike", {"next": "https://evil.example/"})
    assert not Reaction.objects.exists()
    response = client.post(f"/comments/c/{comment.pk}/like", {"next": "https://evil.example/"})
    assert response["Location"] == f"{thread}#comment-{comment.pk}"


def test_liking_ones_own_comment_shows_why_not(client, article, comment, reader):
    signed_in(client, reader)
    response = client.post(f"/comments/c/{comment.pk}/like")
    assert response["Location"] == f"/comments/{article.pk}/#comment-{comment.pk}"
    page = client.get(f"/comments/{article.pk}/").content.decode()
    assert "can&#x27;t like your own comment" in page


def test_author_edits_within_the_window_and_sees_edited(client, article, comment, reader):
    signed_in(client, reader)
    shown = comment_el(thread_section(client, article), comment)
    assert shown.find("a", string="Edit")["href"] == f"/comments/c/{comment.pk}/edit"
    form = soup_of(client.get(f"/comments/c/{comment.pk}/edit"))
    assert form.select_one("textarea").get_text() == comment.body
    response = client.post(f"/comments/c/{comment.pk}/edit", {"body": "Fares are too high."})
    assert response.status_code == 303
    shown = comment_el(section(client, article), comment)
    assert "Fares are too high." in shown.select_one("[data-body]").get_text()
    assert not shown.select_one("[data-edited]").has_attr("hidden")


def test_edit_is_refused_after_the_window_and_for_others(
    client, article, comment, reader, second_reader
):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    signed_in(client, reader)
    assert comment_el(thread_section(client, article), comment).find("a", string="Edit") is None
    assert client.get(f"/comments/c/{comment.pk}/edit").status_code == 409
    response = client.post(f"/comments/c/{comment.pk}/edit", {"body": "Changed"})
    assert response.status_code == 409
    assert "can only be edited for 5 minutes" in response.content.decode()
    signed_in(client, second_reader)
    assert client.get(f"/comments/c/{comment.pk}/edit").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Fares are already too high."


def test_author_deletes_after_confirming(client, article, comment, reader, second_reader):
    reply = post_comment(author=second_reader, article=article, body="Hm.", parent=comment)
    signed_in(client, second_reader)
    assert client.get(f"/comments/c/{comment.pk}/delete").status_code == 403
    assert client.post(f"/comments/c/{comment.pk}/delete").status_code == 403
    signed_in(client, reader)
    confirm = soup_of(client.get(f"/comments/c/{comment.pk}/delete"))
    assert confirm.find("h1").get_text() == "Delete your comment?"
    response = client.post(f"/comments/c/{comment.pk}/delete")
    assert response.status_code == 303
    comments = section(client, article)
    assert "This comment was deleted." in comment_el(comments, comment).get_text()
    assert comment_el(comments, reply)
    assert comments.select_one('[data-part="comment-count"]').get_text() == "1 comment"
