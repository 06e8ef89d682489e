"""`manage.py load_demo`: the demo pair and its logins, for development only."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_load_demo_leaves_the_commentary_ready_the_report_a_source_and_prints_logins(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    statuses = dict(Article.objects.values_list("kind", "status"))
    assert statuses == {"article": Article.Status.READY, "report": Article.Status.SOURCE}
    assert "Log in at http://127.0.0.1:8000/ as editor / factcheck-demo" in out.getvalue()


def test_load_demo_refuses_without_debug_and_loads_nothing(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Article.objects.exists()
    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()


def test_load_demo_loads_without_debug_when_told_to_and_prints_the_given_url(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("load_demo", allow_without_debug=True, url="http://127.0.0.1:8123/", stdout=out)
    assert Article.objects.count() == 2
    assert "Log in at http://127.0.0.1:8123/ as editor" in out.getvalue()


def test_the_demo_editor_is_an_editor_and_not_an_admin(client):
    load_demo()
    editor = get_user_model().objects.get(username=DEMO_USERNAME)
    assert list(editor.groups.values_list("name", flat=True)) == ["editor"]
    assert not editor.is_staff and not editor.is_superuser
    client.force_login(editor)
    assert client.get("/admin/").status_code == 302  # to the admin's login: not staff


def test_loading_the_demo_again_takes_admin_rights_from_an_old_demo_editor():
    get_user_model().objects.create_superuser(DEMO_USERNAME, password="old")
    load_demo()
    editor = get_user_model().objects.get(username=DEMO_USERNAME)
    assert not editor.is_staff and not editor.is_superuser
    assert editor.check_password(DEMO_PASSWORD)
