"""Text the database cannot store (NUL, lone surrogates) is refused with a 400, nothing lost."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.forms import ArticleUploadForm
from articles.models import Article
from articles.validators import unstorable
from claims.forms import ExportFilterForm, ReviewFilterForm, VerdictForm
from claims.models import ApiToken, VerdictChange

pytestmark = pytest.mark.django_db

SURROGATE = "x\ud800y"
NUL = "x\x00y"
SURROGATE_SAYS = "Character 2 is U+D800, half of a surrogate pair"
NUL_SAYS = "Character 2 is a NUL (U+0000), which cannot be stored"


@pytest.fixture
def claim(make_article, make_claim, other_editor):
    claim = make_claim(make_article())
    claim.set_verdict(label="disputed", note="Checked twice.", editor=other_editor)
    return claim


@pytest.fixture
def api(client, editor):
    token = ApiToken(user=editor, name="script")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.new_key()}"
    token.save()
    return client


def assert_unchanged(claim) -> None:
    claim.refresh_from_db()
    assert (claim.verdict, claim.note, claim.decided_by.username) == (
        "disputed",
        "Checked twice.",
        "second-editor",
    )
    assert VerdictChange.objects.filter(claim=claim).count() == 1


def test_unstorable_names_the_first_bad_character():
    assert unstorable("fine: ünïcödé and 😀") is None
    assert unstorable(SURROGATE).startswith(SURROGATE_SAYS)
    assert unstorable(NUL).startswith(NUL_SAYS)
    assert unstorable("ab\udfff").startswith("Character 3 is U+DFFF")


# The API: JSON escapes are the one way in for a lone surrogate.


@pytest.mark.parametrize(
    "body",
    [
        '{"label": "sourced", "note": "x\\ud800y"}',
        '{"label": "sourced", "note": "x\\u0000y"}',
        '{"label": "sourced\\ud800", "note": ""}',
        '{"label": "sourced", "note": "", "x\\ud800y": 1}',
        '{"label": "sourced", "note": "", "extra": [{"deep": "x\\udfff"}]}',
    ],
    ids=["note", "nul", "label", "key", "nested"],
)
def test_the_api_refuses_text_that_cannot_be_stored(api, claim, body):
    response = api.post(
        reverse("api:verdict", args=[claim.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("The JSON has text that cannot be stored.")
    assert_unchanged(claim)


def test_the_api_says_which_character_is_refused(api, claim):
    body = json.dumps({"label": "sourced", "note": SURROGATE})
    response = api.post(
        reverse("api:verdict", args=[claim.pk]), body, content_type="application/json"
    )
    assert SURROGATE_SAYS in response.json()["error"]


def test_the_api_refuses_json_nested_too_deeply(api, claim):
    body = '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api.post(
        reverse("api:verdict", args=[claim.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "The JSON is nested too deeply."


# Forms: every text field of each, whoever calls it.


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (VerdictForm, {"label": "sourced", "note": "{}"}, "note"),
        (ReviewFilterForm, {"reason": "{}"}, "reason"),
        (ArticleUploadForm, {"title": "{}", "text": "Some text."}, "title"),
        (ArticleUploadForm, {"title": "T", "outlet": "{}", "text": "Some text."}, "outlet"),
        (ArticleUploadForm, {"title": "T", "url": "https://e.org/{}", "text": "Text."}, "url"),
        (ArticleUploadForm, {"title": "T", "text": "Some {} text."}, "text"),
    ],
    ids=["note", "reason", "title", "outlet", "url", "text"],
)
@pytest.mark.parametrize(
    ("bad", "says"), [(SURROGATE, SURROGATE_SAYS), (NUL, NUL_SAYS)], ids=["surrogate", "nul"]
)
def test_forms_refuse_text_that_cannot_be_stored(form_class, data, field, bad, says):
    form = form_class({key: value.replace("{}", bad) for key, value in data.items()})
    assert not form.is_valid()
    assert len(form.errors[field]) == 1
    assert says.removeprefix("Character 2 ") in form.errors[field][0]


def test_export_filters_refuse_an_editor_that_cannot_be_stored(editor):
    for bad in (SURROGATE, NUL):
        form = ExportFilterForm({"editor": bad})
        assert not form.is_valid()
        assert "editor" in form.errors


# Through HTTP a form can only get NUL (request bodies are decoded with replacement), so:


def test_the_desk_refuses_a_note_with_nul_and_keeps_it_in_the_form(editor_client, claim):
    response = editor_client.post(
        reverse("claims:mark", args=[claim.pk]),
        {"label": "sourced", "note": "Seen in\x00 print.", "version": claim.version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Character 8 is a NUL (U+0000)" in html
    assert "Seen in" in html
    assert_unchanged(claim)


def test_the_upload_refuses_a_title_with_nul_and_keeps_the_text(editor_client):
    response = editor_client.post(
        reverse("articles:upload"),
        {"title": "Budget\x00", "text": "The council approved the budget."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Character 7 is a NUL (U+0000)" in html
    assert "The council approved the budget." in html
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("a.txt", b"Before\x00after."),  # a NUL byte
        ("a.txt", b"Before \xed\xa0\x80 after."),  # a surrogate, UTF-8 encoded (CESU-8)
        ("a.html", b"<p>Before &#0; and &#xd800; after.</p>"),  # as character references
    ],
    ids=["nul", "cesu-8", "references"],
)
def test_uploaded_files_never_bring_unstorable_text(editor_client, filename, content):
    response = editor_client.post(
        reverse("articles:upload"), {"title": "T", "file": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code in {302, 400}
    for article in Article.objects.all():
        assert unstorable(article.body) is None


def test_filters_with_unstorable_text_are_dropped(editor_client, claim):
    response = editor_client.get(
        reverse("claims:review", args=[claim.article_id]), {"reason": NUL, "state": "decided"}
    )
    assert response.status_code == 200
    assert response.context["filters"] == "state=decided"
