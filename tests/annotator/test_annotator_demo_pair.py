"""The product's demo pair, claim by claim, for the clear cases."""

from pathlib import Path

import pytest

from claims.annotator import LABELS, annotate_texts, split_claims

DEMO = Path(__file__).resolve().parents[2] / "articles" / "demo"
REPORT = (DEMO / "kyiv-independent-lukashenko-apology.txt").read_text(encoding="utf-8")
COMMENTARY = (DEMO / "commentary-lukashenko-apology.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def suggestions():
    return annotate_texts(COMMENTARY, [REPORT])


def find(suggestions, start_of_claim):
    [s] = [s for s in suggestions if s.text.startswith(start_of_claim)]
    return s


def test_commentary_splits_into_claims_with_exact_offsets_and_no_boilerplate(suggestions):
    assert len(suggestions) == len(split_claims(COMMENTARY)) > 20
    for s in suggestions:
        assert COMMENTARY[s.start : s.end] == s.text
        assert s.label in LABELS and 0 <= s.confidence <= 1 and s.reason
    assert not any("Read the original article" in s.text for s in suggestions)
    assert {s.label for s in suggestions} == set(LABELS)


def test_sourced_claims_quote_report_sentences_with_exact_offsets(suggestions):
    for s in suggestions:
        for ev in s.evidence:
            assert ev.source_index == 0
            assert REPORT[ev.start : ev.end] == ev.text


def test_headline_is_backed_by_the_report_body_not_by_its_title_alone(suggestions):
    s = find(suggestions, "Zelensky Reveals Lukashenko’s Apology")
    assert s.label == "sourced"
    assert not any(ev.text.startswith("Lukashenko apologized to Zelensky") for ev in s.evidence)
    assert "apologized" in s.evidence[0].text


def test_belarusian_president_is_not_disputed_where_the_report_says_dictator(suggestions):
    # "dictator" is the report's characterisation, not another office
    s = find(suggestions, "In a recent interview, President Zelensky revealed")
    assert s.label == "sourced"


def test_zelenskys_answer_paraphrased_is_sourced_not_contradicted(suggestions):
    # the verifier reads the paraphrase ("rejected this apology") as refuting; in an article
    # P(sourced) is fitted on paraphrases of reports and weighs it less
    s = find(suggestions, "Zelensky rejected this apology")
    assert s.label == "sourced"
    assert "murderer" in s.evidence[0].text


def test_recently_deployed_oreshnik_is_disputed_for_tense_or_modality(suggestions):
    s = find(suggestions, "Despite this apology and lack of direct military involvement")
    assert (s.label, s.reason_code) == ("disputed", "tense-or-modality")
    assert "deployed" in s.reason
    assert any("Oreshnik" in ev.text for ev in s.evidence)


def test_upcoming_election_and_seventh_term_is_backed_by_the_report(suggestions):
    s = find(suggestions, "This complicity comes as Lukashenko faces an upcoming")
    assert "seventh term" in s.evidence[0].text


def test_reliance_on_russia_after_2020_election_is_backed_by_the_report(suggestions):
    s = find(suggestions, "His regime, already isolated from the West")
    assert "increasingly reliant on Russia" in s.evidence[0].text


# Read in the article, two facts in loaded words ("complicity", "regime") amid analysis read
# as opinion: P(opinion) in an article, fitted on the article pairs. On the pairs' test part
# 11 of 197 facts are called opinion (and 185 of 198 opinions caught, against 96 with each
# sentence read on its own): the trade is kept; these are known misses.
@pytest.mark.parametrize(
    "start",
    [
        "This complicity comes as Lukashenko faces an upcoming",
        "His regime, already isolated from the West",
    ],
)
@pytest.mark.xfail(strict=True, reason="known miss: a fact read as opinion in its article")
def test_report_facts_among_analysis_are_sourced(suggestions, start):
    assert find(suggestions, start).label == "sourced"


def test_interview_a_year_and_a_half_after_the_event_is_disputed(suggestions):
    s = find(suggestions, "The interview was conducted months, even a year and a half")
    assert s.label == "disputed"
    assert s.reason_code in ("not-in-sources", "date-mismatch")


@pytest.mark.parametrize(
    "start",
    [
        "The apology itself is peculiar.",
        # these four read as reports on their own (P(opinion) 0.24-0.38); among the analysis
        # of their paragraphs they are opinion
        "The timing of Zelensky’s revelation is also significant.",
        "Lukashenko’s apology to Zelensky, revealed in a recent interview, presents",
        "Lukashenko essentially argued that he was a passive participant",
        "His actions, even if born out of a fear of Putin,",
        "This episode underscores the multifaceted nature",
        "This incident underscores Lukashenko’s long-standing dependence on Russia.",
        "This statement, coming “a few days into the war,”",
        "His actions throughout the war,",
        "It’s a testament to the complicated relationship",
        "The apology, however unconvincing,",
        "The apology itself could be interpreted as",
        "Perhaps the recent escalation of the war",
    ],
)
def test_commentators_judgements_are_opinion(suggestions, start):
    s = find(suggestions, start)
    assert s.label == "opinion"
    assert s.reason_code in ("subjective-language", "speculation")


@pytest.mark.parametrize(
    "start", ["The apology itself could be interpreted as", "Perhaps the recent escalation"]
)
def test_hedged_guesses_are_speculation(suggestions, start):
    assert find(suggestions, start).reason_code == "speculation"
