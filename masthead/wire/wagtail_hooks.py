"""Wire feeds in the CMS, under Snippets: add an agency's RSS/Atom feed and see when it was
last pulled and what went wrong, if anything."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from masthead.wire.models import WireFeed


class WireFeedViewSet(SnippetViewSet):
    model = WireFeed
    icon = "globe"
    menu_label = "Wire feeds"
    list_display = ["name", "url", "active", "last_polled_at", "last_error"]
    list_filter = ["active"]
    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("agency"), FieldPanel("section")]),
        FieldRowPanel([FieldPanel("poll_minutes"), FieldPanel("active")]),
    ]


register_snippet(WireFeedViewSet)
