"""The moderation desk in the CMS menu, for those who may use it."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.moderation.services import can_moderate


class DeskMenuItem(MenuItem):
    def is_shown(self, request) -> bool:  # type: ignore[no-untyped-def]
        return can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item() -> MenuItem:
    return DeskMenuItem(
        "Moderation desk", reverse("moderation:desk"), icon_name="comment", order=250
    )
