"""Sentence splitting and boilerplate skipping (pure strings, no model needed)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.annotator import split_claims, split_sentences
from claims.annotator.segment import is_boilerplate


def texts(body):
    return [s.text for s in split_claims(body)]


def test_offsets_always_point_at_the_sentence_text():
    body = "  Headline here\n\nFirst one.  Second one!\n   Third one?  \n"
    sentences = split_claims(body)
    assert [s.text for s in sentences] == [
        "Headline here",
        "First one.",
        "Second one!",
        "Third one?",
    ]
    for s in sentences:
        assert body[s.start : s.end] == s.text


def test_abbreviations_and_initials_do_not_end_a_sentence():
    body = "Mr. Smith met Dr. J. Jones in the U.S. on Jan. 5. They talked until Dec. 6 at noon."
    assert texts(body) == [
        "Mr. Smith met Dr. J. Jones in the U.S. on Jan. 5.",
        "They talked until Dec. 6 at noon.",
    ]


def test_decimal_numbers_do_not_end_a_sentence():
    assert texts("Growth was 3.5 percent last year. Prices rose 0.2 points.") == [
        "Growth was 3.5 percent last year.",
        "Prices rose 0.2 points.",
    ]


def test_a_sentence_ending_inside_closing_quotes_keeps_the_quote():
    body = "He said “it is over.” Then he left. She wrote 'we won.' Nobody replied."
    assert texts(body) == [
        "He said “it is over.”",
        "Then he left.",
        "She wrote 'we won.'",
        "Nobody replied.",
    ]


def test_an_ellipsis_inside_a_quote_does_not_end_the_sentence():
    body = "\"I called him… he said, 'It was not me.' I believe him,\" she said. Next."
    assert texts(body)[0].endswith("she said.")
    assert texts(body)[1] == "Next."


def test_a_title_line_without_a_full_stop_is_its_own_claim():
    body = "Council Approves Budget\nThe council approved the budget on Monday."
    assert texts(body) == ["Council Approves Budget", "The council approved the budget on Monday."]


def test_hard_wrapped_lines_are_joined_into_one_sentence():
    body = "The council approved the budget\non Monday after a long debate."
    assert texts(body) == ["The council approved the budget\non Monday after a long debate."]


def test_paragraphs_separated_by_blank_lines_split():
    body = "First paragraph ends here.\n\nSecond paragraph starts here."
    assert len(split_claims(body)) == 2


def test_boilerplate_lines_are_not_claims():
    body = (
        "The council approved the budget.\n\nRead the original article here\nRead more\n"
        "Subscribe to our newsletter for daily updates!\nClick here to see the photos.\n"
        "Share this article\nAdvertisement\nSign up for our newsletter\n"
        "The mayor resigned."
    )
    assert texts(body) == ["The council approved the budget.", "The mayor resigned."]
    assert len(split_sentences(body)) == 9


def test_a_normal_sentence_mentioning_subscribers_is_not_boilerplate():
    assert not is_boilerplate("Subscribers to the service rose by 12 percent in March.")
    assert not is_boilerplate(
        "Readers who read more than ten articles a month are asked to subscribe, the paper said."
    )


def test_empty_text_has_no_claims():
    assert split_claims("") == []
    assert split_claims("   \n\n  ") == []


def test_windows_line_endings_keep_exact_offsets():
    body = "Council Approves Budget\r\n\r\nThe council met on Monday. It voted 7 to 2.\r\n"
    sentences = split_claims(body)
    assert [s.text for s in sentences] == [
        "Council Approves Budget",
        "The council met on Monday.",
        "It voted 7 to 2.",
    ]
    for s in sentences:
        assert body[s.start : s.end] == s.text


def test_claims_are_ordered_and_never_overlap():
    body = "One. Two!\n\nThree? “Four,” he said. Five…\nSix"
    sentences = split_claims(body)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))
    assert [s.text for s in sentences][-1] == "Six"


def test_common_words_that_look_like_abbreviations_still_end_sentences():
    body = "They sat in the sun. The answer was no. Modern art. No. 5 won. We wed."
    assert texts(body) == [
        "They sat in the sun.",
        "The answer was no.",
        "Modern art.",
        "No. 5 won.",
        "We wed.",
    ]


PIECES = [*"abcXYZ019 .,!?…\"'“”‘’()-\n\r\t", "Jan.", "U.S.", "Mr. ", "Read more\n", "3.5"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_text_splits_into_ordered_stripped_spans_that_match_the_text(body):
    sentences = split_sentences(body)
    for s in sentences:
        assert body[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))
    claims = split_claims(body)
    assert set(claims) <= set(sentences)
