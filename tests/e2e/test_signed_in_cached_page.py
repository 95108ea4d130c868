"""A signed-in reader on the cached story page: the page is the very bytes an anonymous reader
gets, and the browser fills in their part (name, messages, the form, their own comment awaiting
review). An anonymous browser afterwards sees no trace of them."""

import pytest

from masthead.community.models import Comment
from masthead.newsroom.models import CommentMode
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT = 10_000  # milliseconds; each wait is for something that should take well under 1 s
BODY = "The night ferry should stay <b>until May</b>."


def test_signed_in_reader_gets_the_cached_page_and_their_part_then_leaves_no_trace(
    live_server, browser, make_article, reader
):
    from playwright.sync_api import expect

    article = make_article("Night ferry timetable cut", comment_mode=CommentMode.PREMODERATED)
    url = live_server.url + article.url

    # An anonymous reader first: the page as everyone gets it.
    first = browser.new_context()
    anonymous_body = first.new_page().goto(url).body()
    first.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # Sign in through the real form and come back to the story.
    page.goto(f"{live_server.url}/accounts/login/?next={article.url}")
    page.get_by_label("Email").fill(reader.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.url == url) as story:
        page.locator("form.account-form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)
    assert story.value.body() == anonymous_body  # the same page, whoever asks
    assert "cookie" not in (story.value.headers.get("vary") or "").lower()

    # Their part, filled in by the browser.
    nav = page.locator('[data-part="account"]')
    expect(nav.locator("[data-account-name]")).to_have_text("Rosa", timeout=WAIT)
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(page.locator("[data-flash]")).to_contain_text("Rosa")  # "Successfully signed in"

    # They comment; on a premoderated story it waits for review, shown to them only.
    comments = page.locator('[data-part="comments"]')
    comments.get_by_label("Add your comment").fill(BODY)
    comments.get_by_role("button", name="Post comment").click()
    mine = comments.locator('[data-part="comment"]', has_text="The night ferry should stay")
    expect(mine).to_be_visible(timeout=WAIT)
    expect(mine).to_contain_text("Awaiting review")
    comment = Comment.objects.get()
    assert comment.is_pending and comment.author == reader
    assert page.url == url

    # Reloaded, the page is still the public one; the pending comment comes with their state,
    # escaped as the thread's own template renders it.
    page.reload()
    mine = page.locator(f"#comment-{comment.pk}")
    expect(mine).to_contain_text("Awaiting review", timeout=WAIT)
    expect(mine.locator("[data-body]")).to_contain_text("<b>until May</b>")
    expect(mine.get_by_role("link", name="Edit")).to_be_visible()
    expect(mine.locator('[data-action="report"]')).to_have_count(0)
    assert errors == []

    # A stranger's browser afterwards: nothing of Rosa, and no personal request made.
    stranger = browser.new_context()
    other = stranger.new_page()
    asked: list[str] = []
    other.on("request", lambda r: asked.append(r.url) if "/me/" in r.url else None)
    response = other.goto(url)
    other.wait_for_load_state("networkidle")
    html = response.body().decode()
    assert "night ferry should stay" not in html and "Rosa" not in html
    assert "night ferry should stay" not in other.content()
    assert other.locator('[data-part="account"]').inner_text().split() == [
        "Sign",
        "in",
        "Create",
        "account",
    ]
    expect(other.get_by_text("Sign in to join the conversation")).to_be_visible()
    expect(other.locator('[data-part="comments"] form')).to_have_count(0)
    assert asked == []
    stranger.close()

    # Signing out drops their part, and says so on the (cached) front page.
    page.goto(url)
    page.locator('[data-part="account"]').get_by_role("button", name="Sign out").click(timeout=WAIT)
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("[data-flash]")).to_contain_text("You have signed out.", timeout=WAIT)
    signed_out = page.locator('[data-part="account"]')
    expect(signed_out.get_by_role("link", name="Sign in")).to_be_visible()
    assert "masthead_signed_in" not in {c["name"] for c in context.cookies()}
    context.close()
