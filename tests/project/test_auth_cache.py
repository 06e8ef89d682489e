from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from claims.models import ApiToken

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


def permission(code: str) -> Permission:
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_permission_taken_from_a_role_stops_an_api_token_at_once(
    client, editor, make_article, make_claim
):
    claim = make_claim(make_article())
    token = ApiToken(user=editor, name="script")
    key = token.new_key()
    token.save()

    def write():
        return client.post(
            reverse("api:verdict", args=[claim.pk]),
            json.dumps({"label": "sourced"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    assert write().status_code == 200  # and the editor's roles are now cached
    Group.objects.get(name="editor").permissions.remove(permission("claims.change_claim"))
    response = write()
    assert response.status_code == 403
    assert response.json()["error"] == "Your role does not allow this."


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_a_permission_given_to_a_role_applies_at_once(viewer):
    assert not viewer.has_perm("claims.change_claim")
    Group.objects.get(name="viewer").permissions.add(permission("claims.change_claim"))
    assert fresh(viewer).has_perm("claims.change_claim")


def test_a_role_emptied_of_permissions_applies_at_once(editor):
    assert editor.has_perm("claims.change_claim")
    Group.objects.get(name="editor").permissions.clear()
    assert not fresh(editor).has_perm("claims.view_claim")


def test_a_permission_taken_from_roles_on_its_own_side_applies_at_once(editor, viewer):
    assert editor.has_perm("claims.view_claim") and viewer.has_perm("claims.view_claim")
    view_claim = permission("claims.view_claim")
    view_claim.group_set.remove(Group.objects.get(name="editor"))
    assert not fresh(editor).has_perm("claims.view_claim")
    assert viewer.has_perm("claims.view_claim")
    view_claim.group_set.clear()
    assert not fresh(viewer).has_perm("claims.view_claim")


def test_a_deleted_role_applies_at_once(editor):
    assert editor.has_perm("claims.change_claim")
    Group.objects.get(name="editor").delete()
    assert not fresh(editor).has_perm("claims.change_claim")


def test_a_role_change_is_forgotten_again_once_committed(
    editor, django_capture_on_commit_callbacks
):
    assert editor.has_perm("claims.change_claim")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Group.objects.get(name="editor").permissions.remove(permission("claims.change_claim"))
        # Another process reads the roles before the change is committed, and caches them.
        cache.set(f"permissions:{editor.pk}", {"claims.change_claim"})
    for callback in callbacks:
        callback()
    assert not fresh(editor).has_perm("claims.change_claim")
