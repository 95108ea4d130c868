"""The CMS menu links to the moderation desk for moderators and admins only."""

import pytest


@pytest.mark.parametrize(
    ("persona", "shown"), [("moderator", True), ("admin", True), ("editor", False)]
)
def test_the_desk_is_in_the_cms_menu_for_those_who_may_use_it(db, client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/cms/")
    assert response.status_code == 200
    assert ('"/moderation/"' in response.content.decode()) is shown
