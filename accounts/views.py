from __future__ import annotations

from math import ceil

from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

# Django's own login view, throttled by django-axes (its backend and middleware). A form view
# also takes PUT as a POST; a login is a GET or a POST.
login = require_http_methods(["GET", "POST"])(auth_views.LoginView.as_view())


def locked_out(
    request: HttpRequest, response: HttpResponse, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a login attempt it refused (AXES_LOCKOUT_CALLABLE)."""
    minutes = ceil(get_cool_off(request).total_seconds() / 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Up and serving: for health checks, and the load test's baseline (no database)."""
    return HttpResponse("ok", content_type="text/plain")
