from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import ApiToken

pytestmark = pytest.mark.django_db


def test_command_prints_a_token_once_and_keeps_only_its_hash(editor, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "amira", "--name", "sync", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (editor, "sync")
    assert key.startswith(token.prefix) and key not in token.digest
    assert token.digest == ApiToken.hash(key)
    assert "cannot be shown again" in err.getvalue()
    response = client.get(reverse("api:articles"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No active user 'ghost'"):
        call_command("create_api_token", "ghost")


def test_admin_creates_a_token_and_shows_it_once(admin_client, editor):
    response = admin_client.post(
        reverse("admin:claims_apitoken_add"), {"user": editor.pk, "name": "from admin"}, follow=True
    )
    token = ApiToken.objects.get()
    (message,) = [str(m) for m in response.context["messages"] if "copy it now" in str(m)]
    key = message.split(": ")[1].split(" ")[0]
    assert ApiToken.user_for(key) == editor and token.name == "from admin"
    listing = admin_client.get(reverse("admin:claims_apitoken_changelist")).content.decode()
    assert token.prefix in listing and key not in listing


def test_deleting_a_token_revokes_it(editor):
    token = ApiToken(user=editor, name="old")
    key = token.new_key()
    token.save()
    token.delete()
    assert ApiToken.user_for(key) is None
