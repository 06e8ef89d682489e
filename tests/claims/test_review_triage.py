"""The two kinds of disputed, human words for reasons, triage filters, and evidence that reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.review import marked_words

pytestmark = pytest.mark.django_db

BODY = "Ten people came. Nine people left. It rained all day. It was a fine party."


@pytest.fixture
def article(make_article, make_claim):
    article = make_article(body=BODY)
    make_claim(
        article,
        text="Ten people came.",
        suggested_label="disputed",
        reason_code="not-in-sources",
        confidence=0.6,
    )
    make_claim(
        article,
        text="Nine people left.",
        suggested_label="disputed",
        reason_code="number-mismatch",
        confidence=0.8,
    )
    make_claim(article, text="It rained all day.", confidence=0.9)
    make_claim(
        article,
        text="It was a fine party.",
        suggested_label="opinion",
        reason_code="subjective-language",
    )
    return article


def listed(client, article, query=""):
    page = client.get(reverse("claims:review", args=[article.pk]) + query).content.decode()
    positions = [int(row[0]) for row in page.split('<span class="position">#')[1:]]
    return positions, page


def test_contradicted_and_uncovered_claims_read_differently_in_text_list_and_panel(
    editor_client, article
):
    _, page = listed(editor_client, article)
    assert "finding-uncovered suggested" in page and "finding-contradicted suggested" in page
    assert "Suggested: Not in sources" in page and "Suggested: Contradicted" in page
    # the panel of the first claim says it in words, with the reason in words
    assert "Suggested: Not in the sources" in page
    assert '<span class="reason-name">No source covers it.</span>' in page


def test_the_suggestion_filter_tells_the_two_kinds_of_disputed_apart(editor_client, article):
    assert listed(editor_client, article, "?suggested=contradicted")[0] == [2]
    assert listed(editor_client, article, "?suggested=uncovered")[0] == [1]
    assert listed(editor_client, article, "?suggested=disputed")[0] == [1, 2]
    assert listed(editor_client, article, "?suggested=opinion")[0] == [4]


def test_triage_can_put_contradictions_first(editor_client, article):
    positions, page = listed(editor_client, article, "?sort=contradictions")
    assert positions == [2, 1, 3, 4]
    assert '<option value="contradictions" selected>Contradictions first</option>' in page


def test_reason_filter_offers_human_words_for_the_codes_present(editor_client, article):
    _, page = listed(editor_client, article)
    assert '<option value="number-mismatch">A source gives another number</option>' in page
    assert '<option value="subjective-language">Evaluative wording</option>' in page
    assert ">number-mismatch<" not in page


def test_a_filtered_list_has_a_way_back_and_an_empty_one_says_so(editor_client, article):
    url = reverse("claims:review", args=[article.pk])
    positions, page = listed(editor_client, article, "?state=decided&sort=confidence")
    assert positions == []
    assert "No claim matches these filters." in page
    assert f'href="{url}?sort=confidence" class="clear-filters">Clear filters</a>' in page
    assert "Clear filters" not in listed(editor_client, article, "?sort=confidence")[1]


def test_the_list_shows_each_claim_whole(editor_client, make_article, make_claim):
    long = "The council, after a debate that lasted well into the night, " * 3 + "agreed."
    article = make_article(body=long)
    make_claim(article, text=long)
    _, page = listed(editor_client, article)
    assert f'<span class="snippet">{long}</span>' in page


def test_an_editor_is_shown_the_marking_keys(editor_client, article):
    assert "mark sourced, disputed, opinion" in listed(editor_client, article)[1]


def test_a_viewer_is_shown_only_the_keys_they_may_use(viewer_client, article):
    page = listed(viewer_client, article)[1]
    assert "next / previous claim in the list" in page
    assert "mark sourced" not in page and 'id="undo"' not in page
    assert "verdict-buttons" not in page


def test_only_words_that_matter_are_marked_between_claim_and_evidence():
    pieces = marked_words(
        "The council did not approve 12 new homes on Monday.",
        "The council approved 10 new homes in Leeds on Tuesday.",
    )
    marked = {piece: how for piece, how in pieces if how}
    assert marked == {
        "council": "same",
        "not": "differs",
        "12": "differs",
        "new": "same",
        "homes": "same",
        "Monday": "differs",
    }
    assert "".join(piece for piece, _ in pieces).startswith("The council did not approve 12")


def test_the_source_opens_whole_with_the_evidence_sentence_set_apart(editor_client, make_article):
    source = make_article(title="The report", body="First. The council met on Monday. Last.")
    url = reverse("claims:source", args=[source.pk])
    page = editor_client.get(url, {"start": 7, "end": 33}).content.decode()
    assert (
        'First. <mark id="evidence" class="evidence-sentence" tabindex="-1">'
        "The council met on Monday.</mark> Last." in page
    )


@pytest.mark.parametrize("query", [{"start": "x", "end": 3}, {"start": 5, "end": 999}, {}])
def test_a_source_with_a_bad_span_is_shown_whole_without_a_mark(editor_client, make_article, query):
    source = make_article(body="First. The council met on Monday. Last.")
    response = editor_client.get(reverse("claims:source", args=[source.pk]), query)
    assert response.status_code == 200
    assert "First. The council met on Monday. Last." in response.content.decode()
    assert 'id="evidence"' not in response.content.decode()


def test_the_source_view_needs_login(client, make_article):
    source = make_article(body="First.")
    assert client.get(reverse("claims:source", args=[source.pk])).status_code == 302


def test_the_source_view_refuses_post_and_a_missing_article(editor_client, make_article):
    source = make_article(body="First.")
    assert editor_client.post(reverse("claims:source", args=[source.pk])).status_code == 405
    assert editor_client.get(reverse("claims:source", args=[999])).status_code == 404


def test_a_contracted_negation_is_marked_as_a_difference():
    pieces = marked_words("The council didn't approve it.", "The council approved it.")
    assert ("didn", "differs") in pieces and ("t", "differs") not in pieces
