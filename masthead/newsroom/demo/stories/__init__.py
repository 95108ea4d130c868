"""The demo stories, oldest first, gathered from one module per section.

All invented for this project; any likeness is accidental. PUBLICATION_ORDER interleaves the
sections the way a day's news does, so the front page mixes them.
"""

from __future__ import annotations

from masthead.newsroom.demo.content import Story
from masthead.newsroom.demo.stories import business, climate, culture, news, world

PUBLICATION_ORDER = [
    "otters-return",
    "tram-extension",
    "mackerel-quota",
    "slipway",
    "port-record",
    "school-breakfasts",
    "night-trains",
    "heat-map",
    "swing-bridge",
    "meanwhile-leases",
    "glacier-survey",
    "flood-wall",
    "library-sundays",
    "museum-of-making",
    "seaweed-packaging",
    "hospital-waits",
    "street-trees",
    "cool-rooms",
    "harbour-in-winter",
    "housing-co-op",
    "tannery-bakery",
    "heat-pumps",
    "contractor-charged",
    "dock-vote",
    "depot-choir",
    "offshore-wind-base",
    "cycle-lanes",
    "energy-contracts",
    "arden-lights",
    "weather-satellite",
    "last-diesel-buses",
    "marjorie-fenn",
    "northgate-murals",
    "shipping-rates",
]

_BY_KEY: dict[str, Story] = {
    story.key: story
    for module in (news, climate, business, culture, world)
    for story in module.STORIES
}
STORIES: list[Story] = [_BY_KEY[key] for key in PUBLICATION_ORDER]
