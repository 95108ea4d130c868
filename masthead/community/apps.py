from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "masthead.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from masthead.newsroom.models import ArticlePage

        def recount_after_publish(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
            from masthead.community.services import recount_comments

            recount_comments(instance.pk)

        # Publishing saves the whole page row; recount so a comment posted meanwhile counts.
        page_published.connect(
            recount_after_publish, sender=ArticlePage, dispatch_uid="community-recount"
        )
