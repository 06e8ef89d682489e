"""The lexical checks (claims/annotator/checks.py), one behaviour a test: word lists as data,
numbers and times read as values, function words never taken for names."""

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

from claims.annotator import checks as C
from claims.annotator import get_annotator

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "claims" / "annotator" / "lexicon"

# public name -> its data file in claims/annotator/lexicon
WORD_LISTS = {
    "STOPWORDS": "stopwords.txt",
    "COMMON_CAPS": "common_caps.txt",
    "SENTENCE_OPENERS": "sentence_openers.txt",
    "ROLE_WORDS": "role_words.txt",
    "HEDGES": "hedges.txt",
    "EVALUATIVE": "evaluative.txt",
    "EVAL_VERBS": "eval_verbs.txt",
    "NAMED_ACTS": "named_acts.txt",
    "NEGATORS": "negators.txt",
}
WORD_MAPS = {
    "NUMBER_WORDS": "number_words.txt",
    "ORDINALS": "ordinals.txt",
    "MULTIPLIERS": "multipliers.txt",
    "MONTHS": "months.txt",
}


# ---------------------------------------------------------------- word lists as data


def test_every_word_list_is_a_data_file_and_a_missing_one_fails_loudly(monkeypatch, tmp_path):
    for name, file in WORD_LISTS.items():
        assert getattr(C, name) == C.word_list(file)
        assert isinstance(getattr(C, name), frozenset)
    for name, file in WORD_MAPS.items():
        assert getattr(C, name) == C.word_map(file)
    monkeypatch.setattr(C, "LEXICON_DIR", tmp_path)
    for file in [*WORD_LISTS.values(), *WORD_MAPS.values()]:
        loader = C.word_map if file in WORD_MAPS.values() else C.word_list
        with pytest.raises(FileNotFoundError, match=file):
            loader(file)


