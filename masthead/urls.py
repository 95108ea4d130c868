from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.core import views as core_views
from masthead.core.api import api
from masthead.revenue.webhooks import stripe_webhook

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("masthead.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", core_views.api_not_found),
    path("", include("masthead.moderation.reader_urls")),
    path("comments/", include("masthead.community.urls")),
    path("moderation/", include("masthead.moderation.urls")),
    path("revenue/", include("masthead.revenue.dashboard_urls")),
    path("", include("masthead.revenue.urls")),
    path("webhooks/stripe", stripe_webhook, name="stripe_webhook"),
    path("ads/", include("masthead.ads.urls")),
    path("", include("masthead.editorial.urls")),
    path("", include("masthead.newsroom.distribution_urls")),
    path("", include("masthead.newsroom.fronts_urls")),
    path("", include("masthead.newsroom.urls")),
    # Media for a single machine; `masthead serve` and nginx/a CDN answer these before Django.
    # Photos only: documents go through Wagtail's /documents/ view, which checks privacy.
    re_path(
        r"^media/(?P<path>(?:images|original_images)/.*)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
    path("", include(wagtail_urls)),
]

handler400 = core_views.bad_request
handler404 = core_views.not_found
handler500 = core_views.server_error
