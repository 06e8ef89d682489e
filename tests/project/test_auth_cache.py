from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db


def request_of(client: Client):
    """A request carrying the client's session, as the auth middleware would see it."""
    return client.get("/health/").wsgi_request


def test_a_role_is_looked_up_in_one_query_and_then_cached(
    editor, django_user_model, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert editor.has_perm("claims.change_claim")
        assert not editor.has_perm("auth.change_user")
    fresh = django_user_model.objects.get(pk=editor.pk)
    with django_assert_num_queries(0):
        assert fresh.has_perm("claims.change_claim")


def test_the_logged_in_user_is_loaded_once_and_then_cached(editor, django_assert_num_queries):
    client = Client()
    client.force_login(editor)
    request = request_of(client)
    assert get_user(request) == editor
    again = request_of(client)
    again.session.keys()  # the session is looked up first, on its own
    with django_assert_num_queries(0):
        assert get_user(again) == editor


def test_a_changed_password_logs_other_sessions_out_at_once(editor):
    client = Client()
    client.force_login(editor)
    assert get_user(request_of(client)) == editor
    editor.set_password("a-new-long-passphrase")
    editor.save()
    assert get_user(request_of(client)).is_anonymous


def test_a_deactivated_user_is_logged_out_at_once(editor):
    client = Client()
    client.force_login(editor)
    assert get_user(request_of(client)) == editor
    editor.is_active = False
    editor.save()
    assert get_user(request_of(client)).is_anonymous


def test_a_role_taken_away_applies_at_once(editor, django_user_model):
    assert editor.has_perm("claims.change_claim")
    editor.groups.remove(Group.objects.get(name="editor"))
    assert not django_user_model.objects.get(pk=editor.pk).has_perm("claims.change_claim")


def test_a_role_taken_away_from_the_groups_side_applies_at_once(editor, django_user_model):
    assert editor.has_perm("claims.change_claim")
    Group.objects.get(name="editor").user_set.clear()
    assert not django_user_model.objects.get(pk=editor.pk).has_perm("claims.change_claim")


def test_a_viewer_reads_but_does_not_mark(viewer):
    assert viewer.has_perm("claims.view_claim")
    assert not viewer.has_perm("claims.change_claim")


def test_superusers_and_inactive_users(django_user_model, roles):
    admin = django_user_model.objects.create_superuser("boss", password="x" * 20)
    assert admin.has_perm("claims.change_claim")
    gone = django_user_model.objects.create_user("gone", password="x" * 20, is_active=False)
    gone.groups.add(Group.objects.get(name="editor"))
    assert not gone.has_perm("claims.change_claim")
