"""The ads in the CMS: the three slots, and house ads with their impressions and clicks."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from masthead.ads.models import AdSlot, HouseAd


class AdSlotViewSet(SnippetViewSet):
    model = AdSlot
    icon = "placeholder"
    menu_label = "Slots"
    list_display = ["name", "enabled", "size", "fill", "after_paragraph"]


class HouseAdViewSet(SnippetViewSet):
    model = HouseAd
    icon = "pick"
    menu_label = "House ads"
    list_display = [
        "name",
        "slot",
        "active",
        "starts_at",
        "ends_at",
        Column("impressions", label="Impressions"),
        Column("clicks", label="Clicks"),
    ]
    list_filter = ["slot", "active"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        # Counts summed from the counters table in the same query, not one query per row.
        return HouseAd.objects.with_counts()


class AdsViewSetGroup(SnippetViewSetGroup):
    items = (HouseAdViewSet, AdSlotViewSet)
    menu_icon = "pick"
    menu_label = "Ads"
    menu_name = "ads"


register_snippet(AdsViewSetGroup)