def test_checks_py_holds_no_word_list_literal():
    # A list of more than a handful of words in the code is one that belongs in lexicon/.
    tree = ast.parse((ROOT / "claims" / "annotator" / "checks.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Set | ast.Tuple):
            elts = node.elts
        elif isinstance(node, ast.Dict):
            elts = node.keys
        else:
            continue
        words = [e for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        assert len(words) <= 16, f"a word list in checks.py, line {node.lineno}"


def test_list_files_are_sorted_with_each_entry_once():
    for file in WORD_LISTS.values():
        entries = C._lexicon_lines(file)
        assert entries == sorted(set(entries)), file


def test_a_map_file_gives_each_word_one_value_and_keeps_its_order(monkeypatch, tmp_path):
    text = "# comment\nhalf a dozen 6\na million  1e6  # note\nsome some\n"
    (tmp_path / "m.txt").write_text(text)
    monkeypatch.setattr(C, "LEXICON_DIR", tmp_path)
    expected = [("half a dozen", 6), ("a million", 1e6), ("some", "some")]
    assert list(C.word_map("m.txt").items()) == expected
    assert isinstance(C.word_map("m.txt")["half a dozen"], int)
    (tmp_path / "twice.txt").write_text("one 1\none 2\n")
    with pytest.raises(ValueError, match="'one' is given twice"):
        C.word_map("twice.txt")
    (tmp_path / "bare.txt").write_text("one\n")
    with pytest.raises(ValueError, match="bare.txt"):
        C.word_map("bare.txt")


def test_an_empty_word_list_fails_loudly(monkeypatch, tmp_path):
    (tmp_path / "empty.txt").write_text("# only a comment\n\n")
    monkeypatch.setattr(C, "LEXICON_DIR", tmp_path)
    with pytest.raises(ValueError, match="empty.txt has no entries"):
        C.word_list("empty.txt")


def test_every_lexicon_file_is_package_data():
    # Without it an installed engine (the Docker image) fails at import.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["claims"]
    files = sorted(LEXICON.iterdir())
    assert files
    for f in files:
        relative = f.relative_to(ROOT / "claims").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_patterns_built_from_word_lists_still_cover_every_entry():
    for word in C.NUMBER_WORDS:
        assert C._NUM.fullmatch(word), word
    for word in C.ORDINALS:
        assert C._NUM.fullmatch(word), word
    for word in C.NEGATORS:
        assert C._HARD_NEG.fullmatch(word), word


# ---------------------------------------------------------------- negation


@pytest.mark.parametrize(
    "claim",
    [
        "Belarus had no direct military involvement in the invasion.",
        "Belarus lacked direct involvement in the invasion.",
        "Lukashenko stressed the avoidance of direct involvement in the invasion.",
        "Belarus stayed without direct involvement in the invasion.",
    ],
)
def test_two_ways_of_saying_not_involved_are_no_negation_conflict(claim):
    assert C.negation_conflict(claim, "Belarus was not directly involved in the invasion.") is None


@pytest.mark.parametrize(
    "claim, source",
    [
        ("The police chief attended the meeting.", "The police chief did not attend the meeting."),
        ("The police chief did not attend the meeting.", "The police chief attended the meeting."),
        ("The council refused to approve the budget.", "The council approved the budget."),
        ("The report found a lack of funding for schools.", "The schools received new funding."),
    ],
)
def test_a_predicate_negated_in_one_text_and_asserted_in_the_other_is_a_conflict(claim, source):
    assert C.negation_conflict(claim, source) is not None


def test_a_negation_reaches_no_further_than_its_clause():
    source = "Without warning, the storm hit the town."
    assert C.negated_stems(source) == {C.stem("warning")}
    assert C.negation_conflict("The storm hit the town.", source) is None


# ---------------------------------------------------------------- numbers and times


def values(text):
    return [q.value for q in C.quantities(text)]


def one_quantity(text):
    [q] = C.quantities(text)
    return q


def same(claim, source):
    return C.consistent(one_quantity(claim), one_quantity(source))


TIME_SPELLINGS = [
    "at 12.51pm",
    "at 12:51 p.m.",
    "at 12:51pm",
    "at 12.51 pm",
    "at 12:51 PM",
    "at 12:51 P.M. on Friday",
    "at 12.51 p. m.",
]


def test_a_time_written_12_51pm_is_the_time_written_12_51_p_m():
    assert same("at 12.51pm", "at 12:51 p.m.")


@pytest.mark.parametrize("claim", TIME_SPELLINGS)
@pytest.mark.parametrize("source", TIME_SPELLINGS)
def test_every_common_spelling_of_a_time_is_the_same_time(claim, source):
    assert same(claim, source)


def test_a_time_is_one_quantity_and_never_the_decimal_12_51():
    for text in TIME_SPELLINGS:
        q = one_quantity(text)
        assert q.value != 12.51 and not isinstance(q.value, float), text
        assert not C.consistent(q, one_quantity("a rate of 12.51 percent"))
        assert not C.consistent(q, one_quantity("a score of 12.51"))
        assert not C.consistent(one_quantity("about 12.5 points"), q)


def test_a_time_is_shown_as_written():
    assert one_quantity("at 12.51pm, police said").text == "12.51pm"
    assert one_quantity("at 12:51 p.m. on Friday").text == "12:51 p.m."


def test_a_time_without_a_m_or_p_m_matches_either_reading():
    # "between 12:51 and 1:15 p.m.": the p.m. written once stands for both times
    unmarked = one_quantity("at 12:51, police said")
    assert C.consistent(unmarked, one_quantity("at 12:51 p.m."))
    assert C.consistent(one_quantity("at 12:51 p.m."), unmarked)
    assert C.consistent(unmarked, one_quantity("at 12:51 a.m."))
    [first, second] = C.quantities("between 12:51 and 1:15 p.m.")
    assert C.consistent(one_quantity("at 12.51pm"), first)
    assert C.consistent(one_quantity("at 1.15pm"), second)


def test_different_times_are_different():
    assert not same("at 12:51 p.m.", "at 12:51 a.m.")
    assert not same("at 12:51 p.m.", "at 12:52 p.m.")
    assert not same("at 12:51", "at 1:51 p.m.")
    assert not same("at 3pm", "at 3am")


def test_24_hour_times_and_whole_hours_are_clock_times():
    assert same("at 15:05", "at 3:05 p.m.")
    assert same("at 00:30", "at 12:30 am")
    assert same("at 3pm", "at 3:00 p.m.")
    assert same("at 3 PM", "at 15:00")
    assert not same("at 15:05", "at 3:05 a.m.")


def test_a_decimal_is_still_a_decimal_and_am_is_still_a_word():
    assert values("inflation was 12.51 last year") == [12.51]
    assert values("a 3.5m contract") == [3.5e6]
    assert values("a 3.5pc rise") == [3.5]
    assert values("ratio of 3:1") == [3.0, 1.0]
    assert values("5 amps and 6 Amazon parcels") == [5.0, 6.0]
    assert values("at 3 a month") == [3.0]


def test_two_times_in_close_sentences_share_a_noun_so_a_different_one_is_a_mismatch():
    assert one_quantity("at 12:51 p.m. on Friday").noun == one_quantity("at 1.15pm").noun


def test_spelled_out_seventy_five_is_75():
    for text in ("seventy-five people", "seventy five people", "Seventy-Five people"):
        assert values(text) == [75.0], text


def test_spelled_out_hundreds_and_compounds_are_one_number():
    assert values("two hundred people") == [200.0]
    assert values("one hundred and twenty-five people") == [125.0]
    assert values("a hundred and fifty people") == [150.0]
    assert values("fifteen hundred people") == [1500.0]
    assert values("three hundred thousand people") == [300_000.0]
    assert values("two million five hundred thousand people") == [2_500_000.0]
    assert values("two and a half million people") == [2_500_000.0]
    assert same("two hundred people", "200 people")
    assert one_quantity("two hundred people").text == "two hundred people"


def test_spelled_numbers_that_are_not_one_number_stay_apart():
    assert values("seventy and eighty people") == [70.0, 80.0]
    assert values("from seventy to eighty people") == [70.0, 80.0]
    assert values("one, two, three") == [2.0, 3.0]  # a bare "one" is a pronoun
    assert values("two hundred and counting") == [200.0]
    assert values("one two three four") == [1.0, 2.0, 3.0, 4.0]
    assert values("five six people") == [5.0, 6.0]
    assert 3.0 not in values("two one-hour meetings")


def test_millions_with_a_decimal_are_millions():
    assert values("1.5 million people") == [1_500_000.0]
    assert values("1.5m people") == [1_500_000.0]
    assert values("1,500,000 people") == [1_500_000.0]
    assert same("1.5 million people", "1,500,000 people")
    assert same("two and a half million people", "2.5 million people")


def test_a_compound_ordinal_is_one_ordinal():
    q = one_quantity("the twenty-first century")
    assert (q.value, q.ordinal) == (21.0, True)
    assert same("the twenty-first century", "the 21st century")


@pytest.mark.parametrize(
    "claim",
    ["75 people", "about 75 people", "more than 70 people", "nearly 80 people", "70 people"],
)
def test_a_value_inside_a_range_is_consistent_with_it(claim):
    assert same(claim, "between 70 and 80 people")


@pytest.mark.parametrize("claim", ["90 people", "more than 85 people", "fewer than 60 people"])
def test_a_value_outside_a_range_is_not(claim):
    assert not same(claim, "between 70 and 80 people")


@pytest.mark.parametrize(
    "claim, source",
    [("97 percent", "97.1%"), ("about 30 percent", "26%"), ("75 people", "75.3 people")],
)
def test_a_rounded_or_approximate_figure_is_consistent_with_the_exact_one(claim, source):
    assert same(claim, source)


@pytest.mark.parametrize(
    "claim, source", [("9 percent", "6 percent"), ("27 percent", "27.6%"), ("75", "75%")]
)
def test_a_different_percentage_is_not(claim, source):
    assert not same(claim, source)


def test_a_portfolio_makes_an_office_of_its_own():
    roles = C.role_mentions("According to Foreign Minister Clara Wendt, he paid four people.")
    assert roles == {"wendt": ("foreign minister", "Foreign Minister Clara Wendt")}
    assert not C.same_office("foreign minister", "interior minister")
    assert C.same_office("minister", "interior minister")
    assert C.same_office("interior minister", "minister")
    assert not C.same_office("deputy mayor", "mayor")
    assert C.same_office("defence minister", "defence minister")


def test_a_range_is_one_quantity_shown_whole():
    q = one_quantity("between 70 and 80 people were hurt")
    assert (q.value, q.high, q.text) == (70.0, 80.0, "between 70 and 80 people")
    assert same("between 70 and 80 people", "75 people")
    assert not same("between 70 and 80 people", "85 people")
    assert same("between seventy and eighty people", "between 70 and 80 people")


@pytest.mark.parametrize(
    ("claim", "source", "expected"),
    [
        ("about 75 people", "75 people", True),
        ("about 75 people", "80 people", True),
        ("nearly 80 people", "75 people", True),
        ("75 people", "nearly 80 people", True),
        ("about 75 people", "100 people", False),
        ("more than 70 people", "75 people", True),
        ("more than 70 people", "65 people", False),
        ("fewer than 80 people", "75 people", True),
        ("fewer than 80 people", "85 people", False),
        ("75 people", "more than 70 people", True),
        ("65 people", "more than 70 people", False),
        ("75 people", "fewer than 80 people", True),
        ("85 people", "fewer than 80 people", False),
        ("75 people", "80 people", False),
        # "as many as 80" is a ceiling, not a floor: 100 is not within it
        ("100 people", "as many as 80 people", False),
        ("75 people", "as many as 80 people", True),
        ("75 people", "some 80 people", True),
        # far inside a bound the source allows the claim but does not back it
        ("27 bison", "fewer than 1,000 bison", False),
        ("2 days", "below 40 days", False),
        ("100 people", "more than 70 people", False),
    ],
)
def test_approximations_and_bounds_hold_the_values_inside_them(claim, source, expected):
    assert same(claim, source) is expected


# ---------------------------------------------------------------- function words and names

OPENERS = [
    "About",
    "After",
    "Despite",
    "However",
    "Meanwhile",
    "According",
    "Although",
    "While",
    "During",
    "Since",
    "Among",
    "Nevertheless",
    "Notably",
    "Nearly",
    "Between",
    "Throughout",
]


@pytest.mark.parametrize("opener", OPENERS)
def test_a_capitalised_function_word_is_not_an_entity(opener):
    text = f"{opener} the talks in Minsk, Zelensky met Putin."
    assert C.entities(text) == ["Minsk", "Zelensky", "Putin"]
    assert C.entity_tokens(text) == {"minsk", "zelensky", "putin"}


def test_no_function_word_of_any_list_is_an_entity_at_a_sentence_start():
    for word in C.STOPWORDS | C.SENTENCE_OPENERS:
        text = f"{word.capitalize()} it, Zelensky met Putin."
        assert C.entity_tokens(text) == {"zelensky", "putin"}, word


def test_about_opening_a_sentence_is_a_number_qualifier_not_a_name():
    assert C.entities("About 75 people attended the rally.") == []
    assert C.entity_tokens("About 75 people attended the rally.") == set()
    assert one_quantity("About 75 people attended the rally.").qualifier == "about"


def test_it_s_with_a_curly_apostrophe_is_not_the_name_it():
    assert C.entities("It’s a shame, said Zelensky.") == ["Zelensky"]


def test_function_words_are_dropped_from_the_front_of_a_name_but_names_stay():
    assert C.entities("Notably the Kremlin denied it.") == ["Kremlin"]
    assert C.entities("According to Reuters, Lukashenko apologised.") == ["Reuters", "Lukashenko"]
    assert C.entity_tokens("Talks About Peace In Minsk") == {"talks", "peace", "minsk"}


def test_acronyms_that_spell_a_function_word_are_still_names():
    assert C.entity_tokens("US officials met IT staff in the U.S. capital.") == {"us", "it"}


def test_a_function_word_is_never_the_substitute_for_a_missing_name():
    # the capital of a quoted title is no name standing where the claim has Minsk
    claim = "The column ran in Minsk the same day."
    source = 'The column ran in "About the war", a weekly.'
    assert C.substituted_entity(claim, source, ["minsk"], loose=True) is None
    source = "The column ran in Moscow the same day."
    assert C.substituted_entity(claim, source, ["minsk"], loose=True) == ("Moscow", "Minsk")


# ---------------------------------------------------------------- through the engine


def analysis(claim, source):
    """The findings of the explicit checks, for a claim against one source."""
    annotator = get_annotator()
    [reading] = annotator.read([claim], [annotator.prepare_source(source)], verify_all=True)
    return reading.findings


def test_the_engine_never_names_a_sentence_opening_function_word_as_missing():
    a = analysis("About 75 people attended the rally in Minsk.", "The rally in Minsk drew 75.")
    assert a.entity_missing == ()
    assert a.number_unsupported is None


def test_the_engine_finds_a_time_spelled_differently_in_the_source():
    source = "Police arrived at 12:51 p.m. on Friday, the city said."
    a = analysis("Police arrived at 12.51pm on Friday, the city said.", source)
    assert (a.number, a.number_unsupported) == (None, None)


def test_the_engine_names_a_different_time_as_a_number_mismatch():
    source = "Police arrived at 12:51 p.m. on Friday, the city said."
    a = analysis("Police arrived at 1.15pm on Friday, the city said.", source)
    assert a.number == ("12:51 p.m.", "1.15pm")


# ---------------------------------------------------------------- subjectivity cues


def test_named_acts_are_evaluative_verbs():
    assert C.NAMED_ACTS <= C.EVAL_VERBS


@pytest.mark.parametrize(
    "sentence, verbs",
    [
        ("The apology itself reveals a degree of pragmatism.", ["reveals"]),
        ("This shows how little has changed.", ["shows"]),
        ("Zelensky Reveals Lukashenko’s Apology for Belarus’ Role", []),
        ("Census shows population falling for first time in decades", []),
        ("The minister said the plan, Reyes underscores, is late.", []),
        # a name that is not the verb's subject, and a verb that judges whoever does it
        ("According to Zelensky, reveals more than it hides.", ["reveals"]),
        ("Marta Lindqvist deserves a fair chance.", ["deserves"]),
    ],
)
def test_an_evaluative_verb_reports_an_act_only_with_a_name_as_its_subject(sentence, verbs):
    assert C.evaluative_verbs(sentence) == verbs
    assert C.subjectivity_cues(sentence)["eval_verbs"] == len(verbs)
