"""With JavaScript on: a reader posts and replies without reloading, and another browser sees
"1 new comment" arrive live and inserts it with one click."""

import pytest

from masthead.community.models import Comment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reader_posts_and_replies_and_another_browser_sees_them_live(
    live_server, browser, signed_in_context, make_article, reader, settings
):
    settings.MASTHEAD = {**settings.MASTHEAD, "LIVE_POLL_MS": 400}
    article = make_article("Ferry fares to rise in spring")
    url = live_server.url + article.url

    watcher_context = browser.new_context(viewport={"width": 1280, "height": 900})
    watcher = watcher_context.new_page()
    watcher.goto(url)
    assert watcher.locator('[data-part="comment-count"]').inner_text() == "0 comments"
    assert watcher.get_by_text("Sign in to join the conversation").is_visible()

    reader_context = signed_in_context(reader)
    page = reader_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)

    # Post: the comment appears without a reload and takes the focus.
    page.get_by_label("Add your comment").fill("The old fares were fairer.")
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator('[data-part="comment"]', has_text="The old fares were fairer.")
    comment.wait_for()
    assert page.url == url
    assert page.locator('[data-part="comment-count"]').inner_text() == "1 comment"
    assert page.get_by_label("Add your comment").input_value() == ""
    first = Comment.objects.get()
    assert page.evaluate("document.activeElement.id") == f"comment-{first.pk}"

    # The other browser is told, and inserts it with one click.
    button = watcher.get_by_role("button", name="1 new comment")
    button.wait_for(timeout=10_000)
    button.click()
    watcher.locator(f"#comment-{first.pk}", has_text="The old fares were fairer.").wait_for()
    assert watcher.locator('[data-part="comment-count"]').inner_text() == "1 comment"
    assert button.is_hidden()

    # Reply inline, under the comment, still without a reload.
    comment.get_by_role("link", name="Reply").click()
    page.get_by_label("Your reply to Rosa").fill("And the boats were on time.")
    page.get_by_role("button", name="Post reply").click()
    reply_el = page.locator(
        f"#comment-{first.pk} .comment__replies [data-part='comment']",
        has_text="And the boats were on time.",
    )
    reply_el.wait_for()
    reply = Comment.objects.get(parent=first)
    assert page.locator(f"form#reply-{first.pk}").count() == 0

    watcher.get_by_role("button", name="1 new comment").click(timeout=10_000)
    watcher.locator(f"#comment-{first.pk} .comment__replies #comment-{reply.pk}").wait_for()

    # Errors show inline and keep the text.
    page.get_by_label("Add your comment").fill("And the boats were on time.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_role("alert").filter(has_text="exactly this").wait_for()
    assert page.get_by_label("Add your comment").input_value() == "And the boats were on time."
    assert errors == []
    reader_context.close()
    watcher_context.close()


def test_reader_likes_without_reloading_and_the_count_updates_elsewhere(
    live_server, browser, signed_in_context, make_article, reader, second_reader, settings
):
    from masthead.community.services import post_comment

    settings.MASTHEAD = {**settings.MASTHEAD, "LIVE_POLL_MS": 400}
    article = make_article("Harbour dredging starts")
    comment = post_comment(author=reader, article=article, body="About time.")
    url = live_server.url + article.url

    watcher_context = browser.new_context()
    watcher = watcher_context.new_page()
    watcher.goto(url)
    watcher.wait_for_timeout(600)  # one poll to learn the thread's version

    liker_context = signed_in_context(second_reader)
    page = liker_context.new_page()
    page.goto(url)
    shown = page.locator(f"#comment-{comment.pk}")
    shown.get_by_role("button", name="Like").click()
    shown.get_by_role("button", name="Unlike").wait_for()
    assert shown.locator("[data-like-count]").inner_text() == "1"
    assert page.url == url

    watcher.locator(f"#comment-{comment.pk} [data-like-count]", has_text="1").wait_for(
        timeout=10_000
    )
    liker_context.close()
    watcher_context.close()
