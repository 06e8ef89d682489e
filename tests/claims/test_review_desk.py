from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from claims.models import ApiToken, VerdictChange

pytestmark = pytest.mark.django_db

BODY = "The council met on Monday. It approved the budget. Critics called it reckless."


@pytest.fixture
def article(make_article, make_claim):
    article = make_article(body=BODY)
    make_claim(article, text="The council met on Monday.", confidence=0.95)
    make_claim(article, text="It approved the budget.", confidence=0.6)
    make_claim(
        article,
        text="Critics called it reckless.",
        suggested_label="opinion",
        confidence=0.9,
        reason_code="subjective-language",
    )
    return article


def claims_of(article):
    return list(article.claims.order_by("position"))


def post(client, name, pk, data=None, **headers):
    return client.post(reverse(f"claims:{name}", args=[pk]), data or {}, **headers)


def test_undo_restores_the_previous_label_and_note_as_a_new_change(editor_client, editor, article):
    first, *_ = claims_of(article)
    first.set_verdict(label="sourced", note="Checked.", editor=editor)
    first.set_verdict(label="disputed", note="Wrong day.", editor=editor)

    response = post(editor_client, "undo", article.pk, {"filters": "state=undecided"})
    first.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("claims:review", args=[article.pk]) + (
        f"?state=undecided&claim={first.pk}"
    )
    assert (first.verdict, first.note) == ("sourced", "Checked.")
    kinds = list(first.changes.order_by("id").values_list("kind", "old_label", "new_label"))
    assert kinds == [
        ("mark", "", "sourced"),
        ("mark", "sourced", "disputed"),
        ("undo", "disputed", "sourced"),
    ]

    post(editor_client, "undo", article.pk)
    first.refresh_from_db()
    assert (first.verdict, first.decided_by) == ("", None)
    assert first.changes.count() == 4


