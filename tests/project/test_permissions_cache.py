from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_a_role_is_looked_up_in_one_query_and_then_cached(
    editor, django_user_model, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert editor.has_perm("claims.change_claim")
        assert not editor.has_perm("auth.change_user")
    fresh = django_user_model.objects.get(pk=editor.pk)
    with django_assert_num_queries(0):
        assert fresh.has_perm("claims.change_claim")


def test_a_viewer_reads_but_does_not_mark(viewer):
    assert viewer.has_perm("claims.view_claim")
    assert not viewer.has_perm("claims.change_claim")


def test_superusers_and_inactive_users(django_user_model, roles):
    admin = django_user_model.objects.create_superuser("boss", password="x" * 20)
    assert admin.has_perm("claims.change_claim")
    gone = django_user_model.objects.create_user("gone", password="x" * 20, is_active=False)
    gone.groups.add(Group.objects.get(name="editor"))
    assert not gone.has_perm("claims.change_claim")
