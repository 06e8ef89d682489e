"""Answers carrying unpublished text are neither shared by proxies nor kept by browsers."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import private_answers
from claims.models import ApiToken

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def varies_on(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


def assert_private(response) -> None:
    assert response.status_code == 200
    assert directives(response) >= {"private", "no-store"}


@pytest.fixture
def claim(make_article, make_claim, editor):
    claim = make_claim(make_article(title="Unpublished draft"))
    claim.set_verdict(label="disputed", note="Not yet public.", editor=editor)
    return claim


@pytest.fixture
def token_key(editor) -> str:
    token = ApiToken(user=editor, name="script")
    key = token.new_key()
    token.save()
    return key


def test_the_review_page_and_its_partials_are_private(editor_client, claim, htmx_headers):
    url = reverse("claims:review", args=[claim.article_id])
    assert_private(editor_client.get(url))
    assert_private(editor_client.get(url, **htmx_headers))
    assert_private(
        editor_client.get(url, {"claim": claim.pk}, HTTP_HX_TARGET="detail", **htmx_headers)
    )


def test_the_article_list_is_private(editor_client, claim):
    assert_private(editor_client.get(reverse("articles:list")))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("claims:export", {"format": "csv"}),
        ("claims:export_claimreview", {}),
        ("claims:export_annotations", {}),
    ],
)
def test_downloads_are_private(viewer_client, claim, name, query):
    response = viewer_client.get(reverse(name), query)
    assert_private(response)
    assert response.has_header("Content-Disposition")


def test_api_answers_are_private_and_vary_on_the_token(client, claim, token_key):
    response = client.get(
        reverse("api:claims", args=[claim.article_id]), HTTP_AUTHORIZATION=f"Bearer {token_key}"
    )
    assert_private(response)
    assert varies_on(response) >= {"authorization", "cookie"}
    refused = client.get(reverse("api:articles"))
    assert refused.status_code == 401
    assert varies_on(refused) >= {"authorization", "cookie"}


def test_api_answers_to_a_session_are_private(editor_client, claim):
    response = editor_client.get(reverse("api:article", args=[claim.article_id]))
    assert_private(response)
    assert varies_on(response) >= {"authorization", "cookie"}


def test_health_and_static_files_stay_cacheable(editor, settings):
    health = Client().get(reverse("health"))  # as a load balancer asks
    assert health.status_code == 200
    assert "no-store" not in directives(health)
    settings.WHITENOISE_USE_FINDERS = True  # as under DEBUG: no collectstatic needed
    browser = Client()
    browser.force_login(editor)
    static = browser.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in directives(static)
    assert "private" not in directives(static)


def test_a_view_that_sets_its_own_cache_control_keeps_it(editor):
    def view(request):
        return HttpResponse(headers={"Cache-Control": "max-age=60"})

    request = RequestFactory().get("/")
    request.user = editor
    assert private_answers(view)(request)["Cache-Control"] == "max-age=60"
