"""An upload is read as an article: each sentence with its paragraph's context. Claims checked
on their own (one- and two-sentence uploads, ``annotate_claim``) are read alone."""

import numpy as np
import pytest

from claims.annotator import annotate_texts, split_claims
from claims.annotator.checks import subjectivity_cues
from claims.annotator.config import Config
from claims.annotator.decision import calibration_group, sourced_model
from claims.annotator.engine import get_annotator
from claims.annotator.segment import paragraph_numbers

SOURCE = (
    "The transport ministry announced on Tuesday that the Harbour Line would close for repairs "
    "from 3 March. The closure will last six weeks, the ministry said. Buses will replace "
    "trains between Kell and Marrow."
)
ANALYSIS = (
    "Harbour Line closure\n\nThe ministry has handled this badly. Perhaps it hoped nobody "
    "would notice. {} It is a lesson in how not to treat passengers."
)
REPORT = (
    "Harbour Line closure\n\nThe transport ministry said the Harbour Line would close from 3 "
    "March. {} Buses will replace trains between Kell and Marrow."
)


def suggestion_in(article: str, sentence: str):
    [s] = [s for s in annotate_texts(article.format(sentence), [SOURCE]) if s.text == sentence]
    return s


def label_in(article: str, sentence: str) -> str:
    return suggestion_in(article, sentence).label


def test_a_plain_sentence_among_analysis_is_opinion_and_among_reports_is_not():
    sentence = "Passengers were told late."
    s = suggestion_in(ANALYSIS, sentence)
    assert s.label == "opinion"
    assert s.reason.startswith("Read in its article")
    assert label_in(REPORT, sentence) == "disputed"
    assert annotate_texts(sentence, [SOURCE])[0].label == "disputed"


def test_a_judgement_that_reads_as_a_report_alone_is_opinion_in_its_article():
    sentence = "The timing of the announcement is also significant."
    assert annotate_texts(sentence, [SOURCE])[0].label != "opinion"
    assert label_in(ANALYSIS, sentence) == "opinion"


def test_a_fact_the_source_gives_stays_sourced_among_analysis():
    sentence = "The closure will last six weeks."
    assert label_in(ANALYSIS, sentence) == "sourced"
    assert label_in(REPORT, sentence) == "sourced"


def test_someones_quoted_words_among_analysis_report_what_was_said():
    sentence = "“We should have warned passengers much sooner,” the minister said."
    s = suggestion_in(ANALYSIS, sentence)
    assert s.label != "opinion"


def test_quoted_speech_needs_a_quotation_and_a_speech_verb_outside_it():
    assert subjectivity_cues("“We will appeal,” Reyes said.")["quoted_speech"]
    assert subjectivity_cues("According to the mayor, “the works are on time”.")["quoted_speech"]
    assert not subjectivity_cues("He said the plan was bad.")["quoted_speech"]
    assert not subjectivity_cues("Her reaction, calling him a “murderer,” says a lot.")[
        "quoted_speech"
    ]


@pytest.mark.parametrize(
    "text",
    ["The timing of the announcement is also significant.", "Buses will replace trains. " * 2],
)
def test_one_or_two_sentences_are_read_claim_by_claim_as_a_checked_claim_is(text):
    annotator = get_annotator()
    sources = [annotator.prepare_source(SOURCE)]
    whole = annotator.annotate(text, sources)
    assert len(whole) == len(split_claims(text)) <= 2
    for s in whole:
        alone = annotator.annotate_claim(s.text, sources)
        assert (s.label, s.confidence) == (alone.label, alone.confidence)


def test_paragraphs_are_lines_with_hard_wrapped_ones_joined():
    text = "Title here\n\nOne. Two is it.\nThree and\nfour wrapped. Five.\n\nSix."
    claims = split_claims(text)
    assert [c.text for c in claims][3] == "Three and\nfour wrapped."
    assert paragraph_numbers(text, claims) == [0, 1, 1, 2, 2, 3]


def test_a_sentence_in_an_article_is_decided_by_weights_and_calibrations_of_its_own():
    config = Config.load()
    article = config.opinion["article"]
    assert len(article["w"]) == 3 and 0 < article["threshold"] < 1
    assert len(article["analysis_w"]) == len(config.analysis_w)
    assert config.sourced_article.features == config.sourced.features
    assert not np.array_equal(config.sourced_article.w, config.sourced.w)
    assert 0 < config.contradicted["article"] < 1
    for group in ("opinion-in-article", "sourced-in-article", "uncovered-in-article"):
        assert group in config.calibration
    assert calibration_group("opinion", "speculation", in_article=True) == "opinion-in-article"
    assert calibration_group("opinion", "speculation") == "opinion"
    assert calibration_group("disputed", "not-in-sources", True) == "uncovered-in-article"
    assert calibration_group("disputed", "negation", True) == "contradicted-in-article"
    assert calibration_group("disputed", "no-sources", True) == "no-sources"


def test_in_an_article_p_sourced_is_the_article_regression_and_alone_the_claims_one():
    annotator = get_annotator()
    config = annotator.config
    sources = [annotator.prepare_source(SOURCE)]
    text = ANALYSIS.format("The closure will last six weeks.")
    claims = split_claims(text)
    readings = annotator.read(
        [c.text for c in claims], sources, paragraphs=paragraph_numbers(text, claims)
    )
    assert sourced_model(readings[3], config) is config.sourced_article
    [alone] = annotator.read([claims[3].text], sources)
    assert sourced_model(alone, config) is config.sourced
