from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "masthead.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from masthead.newsroom.services import forget_navigation

        # The cached navigation bar lists live sections: drop it when that may have changed.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(forget_navigation, dispatch_uid=f"nav-{id(signal)}")
        post_delete.connect(
            forget_navigation, sender="newsroom.SectionPage", dispatch_uid="nav-del"
        )
