"""A reader's own account pages: profile, "download my data", "delete my account"."""

from __future__ import annotations

import json

from allauth.account.views import LogoutView as AllauthLogoutView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from masthead.accounts import signin_cookie
from masthead.accounts.forms import DeleteAccountForm, DisplayNameForm
from masthead.accounts.services import (
    AccountError,
    delete_account,
    export_user_data,
    update_display_name,
)
from masthead.community.models import Comment

COMMENTS_PER_PAGE = 20


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DisplayNameForm(request.POST or None, initial={"display_name": user.display_name})
    if request.method == "POST" and form.is_valid():
        update_display_name(user=user, display_name=form.cleaned_data["display_name"])
        messages.success(request, "Saved. Your comments now show your new name.")
        return redirect("profile")
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article")
        .only(
            "pk",
            "status",
            "body",
            "created_at",
            "edited_at",
            "like_count",
            "article__title",
            "article__url_path",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, "accounts/profile.html", {"form": form, "page_obj": page})
    return signin_cookie.sync(request, response)


@never_cache
@login_required
@require_GET
def export_data(request: HttpRequest) -> HttpResponse:
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"masthead-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(user=request.user, password=form.cleaned_data["password"])
        except AccountError as error:
            form.add_error("password" if error.code == "wrong_password" else None, error.message)
        else:
            logout(request)
            messages.success(
                request, "Your account has been deleted. Thank you for reading with us."
            )
            response = redirect("/")
            # The front page is cached: the hint tells its script a message is waiting.
            signin_cookie.clear_signed_in(response, flash=True)
            return response
    keep = settings.MASTHEAD["DELETED_ACCOUNT_COMMENTS"] == "anonymise"
    return render(request, "accounts/delete.html", {"form": form, "keeps_comments": keep})


class LogoutView(AllauthLogoutView):
    """allauth's sign-out, which also drops the `masthead_signed_in` hint. Sign-out lands on a
    cached page, so a short-lived hint tells its script that "You have signed out." waits."""

    def post(self, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().post(*args, **kwargs)
        signin_cookie.clear_signed_in(response, flash=True)
        return response


logout_view = LogoutView.as_view()
