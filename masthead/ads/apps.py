from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "masthead.ads"
    label = "ads"
    verbose_name = "Ads"

    def ready(self) -> None:
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from masthead.ads.models import AdSlot, Placement
        from masthead.ads.templatetags.ads_tags import slot_cache_key

        def forget_slots(**kwargs: object) -> None:
            cache.delete_many([slot_cache_key(p) for p in Placement.values])

        post_save.connect(forget_slots, sender=AdSlot, dispatch_uid="ads-forget-save")
        post_delete.connect(forget_slots, sender=AdSlot, dispatch_uid="ads-forget-delete")
