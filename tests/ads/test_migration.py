"""The old one-creative-per-placement ads become house ads in the matching named slot."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("ads", "0002_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_placements_become_house_ads_in_named_slots():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("ads")
    executor.migrate(OLD)
    old_apps = executor.loader.project_state(OLD).apps
    AdSlot = old_apps.get_model("ads", "AdSlot")
    AdSlot.objects.create(
        placement="article-top",
        advertiser="Courier",
        text="Read the briefing",
        link_url="https://example.org/b",
    )
    AdSlot.objects.create(placement="article-end", text="Support us", active=False)
    AdSlot.objects.create(placement="front-top")  # nothing in it: nothing to keep

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    new_apps = executor.loader.project_state(latest).apps
    HouseAd = new_apps.get_model("ads", "HouseAd")
    ads = {ad.text: ad for ad in HouseAd.objects.all()}
    assert set(ads) == {"Read the briefing", "Support us"}
    briefing = ads["Read the briefing"]
    assert (briefing.slot, briefing.name, briefing.link_url, briefing.active) == (
        "leaderboard",
        "Courier",
        "https://example.org/b",
        True,
    )
    assert (ads["Support us"].slot, ads["Support us"].active) == ("sidebar", False)
    slots = new_apps.get_model("ads", "AdSlot").objects.values_list("name", "size", "enabled")
    assert sorted(slots) == [
        ("in-article", "300x250", True),
        ("leaderboard", "728x90", True),
        ("sidebar", "300x250", True),
    ]
