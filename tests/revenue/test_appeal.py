"""The appeal on article pages: copy, placement and sections from the CMS, a link that carries
the amount and placement, and nothing per reader on the server (pages stay cacheable)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from wagtail.models import Site

from masthead.accounts.models import User
from masthead.revenue.models import AppealSettings
from tests.conftest import PASSWORD


def _settings(**values) -> AppealSettings:
    appeal = AppealSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(appeal, name, value)
    appeal.save()
    return appeal


def _appeals(response) -> list:
    return BeautifulSoup(response.content, "html.parser").select("[data-appeal]")


def test_the_appeal_shows_the_newsrooms_words_and_links_with_amount_and_placement(
    client, make_article
):
    _settings(heading="Keep the lights on", suggested_amount=10, suggested_frequency="monthly")
    [block] = _appeals(client.get(make_article().url))
    assert "Keep the lights on" in block.text
    link = block.select_one("a.appeal__button")["href"]
    assert link == "/contribute?amount=1000&frequency=monthly&placement=article-top"
    assert block["data-appeal-days"] == "14"


def test_the_link_lands_on_a_page_with_that_choice(client, make_article, test_mode):
    _settings(suggested_amount=25, suggested_frequency="once")
    link = _appeals(client.get(make_article().url))[0].select_one("a")["href"]
    html = client.get(link).content.decode()
    assert 'name="placement" value="article-top"' in html
    assert "Give €25 once</button>" in html


def test_the_appeal_can_move_to_the_end_of_the_article(client, make_article):
    _settings(placement="article-end")
    soup = BeautifulSoup(client.get(make_article().url).content, "html.parser")
    [block] = soup.select("[data-appeal]")
    assert "placement=article-end" in block.select_one("a")["href"]
    body = soup.select_one('[data-part="body"]')
    assert body in block.find_all_previous()


def test_the_appeal_can_be_switched_off(client, make_article):
    _settings(enabled=False)
    assert _appeals(client.get(make_article().url)) == []


def test_the_appeal_can_be_switched_off_for_one_section(client, home, section, make_article):
    from masthead.newsroom.models import SectionPage

    culture = home.add_child(instance=SectionPage(title="Culture", slug="culture"))
    _settings().hidden_in_sections.set([culture])
    assert _appeals(client.get(make_article(parent=culture).url)) == []
    assert len(_appeals(client.get(make_article().url))) == 1


def test_dismissing_and_the_supporter_thanks_are_left_to_the_browser(client, make_article):
    _settings(thanks_heading="You keep us going")
    response = client.get(make_article().url)
    [block] = _appeals(response)
    assert block.select_one("[data-appeal-dismiss]").has_attr("hidden")  # shown by appeal.js
    assert "You keep us going" in block.select_one("template[data-appeal-thanks]").decode()
    soup = BeautifulSoup(response.content, "html.parser")
    scripts = [s["src"] for s in soup.find_all("script", src=True)]
    assert any(src.endswith("/appeal.js") for src in scripts)


def test_an_anonymous_article_page_with_the_appeal_sets_no_cookie(client, make_article):
    _settings(enabled=True)
    response = client.get(make_article().url)
    assert _appeals(response)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_appeal_is_the_same_for_a_supporter_as_for_anyone(client, make_article, reader):
    article = make_article()
    anonymous = str(_appeals(client.get(article.url))[0])
    User.objects.filter(pk=reader.pk).update(is_monthly_supporter=True)
    client.login(email=reader.email, password=PASSWORD)
    assert str(_appeals(client.get(article.url))[0]) == anonymous
    assert reader.email not in anonymous


# --- GET /api/v1/revenue/me -----------------------------------------------------------------


def test_an_anonymous_caller_is_not_a_supporter_and_gets_no_session(client, db):
    response = client.get("/api/v1/revenue/me")
    assert response.json() == {"supporter": False}
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies


def test_a_monthly_supporter_is_told_so_privately(client, reader):
    client.login(email=reader.email, password=PASSWORD)
    assert client.get("/api/v1/revenue/me").json() == {"supporter": False}
    User.objects.filter(pk=reader.pk).update(is_monthly_supporter=True)
    response = client.get("/api/v1/revenue/me")
    assert response.json() == {"supporter": True}
    assert "no-store" in response["Cache-Control"]
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_admins_set_placement_and_sections_in_the_cms(client, admin, home, section, make_article):
    client.login(email=admin.email, password=PASSWORD)
    site = Site.objects.get(is_default_site=True)
    url = f"/cms/settings/revenue/appealsettings/{site.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert "Sections whose articles show no appeal." in form.content.decode()
    saved = client.post(
        url,
        {
            "enabled": "on",
            "placement": "article-end",
            "hidden_in_sections": [section.pk],
            "heading": "Help us dig",
            "message": "Reporting costs money.",
            "button_label": "Chip in",
            "suggested_amount": "5",
            "suggested_frequency": "once",
            "dismiss_days": "7",
            "thanks_heading": "Thanks",
            "thanks_message": "You make it possible.",
        },
    )
    assert saved.status_code == 302
    appeal = AppealSettings.for_site(site)
    assert appeal.placement == "article-end"
    assert list(appeal.hidden_in_sections.all()) == [section]
    assert _appeals(client.get(make_article().url)) == []
