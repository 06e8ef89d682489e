"""Every view and API endpoint, walked as anonymous, viewer and editor."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from claims.models import ApiToken

pytestmark = pytest.mark.django_db

# (URL name, method, the least role allowed). Viewers read and export; editors also write;
# only admins delete.
ENDPOINTS = [
    ("articles:list", "get", "viewer"),
    ("articles:source_search", "get", "viewer"),
    ("articles:upload", "get", "editor"),
    ("articles:upload", "post", "editor"),
    ("articles:sources", "post", "editor"),
    ("articles:reannotate", "post", "editor"),
    ("articles:archive", "post", "editor"),
    ("articles:restore", "post", "editor"),
    ("articles:delete", "get", "admin"),
    ("articles:delete", "post", "admin"),
    ("articles:versions", "get", "viewer"),
    ("articles:add_version", "post", "editor"),
    ("claims:review", "get", "viewer"),
    ("claims:source", "get", "viewer"),
    ("claims:mark", "post", "editor"),
    ("claims:note", "post", "editor"),
    ("claims:undo", "post", "editor"),
    ("claims:accept", "post", "editor"),
    ("claims:merge", "post", "editor"),
    ("claims:split", "post", "editor"),
    ("claims:export", "get", "viewer"),
    ("claims:export_claimreview", "get", "viewer"),
    ("claims:export_annotations", "get", "viewer"),
    ("api:articles", "get", "viewer"),
    ("api:article", "get", "viewer"),
    ("api:claims", "get", "viewer"),
    ("api:verdict", "post", "editor"),
]
# Reachable without logging in, on purpose.
PUBLIC = {"login", "logout", "health"}
# Claim URLs take a claim's id; every other one with an id takes an article's.
BY_CLAIM = {"claims:mark", "claims:note", "claims:merge", "claims:split", "api:verdict"}


def url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # the admin checks staff status and permissions
                names |= url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_endpoint_has_its_role_checked_here():
    assert url_names(get_resolver()) - PUBLIC == {name for name, _, _ in ENDPOINTS}


@pytest.fixture
def url_of(make_article, make_claim):
    article = make_article(body="The council approved the budget on Monday. It was late.")
    claim = make_claim(article, text="The council approved the budget on Monday.")

    def url_of(name: str) -> str:
        if name in BY_CLAIM:
            return reverse(name, args=[claim.pk])
        try:
            return reverse(name, args=[article.pk])
        except NoReverseMatch:  # a list
            return reverse(name)

    return url_of


def request(client, method: str, url: str):
    if method == "post" and url.startswith("/api/"):
        return client.post(url, {"label": "sourced"}, content_type="application/json")
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "method", "role"), ENDPOINTS)
def test_anonymous_visitors_are_sent_to_log_in(client, url_of, name, method, role):
    response = request(client, method, url_of(name))
    if name.startswith("api:"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method", "role"), ENDPOINTS)
def test_viewers_read_and_export_but_change_nothing(viewer_client, url_of, name, method, role):
    response = request(viewer_client, method, url_of(name))
    if role == "viewer":
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("name", "method", "role"), ENDPOINTS)
def test_editors_may_use_every_endpoint_but_delete(editor_client, url_of, name, method, role):
    response = request(editor_client, method, url_of(name))
    if role == "admin":
        assert response.status_code == 403
        return
    # Some of these posts are incomplete on purpose (400) or redirect back (302).
    assert response.status_code in {200, 302, 400}
    assert not response.get("Location", "").startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method", "role"), ENDPOINTS)
def test_admins_may_use_every_endpoint(
    client, django_user_model, roles, url_of, name, method, role
):
    admin = django_user_model.objects.create_user("ada")
    admin.groups.add(Group.objects.get(name="admin"))
    client.force_login(admin)
    response = request(client, method, url_of(name))
    assert response.status_code in {200, 302, 400}
    assert not response.get("Location", "").startswith(reverse("login"))


def test_a_user_without_a_role_sees_nothing(client, django_user_model, url_of):
    client.force_login(django_user_model.objects.create_user("no-role"))
    assert client.get(url_of("articles:list")).status_code == 403
    assert client.get(url_of("api:articles")).status_code == 403


def test_a_viewers_api_token_reads_but_cannot_decide(client, viewer, url_of):
    token = ApiToken(user=viewer, name="dashboard")
    key = token.new_key()
    token.save()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    assert client.get(url_of("api:claims")).status_code == 200
    response = request(client, "post", url_of("api:verdict"))
    assert response.status_code == 403
    assert response.json() == {"error": "Your role does not allow this."}


POSTS = [name for name, method, _ in ENDPOINTS if method == "post"]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
@pytest.mark.parametrize("name", POSTS)
def test_every_post_needs_the_csrf_token(editor, url_of, name, htmx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    if name.startswith("api:"):
        response = client.post(
            url_of(name), {"label": "sourced"}, content_type="application/json", **headers
        )
    else:
        response = client.post(url_of(name), {"label": "sourced"}, **headers)
    assert response.status_code == 403


def test_htmx_requests_carry_the_token_from_the_page(editor, url_of):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(url_of("claims:review")).content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = client.post(
        url_of("claims:mark"),
        {"label": "sourced", "version": 0},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_viewers_are_not_offered_what_they_may_not_do(viewer_client, url_of):
    review = viewer_client.get(url_of("claims:review")).content.decode()
    listing = viewer_client.get(url_of("articles:list")).content.decode()
    for action in ("claims:mark", "claims:undo", "claims:accept", "articles:sources"):
        assert f'action="{url_of(action)}"' not in review
    assert url_of("articles:upload") not in listing


def test_editors_are_offered_the_verdict_form(editor_client, url_of):
    review = editor_client.get(url_of("claims:review")).content.decode()
    assert f'action="{url_of("claims:mark")}"' in review
