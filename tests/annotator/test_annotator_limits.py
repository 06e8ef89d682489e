"""Limits that say so: overlong sentences are cut and say why, an article with too many
sentences and a run past its time are refused with a message."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.annotator import AnnotationLimit, Limits, get_annotator, split_claims

CLAUSE = "the council said on Monday that the budget of 5 million euros would pass, "


def test_a_sentence_longer_than_the_limit_is_cut_at_clause_boundaries():
    body = "Intro.\n" + CLAUSE * 10 + "and nobody objected."
    claims = split_claims(body, max_chars=200)
    assert claims[0].text == "Intro."
    pieces = claims[1:]
    assert len(pieces) > 3
    for piece in pieces:
        assert len(piece.text) <= 200
        assert body[piece.start : piece.end] == piece.text
        assert piece.note == "Split: the sentence is longer than 200 characters."
    assert all(piece.text.endswith(",") for piece in pieces[:-1])
    assert pieces[-1].text.endswith("nobody objected.")


def test_a_sentence_without_clause_marks_is_cut_between_words_and_a_long_word_anywhere():
    words = split_claims("word " * 100, max_chars=120)
    assert all(len(c.text) <= 120 and not c.text.startswith(" ") for c in words)
    assert " ".join(c.text for c in words) == ("word " * 100).strip()
    long_word = split_claims("x" * 450, max_chars=200)
    assert [len(c.text) for c in long_word] == [200, 200, 50]


def test_sentences_within_the_limit_are_not_cut_and_carry_no_note():
    claims = split_claims("The council met. It passed the budget.")
    assert [c.note for c in claims] == ["", ""]


def test_a_cut_claim_says_so_in_its_suggestion():
    body = "Intro.\n" + CLAUSE * 10 + "and nobody objected."
    suggestions = get_annotator().annotate(body, [], Limits(claim_chars=200))
    cut = [s for s in suggestions if len(s.text) > 10]
    assert cut and all(
        s.reason.endswith("Split: the sentence is longer than 200 characters.") for s in cut
    )
    assert "Split" not in suggestions[0].reason


def test_an_article_with_more_sentences_than_the_limit_is_refused_with_a_message():
    with pytest.raises(AnnotationLimit, match="The article has more than 5 sentences to check"):
        get_annotator().annotate("One. Two. Three. Four. Five. Six.", [], Limits(claims=5))


def test_a_source_with_more_sentences_than_the_limit_is_refused_with_a_message():
    with pytest.raises(AnnotationLimit, match="The source has more than 2 sentences"):
        get_annotator().prepare_source("One. Two. Three.", Limits(claims=2))


def test_a_run_past_its_deadline_stops_with_a_message():
    with pytest.raises(AnnotationLimit, match="longer than its time limit"):
        get_annotator().annotate("The council met.", [], deadline=time.monotonic() - 1)


def test_the_time_limit_counts_from_the_call_when_no_deadline_is_given():
    assert get_annotator().annotate("The council met.", [], Limits(seconds=60))
    with pytest.raises(AnnotationLimit):
        get_annotator().annotate_texts("The council met.", ["It did."], Limits(seconds=-1))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab AB.,;!?\n“”\"'é1"), max_size=600),
    st.integers(min_value=20, max_value=200),
)
def test_no_claim_is_ever_longer_than_the_limit_and_every_offset_holds(text, max_chars):
    for claim in split_claims(text, max_chars=max_chars):
        assert 0 < len(claim.text) <= max_chars
        assert text[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip()
