"""The revenue dashboard in the CMS menu, for newsroom admins only."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.revenue.reports import can_see_revenue


class RevenueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:  # type: ignore[no-untyped-def]
        return can_see_revenue(request.user)


@hooks.register("register_admin_menu_item")
def register_revenue_menu_item() -> MenuItem:
    return RevenueMenuItem(
        "Reader revenue", reverse("revenue_dashboard:dashboard"), icon_name="pick", order=260
    )
