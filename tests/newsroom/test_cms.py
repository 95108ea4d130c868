"""Editors write articles in the CMS: the forms work and what they save shows on the page."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from masthead.newsroom.models import ArticlePage, CommentMode


def article_form(author, photo, **overrides):
    data = {
        "title": "Harbour ferry returns after a decade",
        "slug": "harbour-ferry-returns",
        "standfirst": "The service will run every 20 minutes from March.",
        "dateline": "Setúbal",
        "wire_agency": "",
        "wire_byline": "",
        "updated_at": "",
        "lead_photo": photo.pk,
        "lead_photo_caption": "",
        "tags": "ferries, transport",
        "comment_mode": CommentMode.OPEN,
        "comments_closed_message": "",
        "bylines": inline_formset([{"author": author.pk}]),
        "related_links": inline_formset([]),
        "corrections": inline_formset([]),
        "body": streamfield(
            [
                (
                    "paragraph",
                    '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":'
                    '"The first boat leaves at seven.","inlineStyleRanges":[],"entityRanges":[]}],'
                    '"entityMap":{}}',
                ),
                ("subheading", "Fares"),
            ]
        ),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_opens_the_new_article_form(client, editor, section):
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/newsroom/articlepage/{section.pk}/")
    assert response.status_code == 200
    assert b"Standfirst" in response.content


def test_editor_publishes_an_article_that_readers_can_read(
    client, editor, section, author, make_photo
):
    client.force_login(editor)
    response = client.post(
        f"/cms/pages/add/newsroom/articlepage/{section.pk}/",
        article_form(author, make_photo("Ferry")),
    )
    assert response.status_code == 302, response.content[:2000]
    article = ArticlePage.objects.get(slug="harbour-ferry-returns")
    assert article.live
    assert article.authors == [author]
    assert sorted(tag.name for tag in article.tags.all()) == ["ferries", "transport"]
    client.logout()
    page = client.get(article.url).content.decode()
    assert "The first boat leaves at seven." in page
    assert "Harbour ferry returns after a decade" in page


def test_legal_closure_without_a_message_is_refused_in_the_cms(
    client, editor, section, author, make_photo
):
    client.force_login(editor)
    response = client.post(
        f"/cms/pages/add/newsroom/articlepage/{section.pk}/",
        article_form(author, make_photo("Court"), comment_mode=CommentMode.LEGAL),
    )
    assert response.status_code == 200  # the form comes back with the error
    assert not ArticlePage.objects.filter(slug="harbour-ferry-returns").exists()
    assert b"Tell readers why comments are closed" in response.content


def test_moderator_cannot_create_articles(client, moderator, section):
    client.force_login(moderator)
    response = client.get(f"/cms/pages/add/newsroom/articlepage/{section.pk}/")
    assert response.status_code in {302, 403}
