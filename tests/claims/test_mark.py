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
        mark_url(claim),
        {"label": "disputed", "note": "Source says Tuesday.", "version": 0},
        **htmx_headers,
    )
    page = response.content.decode()
    claim.refresh_from_db()
    assert response.status_code == 200
    assert "<html" not in page
    assert claim.verdict == "disputed"
    assert claim.note == "Source says Tuesday."
    assert claim.decided_by == editor and claim.decided_at is not None
    assert page.startswith(f"Marked #{claim.position} disputed.")
    assert f'<li id="claim-{claim.pk}"' in page and f'<a id="span-{claim.pk}"' in page
    assert page.count('hx-swap-oob="true"') == 3
    assert "1 of 1 claims decided" in page
    assert "Verdict: Disputed" in page


def test_plain_form_post_marks_and_redirects_to_the_next_undecided_claim_keeping_filters(
    editor_client, claim, make_claim
):
    article = claim.article
    following = make_claim(article, start=0, end=3, position=2)
    response = editor_client.post(
        mark_url(claim), {"label": "opinion", "version": 0, "filters": "state=undecided&sort=bogus"}
    )
    claim.refresh_from_db()
    assert response.status_code == 302
    review = reverse("claims:review", args=[article.pk])
    assert response.url == f"{review}?state=undecided&claim={following.pk}#detail"
    assert claim.verdict == "opinion"


def test_marking_takes_five_queries_besides_the_session(
    editor_client, claim, htmx_headers, session_lookups, django_assert_num_queries
):
    editor_client.get(reverse("claims:review", args=[claim.article_id]))  # caches user and role
    # claim, conditional UPDATE, the article's counters, history INSERT, progress; plus the
    # savepoint pair of the atomic block inside the test transaction (BEGIN/COMMIT in production).
    with django_assert_num_queries(session_lookups + 7) as queries:
        editor_client.post(
            mark_url(claim), {"label": "sourced", "version": claim.version}, **htmx_headers
        )
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == session_lookups + 5


def test_a_cold_cache_costs_the_user_and_role_lookups(
    editor_client, claim, htmx_headers, session_lookups, django_assert_num_queries
):
    with django_assert_num_queries(session_lookups + 9):
        editor_client.post(
            mark_url(claim), {"label": "sourced", "version": claim.version}, **htmx_headers
        )


def test_a_stale_verdict_is_refused_with_the_current_state_for_htmx(
    editor_client, other_editor, claim, htmx_headers
):
    seen = claim.version
    claim.set_verdict(label="disputed", note="Date is wrong.", editor=other_editor)
    response = editor_client.post(
        mark_url(claim), {"label": "sourced", "note": "Fine by me", "version": seen}, **htmx_headers
    )
    page = response.content.decode()
    claim.refresh_from_db()
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#detail"
    assert "This claim changed while you were deciding." in page
    assert "It is now Disputed (by second-editor" in page and "“Date is wrong.”" in page
    assert page.count('hx-swap-oob="true"') == 3  # its span, row and the progress, as they are now
    assert "1 of 1 claims decided" in page
    assert "Fine by me" in page  # the editor's draft note is kept
    assert f'name="version" value="{claim.version}"' in page
    assert (claim.verdict, claim.changes.count()) == ("disputed", 1)

    again = editor_client.post(
        mark_url(claim), {"label": "sourced", "version": claim.version}, **htmx_headers
    )
    claim.refresh_from_db()
    assert again.status_code == 200 and claim.verdict == "sourced"


def test_a_stale_plain_post_gets_the_full_page_with_status_409(editor_client, other_editor, claim):
    claim.set_verdict(label="opinion", note="", editor=other_editor)
    response = editor_client.post(mark_url(claim), {"label": "sourced", "version": 0})
    assert response.status_code == 409
    assert b"<html" in response.content and b"changed while you were deciding" in response.content


