"""The lexical checks (claims/annotator/checks.py), one behaviour a test: word lists as data,
numbers and times read as values, function words never taken for names."""

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

from claims.annotator import checks as C

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "claims" / "annotator" / "lexicon"

# public name -> its data file in claims/annotator/lexicon
WORD_LISTS = {
    "STOPWORDS": "stopwords.txt",
    "COMMON_CAPS": "common_caps.txt",
    "ROLE_WORDS": "role_words.txt",
    "HEDGES": "hedges.txt",
    "EVALUATIVE": "evaluative.txt",
    "EVAL_VERBS": "eval_verbs.txt",
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
