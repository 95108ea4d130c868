"""Issue 3's whole reader journey in one browser: sign up, verify by the emailed link, comment,
reply, like, sort, and watch a second browser's comment arrive live."""

import re

import pytest

from masthead.accounts.models import User
from masthead.community.models import Comment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-and-unusual-passphrase-7"
WAIT = 10_000  # milliseconds; every wait below is for something that should take well under 1 s


def test_new_reader_signs_up_verifies_comments_replies_likes_sorts_and_sees_live_comments(
    live_server, browser, signed_in_context, make_article, second_reader, settings, mailoutbox
):
    from playwright.sync_api import expect

    from masthead.community.services import post_comment

    settings.MASTHEAD = {**settings.MASTHEAD, "LIVE_POLL_MS": 400}
    article = make_article("Night buses return to the ring road")
    url = live_server.url + article.url
    sams = post_comment(author=second_reader, article=article, body="Best news all year.")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # --- 1. Sign up, then verify by the link in the email this test receives. -----------------
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("nia.new@example.com")
    page.get_by_label("Display name").fill("Nia")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form.account-form").get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/confirm-email/")

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["nia.new@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", email.body)
    assert link, email.body
    page.goto(live_server.url + link.group(1))
    page.get_by_role("button", name="Confirm").click()
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off (allauth's default): confirming leads to sign-in.
    page.wait_for_url("**/accounts/login/*")
    nia = User.objects.get(email="nia.new@example.com")
    assert nia.emailaddress_set.get().verified
    assert nia.display_name == "Nia"

    # --- 2. On the story: sign in from the comments, then comment, reply and like, all without
    # a reload. -------------------------------------------------------------------------------
    page.goto(url)
    page.get_by_role("link", name="Sign in to join the conversation").click()
    page.get_by_label("Email").fill("nia.new@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.account-form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "#comments")
    story = page.url
    comments = page.locator('[data-part="comments"]')
    expect(comments.get_by_label("Add your comment")).to_be_visible()
    expect(page.locator('[data-part="comment-count"]')).to_have_text("1 comment")

    comments.get_by_label("Add your comment").fill("Finally, a way home after the late shift.")
    comments.get_by_role("button", name="Post comment").click()
    mine = page.locator('[data-part="comment"]', has_text="Finally, a way home after the late")
    expect(mine).to_be_visible(timeout=WAIT)
    expect(page.locator('[data-part="comment-count"]')).to_have_text("2 comments")
    assert page.url == story
    assert Comment.objects.filter(author=nia, parent=None).count() == 1

    sam = page.locator(f"#comment-{sams.pk}")
    sam.get_by_role("link", name="Reply").click()
    page.get_by_label("Your reply to Sam").fill("Agreed, Sam.")
    page.get_by_role("button", name="Post reply").click()
    reply = page.locator(
        f"#comment-{sams.pk} .comment__replies [data-part='comment']", has_text="Agreed, Sam."
    )
    expect(reply).to_be_visible(timeout=WAIT)
    expect(page.locator(f"form#reply-{sams.pk}")).to_have_count(0)
    expect(page.locator('[data-part="comment-count"]')).to_have_text("3 comments")
    assert Comment.objects.get(parent=sams).author == nia

    sam.get_by_role("button", name="Like", exact=True).click()
    expect(sam.get_by_role("button", name="Unlike")).to_be_visible(timeout=WAIT)
    expect(sam.locator(":scope > .comment__actions [data-like-count]")).to_have_text("1")
    assert page.url == story

    # --- 3. Oldest first: Sam's comment leads; then back to the story. -------------------------
    comments.locator("nav.comments__sort").get_by_role("link", name="Oldest").click()
    page.wait_for_url(re.compile(r"/comments/\d+/\?sort=oldest"))
    top_level = page.locator("[data-thread] > [data-part='comment']")
    expect(top_level).to_have_count(2)
    expect(top_level.nth(0)).to_have_id(f"comment-{sams.pk}")
    expect(top_level.nth(1)).to_contain_text("Finally, a way home")
    # The like and the reply were saved, not just drawn.
    expect(top_level.nth(0).get_by_role("button", name="Unlike")).to_be_visible()
    expect(top_level.nth(0).locator(".comment__replies")).to_contain_text("Agreed, Sam.")
    page.get_by_role("link", name="Back to the story").click()
    page.wait_for_url(url)
    expect(page.locator('[data-part="comment-count"]')).to_have_text("3 comments")

    # --- 4. A second browser comments; the first is told and inserts it with one click. -------
    other_context = signed_in_context(second_reader)
    other = other_context.new_page()
    other.goto(url)
    other.get_by_label("Add your comment").fill("See you on the 2 a.m. bus, Nia.")
    other.get_by_role("button", name="Post comment").click()
    expect(other.locator('[data-part="comment"]', has_text="2 a.m. bus")).to_be_visible(
        timeout=WAIT
    )
    new = Comment.objects.get(body__contains="2 a.m. bus")

    button = page.locator("[data-new-comments]")
    expect(button).to_be_visible(timeout=WAIT)
    expect(button).to_have_text("1 new comment")
    assert page.locator(f"#comment-{new.pk}").count() == 0
    button.click()
    expect(page.locator(f"#comment-{new.pk}")).to_contain_text("See you on the 2 a.m. bus")
    expect(page.locator('[data-part="comment-count"]')).to_have_text("4 comments")
    expect(button).to_be_hidden()
    assert page.url == url

    assert errors == []
    other_context.close()
    context.close()
