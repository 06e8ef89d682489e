"""Refusals and errors are pages of the site: they say what happened and what to do."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_viewer_who_tries_to_mark_is_told_who_can(viewer_client, make_article, make_claim):
    claim = make_claim(make_article())
    response = viewer_client.post(
        reverse("claims:mark", args=[claim.pk]), {"label": "sourced", "version": 0}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert '<nav aria-label="Main">' in page  # the site's layout
    assert "Your role does not allow this" in page
    assert "signed in as <strong>vera</strong>, with the role <strong>viewer</strong>" in page
    assert "ask an admin of your newsroom to make you an editor" in page
    assert f'href="{reverse("articles:list")}"' in page
    claim.refresh_from_db()
    assert claim.verdict == ""


def test_a_user_with_no_role_is_told_so(client, django_user_model, make_article):
    client.force_login(django_user_model.objects.create_user("nobody"))
    response = client.get(reverse("claims:review", args=[make_article().pk]))
    assert response.status_code == 403
    assert "with no role yet" in response.content.decode()


def test_a_missing_article_is_a_styled_404(editor_client):
    response = editor_client.get(reverse("claims:review", args=[999]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing at this address" in page and '<nav aria-label="Main">' in page


def test_a_bad_request_and_a_server_error_have_pages_of_the_site(rf: RequestFactory):
    request = rf.get("/")
    bad = defaults.bad_request(request, exception=ValueError())
    assert bad.status_code == 400
    assert "The request could not be understood" in bad.content.decode()
    # Django renders the 500 page without a request or context processors.
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "Something went wrong on our side" in error.content.decode()
    assert 'class="topbar"' in error.content.decode()