def test_undo_leaves_a_change_another_editor_overwrote(
    editor_client, editor, other_editor, article
):
    first, second, _ = claims_of(article)
    second.set_verdict(label="opinion", note="", editor=editor)
    first.set_verdict(label="sourced", note="", editor=editor)
    first.set_verdict(label="disputed", note="", editor=other_editor)

    post(editor_client, "undo", article.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verdict == "disputed"  # the other editor's decision stands
    assert second.verdict == ""


def test_undo_credits_the_restored_verdict_to_the_editor_who_decided_it(
    client, editor, other_editor, article, htmx_headers
):
    first, *_ = claims_of(article)
    first.set_verdict(label="disputed", note="Wrong day: it met on Tuesday.", editor=other_editor)
    decided_at = first.decided_at
    token = ApiToken(user=editor, name="script")
    key = token.new_key()
    token.save()
    client.post(
        reverse("api:verdict", args=[first.pk]),
        json.dumps({"label": "sourced", "note": ""}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    client.force_login(editor)

    post(client, "undo", article.pk)
    first.refresh_from_db()
    assert (first.verdict, first.note) == ("disputed", "Wrong day: it met on Tuesday.")
    assert (first.decided_by, first.decided_at) == (other_editor, decided_at)
    undo = first.changes.get(kind="undo")
    assert undo.editor == editor
    assert (undo.reverts.old_decided_by, undo.reverts.old_decided_at) == (other_editor, decided_at)

    panel = client.get(
        reverse("claims:review", args=[article.pk]),
        {"claim": first.pk},
        HTTP_HX_TARGET="detail",
        **htmx_headers,
    ).content.decode()
    assert "Disputed by second-editor" in panel
    assert "amira undid: Disputed → Sourced" not in panel
    assert "amira undid: Sourced → Disputed, as decided by second-editor" in panel
    header, *rows = csv.reader(
        io.StringIO(b"".join(client.get(reverse("claims:export"), {"format": "csv"})).decode())
    )
    row = dict(zip(header, rows[0], strict=True))
    assert (row["verdict"], row["editor"]) == ("disputed", "second-editor")


def test_nothing_to_undo_says_so(editor_client, article, htmx_headers):
    response = post(editor_client, "undo", article.pk, **htmx_headers)
    assert response.status_code == 200
    assert "Nothing of yours left to undo" in response.content.decode()
    assert not VerdictChange.objects.exists()


def test_bulk_accept_takes_undecided_suggestions_above_the_threshold_as_one_undoable_batch(
    editor_client, editor, other_editor, article, htmx_headers
):
    first, second, third = claims_of(article)
    third.set_verdict(label="sourced", note="Mine.", editor=other_editor)

    response = post(editor_client, "accept", article.pk, {"min_percent": "90"}, **htmx_headers)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert response.headers["HX-Push-Url"].startswith(reverse("claims:review", args=[article.pk]))
    assert "Accepted 1 suggestions at least 90% sure" in page
    verdicts = [c.verdict for c in claims_of(article)]
    assert verdicts == ["sourced", "", "sourced"]  # the decided third claim was left alone
    accepted = VerdictChange.objects.filter(kind="accept")
    assert accepted.count() == 1 and accepted.get().agreed

    post(editor_client, "accept", article.pk, {"min_percent": "50"})
    assert [c.verdict for c in claims_of(article)] == ["sourced", "sourced", "sourced"]
    post(editor_client, "undo", article.pk)
    assert [c.verdict for c in claims_of(article)] == ["sourced", "", "sourced"]
    undone = VerdictChange.objects.filter(kind="undo")
    assert undone.count() == 1 and undone.get().batch is not None

    response = post(editor_client, "undo", article.pk, **htmx_headers)
    assert "Undid the bulk accept: 1 claims restored." in response.content.decode()
    assert [c.verdict for c in claims_of(article)] == ["", "", "sourced"]


@pytest.mark.parametrize("value", ["0", "101", "much", ""])
def test_bulk_accept_refuses_a_bad_threshold(editor_client, article, value):
    response = post(editor_client, "accept", article.pk, {"min_percent": value})
    assert response.status_code == 302
    assert not VerdictChange.objects.exists()


def test_merge_joins_a_claim_with_the_next_keeping_offsets_positions_and_history(
    editor_client, editor, article
):
    first, second, third = claims_of(article)
    first.set_verdict(label="sourced", note="Met Monday.", editor=editor)
    second.set_verdict(label="sourced", note="", editor=editor)

    response = post(editor_client, "merge", first.pk, {"version": 1})
    assert response.status_code == 302
    merged, last = claims_of(article)
    assert merged.pk == first.pk and last.pk == third.pk
    assert (merged.position, last.position) == (1, 2)
    assert (
        merged.text
        == BODY[merged.start : merged.end]
        == ("The council met on Monday. It approved the budget.")
    )
    assert merged.verdict == "sourced"  # both halves agreed
    assert merged.confidence == 0.6
    history = list(merged.changes.order_by("id").values_list("kind", flat=True))
    assert history == ["mark", "mark", "merge"]
    assert "Merged with #2: “It approved the budget.”" in merged.changes.latest("id").note


def test_merge_of_claims_with_different_verdicts_is_undecided(editor_client, editor, article):
    first, second, _ = claims_of(article)
    second.set_verdict(label="disputed", note="", editor=editor)
    post(editor_client, "merge", first.pk, {"version": 0})
    merged = claims_of(article)[0]
    assert merged.verdict == "" and merged.version == 1


def test_merge_of_the_last_claim_or_a_stale_one_changes_nothing(
    editor_client, editor, article, htmx_headers
):
    first, _, third = claims_of(article)
    response = post(editor_client, "merge", third.pk, {"version": 0}, **htmx_headers)
    assert "nothing after it to merge with" in response.content.decode()
    first.set_verdict(label="sourced", note="", editor=editor)
    response = post(editor_client, "merge", first.pk, {"version": 0}, **htmx_headers)
    assert "Another editor changed this claim meanwhile" in response.content.decode()
    assert len(claims_of(article)) == 3


def test_split_cuts_a_claim_between_words_and_renumbers_the_rest(editor_client, editor, article):
    first, second, third = claims_of(article)
    post(editor_client, "merge", first.pk, {"version": 0})
    merged = claims_of(article)[0]
    merged.set_verdict(label="disputed", note="", editor=editor)
    cut = BODY.index("It approved")

    response = post(editor_client, "split", merged.pk, {"version": merged.version, "at": cut})
    assert response.status_code == 302
    left, right, last = claims_of(article)
    assert [c.position for c in (left, right, last)] == [1, 2, 3]
    assert (left.text, right.text) == ("The council met on Monday.", "It approved the budget.")
    assert all(BODY[c.start : c.end] == c.text for c in (left, right, last))
    assert (left.verdict, right.verdict) == ("", "")
    assert left.changes.latest("id").kind == "split" and left.changes.count() == 3
    assert right.changes.get().note == "Split from #1"


@pytest.mark.parametrize("at", [0, 3, 25, 9999, ""])
def test_split_refuses_a_point_that_is_not_between_words(editor_client, article, at):
    first = claims_of(article)[0]
    response = post(editor_client, "split", first.pk, {"version": 0, "at": at})
    assert response.status_code == 302
    assert len(claims_of(article)) == 3


@pytest.mark.parametrize("name", ["undo", "accept", "merge", "split"])
def test_desk_actions_need_login(client, article, name):
    pk = article.pk if name in {"undo", "accept"} else claims_of(article)[0].pk
    response = post(client, name, pk, {"min_percent": 10, "version": 0, "at": 4})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not VerdictChange.objects.exists()


@pytest.mark.parametrize("name", ["undo", "accept", "merge", "split"])
def test_desk_actions_refuse_get_and_missing_objects(editor_client, article, name):
    pk = article.pk if name in {"undo", "accept"} else claims_of(article)[0].pk
    assert editor_client.get(reverse(f"claims:{name}", args=[pk])).status_code == 405
    assert post(editor_client, name, 424242).status_code == 404


def test_filters_and_sort_select_the_listed_claims_and_stay_in_links(
    editor_client, editor, article
):
    first, second, third = claims_of(article)
    first.set_verdict(label="disputed", note="", editor=editor)
    url = reverse("claims:review", args=[article.pk])

    def listed(query):
        page = editor_client.get(f"{url}?{query}").content.decode()
        return [c.pk for c in claims_of(article) if f'<li id="claim-{c.pk}"' in page], page

    assert listed("state=undecided")[0] == [second.pk, third.pk]
    assert listed("state=decided")[0] == [first.pk]
    assert listed("verdict=disputed")[0] == [first.pk]
    assert listed("suggested=opinion")[0] == [third.pk]
    assert listed("reason=matches-source")[0] == [first.pk, second.pk]
    assert listed("state=bogus&verdict=true")[0] == [first.pk, second.pk, third.pk]
    pks, page = listed("sort=confidence&state=undecided")
    assert page.index(f'id="claim-{second.pk}"') < page.index(f'id="claim-{third.pk}"')
    assert f'href="{url}?state=undecided&amp;sort=confidence&amp;claim={second.pk}#detail"' in page
    assert '<option value="confidence" selected>' in page


def test_progress_and_agreement_with_suggestions_are_counted_by_label(
    editor_client, editor, article, htmx_headers
):
    first, second, third = claims_of(article)
    first.set_verdict(label="sourced", note="", editor=editor)
    second.set_verdict(label="disputed", note="", editor=editor)
    response = post(
        editor_client, "mark", third.pk, {"label": "opinion", "version": 0}, **htmx_headers
    )
    page = response.content.decode()
    assert "3 of 3 claims decided" in page
    assert "Sourced: 1" in page and "Disputed: 1" in page and "Editorial opinion: 1" in page
    assert "Sourced: 1 of 2 accepted. Editorial opinion: 1 of 1 accepted. " in page
    assert ">Suggestions accepted: 2 of 3 (67%)<" in page
    review = editor_client.get(reverse("claims:review", args=[article.pk])).content.decode()
    assert "All articles: editors accepted 2 of 3 suggestions (67%)" in review
    history = editor_client.get(
        reverse("claims:review", args=[article.pk]) + f"?claim={second.pk}"
    ).content.decode()
    assert "overrode the suggestion, sourced" in history
    articles = editor_client.get(reverse("articles:list")).content.decode()
    assert "3 of 3 claims decided" in articles
    assert "sourced 1 · disputed 1 · opinion 1" in articles
