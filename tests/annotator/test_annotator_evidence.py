"""What the engine quotes and why: the evidence sentence the verifier chose, explicit checks
only against it, and honest reasons for what no source covers (invented strings)."""

from claims.annotator import annotate_texts
from claims.reasons import CONTRADICTED

STORM = (
    "Storm Leaves Dozens Dead Along the Coast\n"
    "A fire at the port in 2019 killed 185 people, the worst disaster in the town's history. "
    "The death toll from this week's storm rose to 75 on Tuesday, officials said. "
    "Rescue teams were still searching collapsed buildings in the old town."
)


def one(claim, sources):
    [s] = annotate_texts(claim, list(sources))
    return s


def test_a_number_is_checked_against_the_sentence_about_it_not_a_nearby_one():
    s = one("The death toll from the storm nudged up to 75.", [STORM])
    assert s.label == "sourced"
    assert "75" in s.evidence[0].text


def test_a_different_number_in_the_sentence_about_it_is_a_number_mismatch():
    s = one("The death toll from this week's storm rose to 95 on Tuesday.", [STORM])
    assert (s.label, s.reason_code) == ("disputed", "number-mismatch")
    assert '"75"' in s.reason or "75 on Tuesday" in s.reason


CENSUS = (
    "The census counted 4.1 million residents. The number of people aged 15 to 64 fell by "
    "6 percent over the decade, the statistics office said. Births fell for a fifth year."
)
BLOCKADE = (
    "Farmers blocked the main border crossing with tractors for three days in March, "
    "stopping lorries in both directions. Police made no arrests."
)


def test_a_different_percentage_of_the_same_thing_is_a_number_mismatch():
    s = one("The number of people aged 15 to 64 shrank by 9 percent.", [CENSUS])
    assert (s.label, s.reason_code) == ("disputed", "number-mismatch")
    assert '"6 percent"' in s.reason and '"9 percent"' in s.reason


def test_a_span_of_time_changed_in_a_near_copy_is_a_number_mismatch():
    s = one(
        "Farmers blocked the main border crossing with tractors for five days in March.",
        [BLOCKADE],
    )
    assert (s.label, s.reason_code) == ("disputed", "number-mismatch")
    assert '"three days"' in s.reason


def test_another_ministers_title_is_an_entity_mismatch_and_a_bare_title_is_not():
    source = "Interior Minister Clara Wendt told parliament the diplomat had paid four informants."
    s = one(
        "Foreign Minister Clara Wendt told parliament the diplomat had paid informants.", [source]
    )
    assert (s.label, s.reason_code) == ("disputed", "entity-mismatch")
    assert "Interior Minister Clara Wendt" in s.reason
    s = one("Minister Clara Wendt told parliament the diplomat had paid four informants.", [source])
    assert s.reason_code != "entity-mismatch"


def test_a_guess_about_the_toll_is_not_sourced_by_the_toll_so_far():
    s = one("The death toll from the storm could reach 200.", [STORM])
    assert s.label != "sourced"


def test_a_time_written_differently_is_the_same_time():
    source = "The explosion at the plant happened at 12:51 p.m. local time, the police said."
    s = one("The explosion at the plant happened at 12.51pm local time.", [source])
    assert s.label == "sourced"


def test_a_claim_no_source_covers_is_uncovered_not_contradicted():
    s = one("The mayor opened a new football stadium with 40,000 seats in May.", [STORM])
    assert s.label == "disputed"
    assert s.reason_code == "not-in-sources" and s.reason_code not in CONTRADICTED


def test_a_claim_with_no_source_at_all_is_unchecked_with_low_confidence():
    suggestions = annotate_texts(
        "The council approved the budget on Monday. The mayor signed it on Tuesday.", []
    )
    assert {(s.label, s.reason_code) for s in suggestions} == {("disputed", "no-sources")}
    assert all(s.confidence <= 0.35 for s in suggestions)


def test_a_reason_never_names_a_function_word_as_missing():
    s = one("About 300 volunteers from Sweden joined the rescue teams.", [STORM])
    assert '"About"' not in s.reason


def test_a_negated_sentence_on_another_subject_does_not_contradict_a_claim():
    # the verifier alone reads "did not" here as a refutation (P 0.6), but the sentence is
    # about something else (cosine 0.07 to the claim): uncovered, not contradicted
    source = (
        "The police chief did not attend the meeting. "
        "The council asked the state to build a new bridge."
    )
    s = one("The fire department received 3 new ladder trucks from Sweden last week.", [source])
    assert (s.label, s.reason_code) == ("disputed", "not-in-sources")
