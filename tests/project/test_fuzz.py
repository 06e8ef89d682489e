"""Random and malformed input at the upload form, the verdict endpoints, the export filters and
the API: never a 500 (the test client would raise it), and never a partial save."""

from __future__ import annotations

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from claims.models import Claim

pytestmark = pytest.mark.django_db
# Each example reuses the test's database and client; the assertions compare before and after.
FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
junk = st.text(max_size=60) | st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "\x00"])
maybe_valid_label = st.sampled_from(["sourced", "disputed", "opinion", "", "SOURCED"]) | junk


@pytest.fixture
def claim(make_article, make_claim) -> Claim:
    article = make_article(body="The council approved the budget on Monday. It was late.")
    make_claim(article, text="It was late.", position=2)
    return make_claim(article, text="The council approved the budget on Monday.", position=1)


def claim_state(claim: Claim) -> tuple:
    claim.refresh_from_db()
    return claim.verdict, claim.note, claim.version, claim.changes.count()


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "title": junk | st.text(min_size=290, max_size=320),
            "outlet": junk,
            "url": junk | st.just("https://example.org/a"),
            "published_on": junk | st.dates().map(str),
            "text": junk | st.text(min_size=1, max_size=2000),
            "sources": st.lists(junk, max_size=3),
        },
    ),
    file=st.none() | st.tuples(st.text(max_size=30), st.binary(max_size=300)),
)
def test_the_upload_form_saves_a_whole_article_or_nothing(editor_client, fields, file):
    data = dict(fields)
    if file is not None:
        name, content = file
        # A client sends a file's base name; SimpleUploadedFile refuses "", "." and "..", so
        # "/" or "a/.." (hypothesis found "/") stand for a file called "x".
        name = os.path.basename(name.replace("\x00", ""))
        data["file"] = SimpleUploadedFile(name if name not in {"", ".", ".."} else "x", content)
    before = Article.objects.count()

    response = editor_client.post(reverse("articles:upload"), data)

    assert response.status_code in {302, 400}
    assert b"Traceback" not in response.content
    assert Article.objects.count() == before + (response.status_code == 302)
    if response.status_code == 302:
        article = Article.objects.latest("pk")
        assert article.body and article.title == data["title"].strip()


@FUZZ
@given(
    label=maybe_valid_label,
    note=st.text(max_size=200) | st.text(min_size=4990, max_size=5010),
    version=st.none() | junk | st.integers(-5, 5).map(str),
    htmx=st.booleans(),
)
def test_the_verdict_form_records_one_decision_or_none(
    editor_client, claim, label, note, version, htmx
):
    data = {"label": label, "note": note}
    if version is not None:
        data["version"] = version
    before = claim_state(claim)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = editor_client.post(reverse("claims:mark", args=[claim.pk]), data, **headers)

    after = claim_state(claim)
    decided = (label, note.replace("\r\n", "\n").strip())
    if response.status_code in {200, 302} and after == before:
        assert decided == before[:2]  # the editor's own decision posted again: done once
    elif response.status_code in {200, 302}:
        assert after == (*decided, before[2] + 1, before[3] + 1)
    else:
        assert response.status_code in {400, 409}
        assert after == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {}, optional={"label": maybe_valid_label | json_values, "note": json_values}
        ).map(json.dumps),
        json_values.map(json.dumps),
        st.binary(max_size=100),
    ),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "application/x-www-form-urlencoded"]
    ),
)
def test_the_api_verdict_answers_json_and_saves_whole_or_nothing(
    editor_client, claim, body, content_type
):
    before = claim_state(claim)

    response = editor_client.post(
        reverse("api:verdict", args=[claim.pk]), body, content_type=content_type
    )

    assert response["Content-Type"] == "application/json"
    after = claim_state(claim)
    if response.status_code == 200:
        assert after[2:] == (before[2] + 1, before[3] + 1)
    else:
        assert response.status_code in {400, 415}
        assert "error" in response.json()
        assert after == before


@FUZZ
@given(page=junk, pk=st.integers(0, 2**63))
def test_the_api_reads_answer_json_for_any_page_or_id(editor_client, claim, page, pk):
    listing = editor_client.get(reverse("api:articles"), {"page": page})
    assert listing.status_code in {200, 400, 404}
    assert listing["Content-Type"] == "application/json"
    for name in ("api:article", "api:claims"):
        assert editor_client.get(reverse(name, args=[pk])).status_code in {200, 404}


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "article",
                "verdict",
                "suggested",
                "decided",
                "editor",
                "decided_from",
                "decided_to",
                "bom",
            ]
        ),
        st.lists(junk | st.dates().map(str) | st.sampled_from(["yes", "no", "amira"]), max_size=2),
    ),
    url=st.sampled_from(
        ["claims:export", "claims:export_claimreview", "claims:export_annotations"]
    ),
)
def test_export_filters_give_a_download_or_the_errors(editor_client, claim, query, url):
    params = {**query, "format": "csv"} if url == "claims:export" else query
    response = editor_client.get(reverse(url), params)
    assert response.status_code in {200, 400}
    if response.streaming:
        body = b"".join(response.streaming_content)  # a failure mid-stream raises here
        assert b"Traceback" not in body
