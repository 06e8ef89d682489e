"""Labels and reason codes on small invented articles (uses the installed MiniLM model)."""

import pytest

from claims.annotator import LABELS, annotate_texts

SOURCE = (
    "City Council Approves New Budget\n"
    "The city council approved a budget of 10 million dollars on Monday, March 3. "
    "Mayor Anna Berg said the plan would fund 12 new schools. "
    "The council asked the state to build a new bridge, which is expected to open in 2027. "
    "The police chief did not attend the meeting. "
    "Opposition leader Tom Hale voted against the budget."
)


def one(claim, sources=(SOURCE,)):
    suggestions = annotate_texts(claim, list(sources))
    assert len(suggestions) == 1
    return suggestions[0]


def test_faithful_restatement_is_sourced_with_evidence_offsets():
    s = one("The city council approved a budget of 10 million dollars on Monday.")
    assert (s.label, s.reason_code) == ("sourced", "matches-source")
    best = s.evidence[0]
    assert best.source_index == 0
    assert SOURCE[best.start : best.end] == best.text
    assert "10 million dollars" in best.text


def test_number_change_is_disputed_with_number_mismatch():
    s = one("Mayor Anna Berg said the plan would fund 15 new schools.")
    assert (s.label, s.reason_code) == ("disputed", "number-mismatch")
    assert '"12 new schools"' in s.reason and '"15 new schools"' in s.reason
    assert "12 new schools" in s.evidence[0].text


def test_number_words_are_compared_as_numbers():
    s = one("Mayor Anna Berg said the plan would fund a dozen new schools.")
    assert s.label == "sourced"
    s = one("Mayor Anna Berg said the plan would fund ten new schools.")
    assert s.reason_code == "number-mismatch"


def test_date_change_is_disputed_with_date_mismatch():
    s = one("The city council approved a budget of 10 million dollars on March 5.")
    assert (s.label, s.reason_code) == ("disputed", "date-mismatch")


def test_requested_event_told_as_done_is_disputed_for_tense_or_modality():
    s = one("The state built a new bridge, which opened in 2027.")
    assert (s.label, s.reason_code) == ("disputed", "tense-or-modality")


def test_dropped_negation_is_disputed_with_negation():
    s = one("The police chief attended the meeting.")
    assert (s.label, s.reason_code) == ("disputed", "negation")


def test_changed_title_of_a_person_is_an_entity_mismatch():
    s = one("Deputy Mayor Anna Berg said the plan would fund 12 new schools.")
    assert (s.label, s.reason_code) == ("disputed", "entity-mismatch")


def test_a_checkable_fact_no_source_mentions_is_disputed_not_in_sources():
    s = one("The fire department received 3 new ladder trucks from Sweden last week.")
    assert (s.label, s.reason_code) == ("disputed", "not-in-sources")


def test_evaluative_sentence_is_opinion():
    s = one("This budget is a shameful and reckless waste that the city will deeply regret.")
    assert s.label == "opinion"
    assert s.reason_code in ("subjective-language", "speculation")


def test_hedged_speculation_is_opinion_with_speculation():
    s = one("Perhaps the mayor seems to be quietly preparing a run for higher office.")
    assert (s.label, s.reason_code) == ("opinion", "speculation")


def test_no_sources_means_checkable_claims_are_unchecked_with_low_confidence():
    s = one("The city council approved a budget of 10 million dollars on Monday.", sources=())
    assert (s.label, s.reason_code, s.evidence) == ("disputed", "no-sources", ())
    assert s.confidence <= 0.3


def test_a_claim_no_source_covers_is_told_apart_from_one_a_source_contradicts():
    sources = ("The city council approved a budget of 12 million dollars on Monday.",)
    contradicted = one(
        "The city council approved a budget of 10 million dollars on Monday.", sources
    )
    uncovered = one("The harbour authority hired four new pilots last spring.", sources)
    assert contradicted.reason_code == "number-mismatch"
    assert uncovered.reason_code == "not-in-sources"


@pytest.mark.parametrize(
    "claim",
    [
        "The city council approved a budget of 10 million dollars on Monday.",
        "This budget is a shameful waste.",
        "The fire department bought 3 trucks.",
    ],
)
def test_every_suggestion_is_well_formed(claim):
    s = one(claim)
    assert s.label in LABELS
    assert 0.0 <= s.confidence <= 1.0
    assert s.reason and s.reason_code
    assert (s.start, s.end, s.text) == (0, len(claim), claim)
    for ev in s.evidence:
        assert SOURCE[ev.start : ev.end] == ev.text and -1 <= ev.score <= 1


def test_a_bound_like_more_than_is_consistent_with_a_larger_source_number():
    s = one("Mayor Anna Berg said the plan would fund more than 10 new schools.")
    assert s.reason_code != "number-mismatch"
    s = one("Mayor Anna Berg said the plan would fund more than 20 new schools.")
    assert s.reason_code == "number-mismatch"


def test_a_different_place_in_the_same_slot_is_an_entity_mismatch():
    source = "The summit was held in Geneva on Friday, and 40 leaders attended it."
    s = one("The summit was held in Vienna on Friday, and 40 leaders attended it.", [source])
    assert (s.label, s.reason_code) == ("disputed", "entity-mismatch")
    assert '"Geneva"' in s.reason and '"Vienna"' in s.reason


def test_accents_do_not_make_a_name_different():
    source = "Forecasters said La Niña conditions would persist in São Paulo this winter."
    s = one("Forecasters said La Nina conditions would persist in Sao Paulo this winter.", [source])
    assert s.reason_code != "entity-mismatch"


def test_a_time_span_no_source_states_is_not_in_sources():
    s = one("The council approved the budget two years after the mayor proposed it.")
    assert (s.label, s.reason_code) == ("disputed", "not-in-sources")
    assert "two years after" in s.reason


def test_a_source_that_calls_the_claim_false_disputes_it():
    source = "No, the photo does not show the flood in Dresden; it is a fake from 2013."
    s = one("A photo shows the flood in Dresden last week.", [source])
    assert s.label == "disputed"


def test_a_rise_where_the_source_reports_a_fall_is_disputed():
    source = "Exports to Canada fell by 12 percent in the first quarter, the ministry said."
    s = one(
        "Exports to Canada rose by 12 percent in the first quarter, the ministry said.", [source]
    )
    assert s.label == "disputed"
    assert s.reason_code in ("number-mismatch", "negation")
    assert "fell" in s.reason and "rose" in s.reason


def test_first_person_view_is_opinion():
    s = one("I think we should all be worried about where this city is heading.")
    assert (s.label, s.reason_code) == ("opinion", "speculation")


def test_rhetorical_question_is_opinion():
    s = one("Who could possibly believe that this budget will fix anything?")
    assert s.label == "opinion"
