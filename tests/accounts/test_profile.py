"""The reader's profile page: public name, own comments, links to manage the account."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.community.models import CommentStatus
from masthead.community.services import delete_own_comment, post_comment
from masthead.newsroom.models import CommentMode


@pytest.fixture
def article(make_article):
    return make_article("Ferry fares to rise in spring")


def test_profile_needs_a_signed_in_reader(client, home):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/profile/")


def test_profile_shows_name_and_links_to_manage_the_account(client, home, reader):
    client.force_login(reader)
    response = client.get("/accounts/profile/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "display_name"})["value"] == "Rosa"
    links = {a.text.strip(): a["href"] for a in soup.select(".account-links a")}
    assert links == {
        "Change password": "/accounts/password/change/",
        "Email addresses": "/accounts/email/",
        "Download my data": "/accounts/profile/export.json",
        "Delete my account": "/accounts/profile/delete/",
    }
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_reader_changes_display_name_and_sees_saved(client, home, reader):
    client.force_login(reader)
    response = client.post("/accounts/profile/", {"display_name": " Rosa  M. "}, follow=True)
    assert "Saved" in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == "Rosa M."


def test_reader_cannot_take_a_reserved_or_empty_name(client, home, reader):
    client.force_login(reader)
    for name, message in [("Former reader", "reserved"), ("", "This field is required")]:
        response = client.post("/accounts/profile/", {"display_name": name})
        assert response.status_code == 200
        assert message in response.content.decode()
    reader.refresh_from_db()
    assert reader.display_name == "Rosa"


def test_profile_lists_own_comments_newest_first_with_status_and_links(
    client, home, reader, second_reader, make_article, article
):
    held = make_article("Harbour plans", comment_mode=CommentMode.PREMODERATED)
    first = post_comment(author=reader, article=article, body="First thoughts")
    pending = post_comment(author=reader, article=held, body="Held back")
    gone = post_comment(author=reader, article=article, body="Regret this")
    delete_own_comment(comment=gone, user=reader)
    post_comment(author=second_reader, article=article, body="Not Rosa's")
    assert pending.status == CommentStatus.PENDING

    client.force_login(reader)
    soup = BeautifulSoup(client.get("/accounts/profile/").content, "html.parser")
    items = soup.select("[data-part=my-comment]")

    assert len(items) == 3
    hrefs = [item.find("a")["href"] for item in items]
    assert hrefs == [
        f"{article.url}#comment-{gone.pk}",
        f"{held.url}#comment-{pending.pk}",
        f"{article.url}#comment-{first.pk}",
    ]
    assert "Deleted" in items[0].text
    assert "Awaiting review" in items[1].text and "Held back" in items[1].text
    assert "First thoughts" in items[2].text
    assert "Not Rosa's" not in soup.text


def test_profile_pages_through_comments_with_a_fixed_number_of_queries(
    client, home, reader, make_article, settings
):
    limits = {**settings.MASTHEAD["RATE_LIMITS"], "comment": "1000/m"}
    settings.MASTHEAD = {**settings.MASTHEAD, "RATE_LIMITS": limits}
    articles = [make_article(f"Story {n}") for n in range(3)]
    client.force_login(reader)

    def queries_for(count):
        while reader.comments.count() < count:
            n = reader.comments.count()
            post_comment(author=reader, article=articles[n % 3], body=f"Comment number {n}")
        with CaptureQueriesContext(connection) as context:
            response = client.get("/accounts/profile/")
        assert response.status_code == 200
        return len(context)

    client.get("/accounts/profile/")  # warm the site-root cache Wagtail keeps for page URLs
    few, many = queries_for(3), queries_for(25)
    assert many == few
    soup = BeautifulSoup(client.get("/accounts/profile/?page=2").content, "html.parser")
    assert len(soup.select("[data-part=my-comment]")) == 5
    assert "Page 2 of 2" in soup.text
