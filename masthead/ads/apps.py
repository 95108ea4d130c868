from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "masthead.ads"
    label = "ads"
    verbose_name = "Ads"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from masthead.ads.models import AdSlot, HouseAd
        from masthead.ads.services import forget_slots

        for model in (AdSlot, HouseAd):
            name = model._meta.model_name
            post_save.connect(forget_slots, sender=model, dispatch_uid=f"ads-forget-save-{name}")
            post_delete.connect(
                forget_slots, sender=model, dispatch_uid=f"ads-forget-delete-{name}"
            )
