from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import ApiToken, VerdictChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_key(editor) -> str:
    token = ApiToken(user=editor, name="test script")
    key = token.new_key()
    token.save()
    return key


@pytest.fixture
def api(client, token_key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_key}"
    return client


@pytest.fixture
def claim(make_article, make_claim):
    article = make_article(body="The council approved the budget on Monday.")
    return make_claim(
        article,
        text=article.body,
        evidence=[{"article_id": 9, "start": 0, "end": 5, "text": "Approved.", "score": 0.9}],
    )


def verdict_url(claim) -> str:
    return reverse("api:verdict", args=[claim.pk])


def post_json(client, url: str, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def error_of(response) -> str:
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


# Articles


def test_articles_list_status_and_progress(api, claim, editor, make_article):
    claim.set_verdict(label="sourced", note="", editor=editor)
    make_article(title="Queued one", status="queued")
    response = api.get(reverse("api:articles"))
    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    queued, ready = data["results"]
    assert (queued["title"], queued["status"]) == ("Queued one", "queued")
    assert queued["progress"] == {
        "claims": 0,
        "decided": 0,
        "sourced": 0,
        "disputed": 0,
        "opinion": 0,
    }
    assert ready["status"] == "ready"
    assert ready["progress"] == {
        "claims": 1,
        "decided": 1,
        "sourced": 1,
        "disputed": 0,
        "opinion": 0,
    }
    assert ready["claims_url"] == f"http://testserver/api/articles/{claim.article_id}/claims/"


def test_articles_are_paginated(api, make_article, django_assert_max_num_queries):
    for _ in range(51):
        make_article()
    # The token and its first use, the role's permissions (user's and groups'), count, the
    # page's ids, its rows.
    with django_assert_max_num_queries(7):
        first = api.get(reverse("api:articles")).json()
    assert len(first["results"]) == 50 and first["next"].endswith("/api/articles/?page=2")
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["previous"].endswith("?page=1")


@pytest.mark.parametrize(("page", "status"), [("two", 400), ("9", 404)])
def test_articles_bad_page_is_a_json_error(api, make_article, page, status):
    make_article()
    response = api.get(reverse("api:articles"), {"page": page})
    assert response.status_code == status and error_of(response)


def test_session_login_reads_the_api_too(editor_client, claim):
    response = editor_client.get(reverse("api:articles"))
    assert response.status_code == 200 and response.json()["count"] == 1


def test_anonymous_gets_a_json_401_not_a_login_redirect(client):
    response = client.get(reverse("api:articles"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in error_of(response)


@pytest.mark.parametrize("header", ["Bearer nope", "Token abc", "Bearer", ""])
def test_bad_token_is_refused(client, token_key, header):
    response = client.get(reverse("api:articles"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and "not valid" in error_of(response)


def test_token_of_an_inactive_user_is_refused(client, token_key, editor):
    editor.is_active = False
    editor.save()
    response = client.get(reverse("api:articles"), HTTP_AUTHORIZATION=f"Bearer {token_key}")
    assert response.status_code == 401


def test_articles_list_rejects_post(api):
    response = post_json(api, reverse("api:articles"), {})
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert error_of(response) == "Use GET here."


def test_article_detail_has_body_and_sources(api, make_article):
    source = make_article(title="Source")
    article = make_article(title="Main", sources=[source])
    data = api.get(reverse("api:article", args=[article.pk])).json()
    assert data["id"] == article.pk and data["sources"] == [source.pk]
    assert data["body"] == article.body and data["status"] == "ready"


def test_missing_article_is_a_json_404(api):
    response = api.get(reverse("api:article", args=[999999]))
    assert response.status_code == 404 and "No Article matches" in error_of(response)


def test_article_detail_needs_login(client, make_article):
    assert client.get(reverse("api:article", args=[make_article().pk])).status_code == 401


# Claims


def test_article_claims_with_suggestions_and_verdicts(
    api, claim, editor, django_assert_num_queries
):
    claim.set_verdict(label="disputed", note="Tuesday, says the clerk.", editor=editor)
    # The token (and its first use recorded), the role's permissions (one query, then
    # cached), the article, the claims with their editors.
    with django_assert_num_queries(5):
        response = api.get(reverse("api:claims", args=[claim.article_id]))
    data = response.json()
    assert data["article"] == claim.article_id
    (only,) = data["claims"]
    assert only["text"] == claim.text and (only["start"], only["end"]) == (0, len(claim.text))
    assert only["suggestion"]["label"] == "sourced"
    assert only["suggestion"]["evidence"][0]["text"] == "Approved."
    assert only["verdict"]["label"] == "disputed"
    assert only["verdict"]["note"] == "Tuesday, says the clerk."
    assert only["verdict"]["editor"] == "amira" and only["verdict"]["decided_at"]


def test_undecided_claim_has_no_verdict(api, claim):
    data = api.get(reverse("api:claims", args=[claim.article_id])).json()
    assert data["claims"][0]["verdict"] is None


def test_claims_of_missing_article_is_a_json_404(api):
    assert api.get(reverse("api:claims", args=[999999])).status_code == 404


def test_claims_need_login(client, claim):
    assert client.get(reverse("api:claims", args=[claim.article_id])).status_code == 401


# Verdicts


def test_token_sets_a_verdict_with_a_note_and_history(api, claim, editor):
    response = post_json(api, verdict_url(claim), {"label": "disputed", "note": "Tuesday."})
    claim.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["verdict"]["label"] == "disputed"
    assert (claim.verdict, claim.note, claim.decided_by) == ("disputed", "Tuesday.", editor)
    change = VerdictChange.objects.get(claim=claim)
    assert (change.new_label, change.editor) == ("disputed", editor)


def test_note_may_be_left_out(api, claim):
    response = post_json(api, verdict_url(claim), {"label": "sourced"})
    assert response.status_code == 200 and response.json()["verdict"]["note"] == ""


def test_session_write_without_csrf_token_is_refused(editor, claim):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = post_json(browser, verdict_url(claim), {"label": "sourced"})
    claim.refresh_from_db()
    assert response.status_code == 403 and "CSRF" in error_of(response)
    assert claim.verdict == ""


def test_session_write_with_csrf_token_is_accepted(editor, claim):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    browser.get(reverse("claims:export"))
    token = browser.cookies["csrftoken"].value
    response = post_json(browser, verdict_url(claim), {"label": "sourced"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_token_write_needs_no_csrf_token(token_key, claim):
    script = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token_key}")
    assert post_json(script, verdict_url(claim), {"label": "opinion"}).status_code == 200


def test_anonymous_cannot_set_a_verdict(client, claim):
    response = post_json(client, verdict_url(claim), {"label": "sourced"})
    claim.refresh_from_db()
    assert response.status_code == 401 and claim.verdict == ""


def test_bad_token_cannot_set_a_verdict(client, claim):
    response = post_json(
        client, verdict_url(claim), {"label": "sourced"}, HTTP_AUTHORIZATION="Bearer forged"
    )
    assert response.status_code == 401


def test_verdict_rejects_get(api, claim):
    response = api.get(verdict_url(claim))
    assert response.status_code == 405 and response["Allow"] == "POST"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["sourced"]', "JSON object"),
        ({"label": "maybe"}, "label: Select a valid choice"),
        ({"note": "no label"}, "label: This field is required."),
        ({"label": "sourced", "note": 5}, "must be strings"),
        ({"label": "sourced", "note": "x" * 5001}, "note: Ensure this value"),
    ],
)
def test_bad_verdict_input_is_a_clear_400(api, claim, body, message):
    response = post_json(api, verdict_url(claim), body)
    claim.refresh_from_db()
    assert response.status_code == 400 and message in error_of(response)
    assert claim.verdict == ""


def test_verdict_must_be_sent_as_json(api, claim):
    response = api.post(verdict_url(claim), {"label": "sourced"})
    assert response.status_code == 415 and "application/json" in error_of(response)


def test_verdict_on_missing_claim_is_a_json_404(api):
    response = post_json(api, reverse("api:verdict", args=[999999]), {"label": "sourced"})
    assert response.status_code == 404 and "No Claim matches" in error_of(response)


# Versions: a write based on an old version of the claim is refused


def script_for(user) -> Client:
    token = ApiToken(user=user, name="another script")
    key = token.new_key()
    token.save()
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def claim_as_listed(client, claim) -> dict:
    (listed,) = client.get(reverse("api:claims", args=[claim.article_id])).json()["claims"]
    return listed


def test_claims_carry_their_version_and_writes_answer_the_new_one(api, claim):
    assert claim_as_listed(api, claim)["version"] == 0
    response = post_json(api, verdict_url(claim), {"label": "sourced", "version": 0})
    assert response.status_code == 200
    assert response.json()["version"] == 1 and response["ETag"] == '"1"'
    assert claim_as_listed(api, claim)["version"] == 1


def test_the_second_of_two_scripts_writing_one_version_gets_409_and_the_claim(
    api, claim, other_editor
):
    other = script_for(other_editor)
    seen_first = claim_as_listed(api, claim)["version"]
    seen_second = claim_as_listed(other, claim)["version"]
    first = post_json(api, verdict_url(claim), {"label": "disputed", "version": seen_first})
    second = post_json(other, verdict_url(claim), {"label": "sourced", "version": seen_second})
    assert first.status_code == 200
    assert second.status_code == 409
    now = second.json()
    assert now["verdict"]["label"] == "disputed" and now["verdict"]["editor"] == "amira"
    assert now["version"] == 1 and "version 1" in now["error"]
    assert {k: v for k, v in now.items() if k != "error"} == claim_as_listed(api, claim)
    claim.refresh_from_db()
    assert (claim.verdict, claim.version) == ("disputed", 1)
    assert VerdictChange.objects.filter(claim=claim).count() == 1


def test_a_script_with_if_match_does_not_overwrite_an_editors_verdict(
    api, claim, other_editor, client
):
    etag = f'"{claim_as_listed(api, claim)["version"]}"'
    client.force_login(other_editor)
    client.post(reverse("claims:mark", args=[claim.pk]), {"label": "opinion", "version": 0})
    response = post_json(api, verdict_url(claim), {"label": "sourced"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert response.json()["verdict"]["label"] == "opinion" and response["ETag"] == '"1"'
    claim.refresh_from_db()
    assert (claim.verdict, claim.decided_by) == ("opinion", other_editor)


@pytest.mark.parametrize("if_match", ['"0"', "0", "*"])
def test_if_match_with_the_current_version_or_any_writes(api, claim, if_match):
    response = post_json(api, verdict_url(claim), {"label": "sourced"}, HTTP_IF_MATCH=if_match)
    assert response.status_code == 200 and response.json()["verdict"]["label"] == "sourced"


def test_a_write_naming_no_version_applies_to_the_claim_as_it_is(api, claim, editor):
    claim.set_verdict(label="opinion", note="", editor=editor)
    response = post_json(api, verdict_url(claim), {"label": "sourced"})
    assert response.status_code == 200 and response.json()["version"] == 2


@pytest.mark.parametrize(
    ("if_match", "body", "message"),
    [
        ("3,4", {}, "If-Match must be one claim version"),
        ('W/"0"', {}, "If-Match must be one claim version"),
        ("version zero", {}, "If-Match must be one claim version"),
        ('"-1"', {}, "If-Match must be one claim version"),
        ('"0"', {"version": 1}, "disagree"),
        (None, {"version": "0"}, "version must be a whole number"),
        (None, {"version": True}, "version must be a whole number"),
        (None, {"version": 0.5}, "version must be a whole number"),
        (None, {"version": -1}, "version: Ensure this value is greater than or equal to 0"),
    ],
)
def test_a_malformed_version_is_a_clear_400_and_writes_nothing(api, claim, if_match, body, message):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = post_json(api, verdict_url(claim), {"label": "sourced", **body}, **headers)
    assert response.status_code == 400 and message in error_of(response)
    claim.refresh_from_db()
    assert (claim.verdict, claim.version) == ("", 0)
    assert not VerdictChange.objects.exists()


# The library's filters


def test_articles_are_searched_and_filtered_as_on_the_library_page(api, make_article):
    make_article(title="Flood warning", body="The river rose.")
    make_article(title="Budget")
    make_article(title="Audit", kind="report", status="source", body="The river audit.")
    found = api.get(reverse("api:articles"), {"q": "river"}).json()
    assert [a["title"] for a in found["results"]] == ["Flood warning"]
    found = api.get(reverse("api:articles"), {"q": "river", "kind": "sources"}).json()
    assert [(a["title"], a["kind"]) for a in found["results"]] == [("Audit", "report")]
    assert api.get(reverse("api:articles"), {"kind": "all"}).json()["count"] == 3


def test_api_page_links_keep_the_filters(api, make_article):
    for _ in range(51):
        make_article(title="Budget")
    first = api.get(reverse("api:articles"), {"q": "budget"}).json()
    assert first["next"].endswith("/api/articles/?q=budget&page=2")


@pytest.mark.parametrize(
    "params", [{"status": "nope"}, {"uploaded_from": "soon"}, {"sort": "evil"}]
)
def test_a_bad_api_filter_is_a_json_400(api, make_article, params):
    response = api.get(reverse("api:articles"), params)
    assert response.status_code == 400 and error_of(response)


@pytest.mark.parametrize("query", ["' OR 1=1 --", "a & | !", "(", "*"])
def test_api_search_syntax_is_just_text(api, make_article, query):
    make_article(title="Budget")
    response = api.get(reverse("api:articles"), {"q": query})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("articles", [2, 30])
def test_api_list_query_count_does_not_grow(
    api, make_article, make_claim, django_assert_num_queries, articles
):
    for _ in range(articles):
        make_claim(make_article())
    # The token and its first use, the role's permissions, count, the page's ids, its rows.
    with django_assert_num_queries(6):
        assert api.get(reverse("api:articles"), {"progress": "untouched"}).status_code == 200
