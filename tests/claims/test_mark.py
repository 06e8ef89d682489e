from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import VerdictChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(make_article, make_claim):
    article = make_article(body="The council approved the budget on Monday.")
    return make_claim(article, text=article.body)


def mark_url(claim) -> str:
    return reverse("claims:mark", args=[claim.pk])


def test_htmx_mark_saves_the_verdict_and_returns_the_card_with_oob_updates(
    editor_client, editor, claim, htmx_headers
):
    response = editor_client.post(
        mark_url(claim), {"label": "disputed", "note": "Source says Tuesday."}, **htmx_headers
    )
    page = response.content.decode()
    claim.refresh_from_db()
    assert response.status_code == 200
    assert "<html" not in page
    assert claim.verdict == "disputed"
    assert claim.note == "Source says Tuesday."
    assert claim.decided_by == editor and claim.decided_at is not None
    assert f'id="claim-{claim.pk}"' in page
    assert f'id="span-{claim.pk}"' in page and 'hx-swap-oob="true"' in page
    assert "1 of 1 claims decided" in page
    assert "Verdict: Disputed" in page


def test_plain_form_post_marks_and_redirects_back_to_the_claim(editor_client, claim):
    response = editor_client.post(mark_url(claim), {"label": "opinion"})
    claim.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("claims:review", args=[claim.article_id]) + f"#claim-{claim.pk}"
    assert claim.verdict == "opinion"


def test_every_change_is_kept_with_who_and_when(editor_client, client, other_editor, claim, editor):
    editor_client.post(mark_url(claim), {"label": "sourced", "note": "Checked."})
    client.force_login(other_editor)
    client.post(mark_url(claim), {"label": "disputed", "note": "Date is wrong."})

    changes = list(claim.changes.order_by("created_at", "id"))
    assert [(c.old_label, c.new_label, c.editor, c.note) for c in changes] == [
        ("", "sourced", editor, "Checked."),
        ("sourced", "disputed", other_editor, "Date is wrong."),
    ]
    assert all(c.suggested_label == "sourced" for c in changes)
    page = editor_client.get(reverse("claims:review", args=[claim.article_id])).content.decode()
    assert "History (2)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "true"}, "Select a valid choice"),
        ({}, "This field is required"),
        ({"label": "sourced", "note": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_bad_verdict_is_refused_with_a_message_and_changes_nothing(
    editor_client, claim, htmx_headers, data, message
):
    claim.set_verdict(label="sourced", note="Keep me", editor=claim.article.uploaded_by)
    for headers in ({}, htmx_headers):
        response = editor_client.post(mark_url(claim), data, **headers)
        assert response.status_code == 400
        assert message in response.content.decode()
    claim.refresh_from_db()
    assert (claim.verdict, claim.note) == ("sourced", "Keep me")
    assert VerdictChange.objects.count() == 1


def test_rejected_note_is_given_back_to_the_editor(editor_client, claim, htmx_headers):
    response = editor_client.post(
        mark_url(claim), {"label": "bogus", "note": "My careful note"}, **htmx_headers
    )
    assert "My careful note" in response.content.decode()


def test_mark_needs_login(client, claim):
    response = client.post(mark_url(claim), {"label": "sourced"})
    claim.refresh_from_db()
    assert response.status_code == 302
    assert claim.verdict == ""


def test_mark_rejects_get(editor_client, claim):
    assert editor_client.get(mark_url(claim)).status_code == 405


def test_mark_of_missing_claim_is_404(editor_client):
    assert (
        editor_client.post(reverse("claims:mark", args=[999999]), {"label": "sourced"}).status_code
        == 404
    )


def test_htmx_mark_is_protected_against_csrf(client, editor, claim, htmx_headers):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    assert (
        csrf_client.post(mark_url(claim), {"label": "sourced"}, **htmx_headers).status_code == 403
    )
