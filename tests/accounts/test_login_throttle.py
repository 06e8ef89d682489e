"""Login throttling by django-axes: per account and client address, whatever the username's
spelling, behind a proxy, and with parallel attempts."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
RIGHT = "correct horse battery"


def log_in(client, username: str, password: str, *, path: str | None = None, **headers):
    return client.post(
        path or reverse("login"), {"username": username, "password": password}, **headers
    )


def fail_five_times(client, username: str = "amira", **headers) -> None:
    for _ in range(5):
        log_in(client, username, "wrong", **headers)


@pytest.mark.django_db
def test_four_failures_are_answered_as_wrong_passwords(client, editor):
    for _ in range(4):
        response = log_in(client, "amira", "wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_the_login_page_answers_get_and_refuses_other_methods(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.put(reverse("login")).status_code == 405


@pytest.mark.django_db
def test_the_right_password_is_refused_with_429_after_five_failures(client, editor):
    fail_five_times(client)
    response = log_in(client, "amira", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_page_is_in_the_sites_layout_and_says_how_long_to_wait(
    client, editor, settings
):
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME.__class__(minutes=15)
    fail_five_times(client)
    response = log_in(client, "amira", RIGHT)
    html = response.content.decode()
    assert response.status_code == 429
    assert "<title>Too many failed attempts · Factcheck</title>" in html
    assert "Wait 15 minutes" in html
    assert 'href="/accounts/login/"' in html


@pytest.mark.django_db
def test_a_locked_account_does_not_lock_out_other_accounts(client, editor, viewer):
    fail_five_times(client)
    assert log_in(client, "vera", RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_forgets_earlier_failures(client, editor):
    for _ in range(4):
        log_in(client, "amira", "wrong")
    assert log_in(client, "amira", RIGHT).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    for _ in range(4):
        assert log_in(client, "amira", "wrong").status_code == 200
    assert log_in(client, "amira", RIGHT).status_code == 302


@pytest.mark.django_db
def test_every_spelling_of_a_username_counts_against_one_account(client, editor):
    editor.username = "editor"
    editor.save()
    spellings = ["editor", " editor", "editor ", "\teditor", "ｅｄｉｔｏｒ"]
    answers = [log_in(client, spelling, "wrong").status_code for spelling in spellings]
    # The fifth failure is the one that locks, and says so.
    assert answers == [200, 200, 200, 200, 429]
    for spelling in ["   editor", "ＥＤＩＴＯＲ", "Editor", "editor", "\u3000editor"]:
        assert log_in(client, spelling, RIGHT).status_code == 429, spelling
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_case_variants_count_against_the_account_too(client, editor):
    spellings = ["AMIRA", "Amira", "aMiRa", "ＡＭＩＲＡ", "amIRA"]
    answers = [log_in(client, spelling, "wrong").status_code for spelling in spellings]
    assert answers == [200, 200, 200, 200, 429]
    assert log_in(client, "amira", RIGHT).status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(client, editor):
    fail_five_times(client, path="/admin/login/")
    assert log_in(client, "amira", RIGHT, path="/admin/login/").status_code == 429
    assert log_in(client, "amira", RIGHT).status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, editor):
    # Otherwise a client could name a new address with each attempt.
    for n in range(5):
        log_in(client, "amira", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert log_in(client, "amira", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


# What TRUSTED_PROXY_COUNT=1 sets (checked below against factcheck/settings.py).
ONE_PROXY = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    "AXES_IPWARE_PROXY_COUNT": 0,
    "IPWARE_STRICT": False,
}


def test_trusted_proxy_count_sets_what_the_proxy_tests_use():
    names = list(ONE_PROXY)
    code = f"from factcheck import settings as s; print({{n: getattr(s, n) for n in {names}}})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DEBUG": "true", "TRUSTED_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert ast.literal_eval(result.stdout) == ONE_PROXY


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in ONE_PROXY.items():
        setattr(settings, name, value)
    return {"REMOTE_ADDR": "10.0.0.2"}  # the proxy's address


@pytest.mark.django_db
def test_failures_through_a_proxy_from_one_client_do_not_lock_out_another(
    client, editor, behind_one_proxy
):
    fail_five_times(client, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind_one_proxy)
    refused = log_in(
        client, "amira", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.7", **behind_one_proxy
    )
    assert refused.status_code == 429
    other = Client()
    allowed = log_in(other, "amira", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.9", **behind_one_proxy)
    assert allowed.status_code == 302


@pytest.mark.django_db
def test_a_client_cannot_escape_its_lockout_by_writing_the_forwarded_header(
    client, editor, behind_one_proxy
):
    # The proxy appends the address it saw; what the client wrote stands to its left.
    for n in range(5):
        log_in(
            client,
            "amira",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
            **behind_one_proxy,
        )
    spoofed = "203.0.113.9, 198.51.100.7"
    response = log_in(client, "amira", RIGHT, HTTP_X_FORWARDED_FOR=spoofed, **behind_one_proxy)
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_failures_check_no_more_passwords_than_the_limit(editor, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database takes one writer at a time")
    checked = []
    verify = MD5PasswordHasher.verify

    def slow_verify(self, password, encoded):
        # As long as a real hasher takes, so that all twenty are under way at once.
        checked.append(password)
        threading.Event().wait(0.2)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", slow_verify)
    start = threading.Barrier(20)
    answers = []

    def attempt() -> None:
        try:
            start.wait()
            answers.append(log_in(Client(), "amira", "wrong").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Never more than the limit. An attempt whose failure is recorded but that has not yet left
    # the checks under way counts twice for a moment, so a parallel one may be refused early.
    assert 1 <= len(checked) <= 5
    # The checked ones too may be answered 429 once the failures recorded reach the limit.
    assert set(answers) <= {200, 429}
    assert answers.count(200) <= 4
    assert log_in(Client(), "amira", RIGHT).status_code == 429
