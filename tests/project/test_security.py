"""Production hardening: deploy checks, HTTPS headers and the content security policy (login
throttling: tests/accounts/test_login_throttle.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"SECRET_KEY": "production-only-" + "9f3e7a1c" * 6, "ALLOWED_HOSTS": "news.example"}


def test_deploy_check_passes_under_production_settings():
    # Only the production variables: the test run's own (DEBUG, or the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE) are not what a deployment has.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_https_answers_carry_hsts_csp_and_secure_cookies(client, production):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies["csrftoken"]["secure"]
    assert response.cookies["csrftoken"]["httponly"]


@pytest.mark.django_db
def test_the_policy_allows_only_the_apps_own_scripts(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_pages_have_no_inline_script_style_or_handler(editor_client, make_article, make_claim):
    article = make_article()
    make_claim(article, text="The council approved the budget on Monday.")
    pages = [
        reverse("articles:list"),
        reverse("articles:upload"),
        article.get_absolute_url(),
        reverse("claims:export"),
    ]
    for url in pages:
        html = editor_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), url


def test_health_answers_without_a_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"