def test_every_change_is_kept_with_who_and_when(editor_client, client, other_editor, claim, editor):
    editor_client.post(mark_url(claim), {"label": "sourced", "note": "Checked.", "version": 0})
    client.force_login(other_editor)
    client.post(mark_url(claim), {"label": "disputed", "note": "Date is wrong.", "version": 1})

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


def test_a_verdict_without_the_version_the_editor_saw_is_refused(editor_client, claim):
    response = editor_client.post(mark_url(claim), {"label": "sourced"})
    claim.refresh_from_db()
    assert response.status_code == 400
    assert claim.verdict == "" and not claim.changes.exists()


def test_the_same_verdict_posted_twice_is_done_once_not_a_conflict_with_oneself(
    editor_client, claim, htmx_headers
):
    data = {"label": "sourced", "note": "Checked.", "version": 0}
    first = editor_client.post(mark_url(claim), data, **htmx_headers)
    again = editor_client.post(mark_url(claim), data, **htmx_headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert "changed while you were deciding" not in again.content.decode()
    assert claim.changes.count() == 1


def test_another_verdict_on_a_version_already_changed_is_refused_even_from_the_same_editor(
    editor_client, claim, htmx_headers
):
    editor_client.post(mark_url(claim), {"label": "sourced", "version": 0}, **htmx_headers)
    response = editor_client.post(
        mark_url(claim), {"label": "disputed", "version": 0}, **htmx_headers
    )
    claim.refresh_from_db()
    assert response.status_code == 409
    assert claim.verdict == "sourced" and claim.changes.count() == 1


def note_url(claim) -> str:
    return reverse("claims:note", args=[claim.pk])


def test_a_note_is_saved_on_its_own_keeping_the_verdict_and_is_a_note_change_in_history(
    editor_client, editor, claim, htmx_headers
):
    claim.set_verdict(label="disputed", note="", editor=editor)
    response = editor_client.post(
        note_url(claim), {"note": "Source says Tuesday.", "version": 1}, **htmx_headers
    )
    page = response.content.decode()
    claim.refresh_from_db()
    assert response.status_code == 200
    assert page.startswith('<section id="detail"') and "Note saved." in page
    assert (claim.verdict, claim.note, claim.version) == ("disputed", "Source says Tuesday.", 2)
    assert "changed the note: “Source says Tuesday.”" in page
    change = claim.changes.first()
    assert (change.old_label, change.new_label, change.old_note) == ("disputed", "disputed", "")


def test_a_note_on_an_undecided_claim_leaves_it_undecided(editor_client, claim):
    response = editor_client.post(note_url(claim), {"note": "Ask the desk.", "version": 0})
    claim.refresh_from_db()
    assert response.status_code == 302 and response.url.endswith(f"claim={claim.pk}#detail")
    assert (claim.verdict, claim.note, claim.decided_by) == ("", "Ask the desk.", None)


def test_a_stale_or_bad_note_is_refused_and_given_back(
    editor_client, other_editor, claim, htmx_headers
):
    claim.set_verdict(label="sourced", note="Theirs.", editor=other_editor)
    stale = editor_client.post(note_url(claim), {"note": "Mine.", "version": 0}, **htmx_headers)
    bad = editor_client.post(note_url(claim), {"note": "Mine.", "version": "x"}, **htmx_headers)
    claim.refresh_from_db()
    assert (stale.status_code, bad.status_code) == (409, 400)
    assert "Mine." in stale.content.decode() and "Mine." in bad.content.decode()
    assert claim.note == "Theirs."


def test_note_needs_login(client, claim):
    assert client.post(note_url(claim), {"note": "x", "version": 0}).status_code == 302


def test_viewer_cannot_save_a_note(viewer_client, claim):
    response = viewer_client.post(note_url(claim), {"note": "x", "version": 0})
    claim.refresh_from_db()
    assert response.status_code == 403 and claim.note == ""


def test_note_rejects_get(editor_client, claim):
    assert editor_client.get(note_url(claim)).status_code == 405
