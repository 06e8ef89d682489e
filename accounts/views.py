from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods


def _failures_key(request: HttpRequest) -> str:
    # Per account and address: one attacker cannot lock an editor out from everywhere.
    who = f"{request.POST.get('username', '').casefold()}|{request.META.get('REMOTE_ADDR', '')}"
    return "login-failures:" + hashlib.sha256(who.encode()).hexdigest()


@login_not_required
@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Django's login view, refusing an account and address after repeated failures."""
    if request.method == "GET":
        return auth_views.LoginView.as_view()(request)
    key = _failures_key(request)
    if cache.get(key, 0) >= settings.LOGIN_FAILURES_ALLOWED:
        minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
        messages.error(
            request, f"Too many failed attempts. Wait {minutes} minutes, then try again."
        )
        return render(
            request, "registration/login.html", {"form": AuthenticationForm(request)}, status=429
        )
    response = auth_views.LoginView.as_view()(request)
    if response.status_code == 302:
        cache.delete(key)
    else:
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        cache.incr(key)
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Up and serving: for health checks, and the load test's baseline (no database)."""
    return HttpResponse("ok", content_type="text/plain")
