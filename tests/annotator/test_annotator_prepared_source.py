"""PreparedSource round trip, corruption handling, and the Annotator contract."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from claims.annotator import (
    Annotator,
    PreparedSource,
    Suggestion,
    get_annotator,
    split_claims,
)

TEXT = "The council approved the budget on Monday.\n\nRead more\n\nThe mayor praised it."


def test_get_annotator_is_cached_per_process():
    assert get_annotator() is get_annotator()
    assert isinstance(get_annotator(), Annotator)
    assert isinstance(get_annotator().version, str) and get_annotator().version


def test_prepared_source_round_trips_through_bytes():
    prepared = get_annotator().prepare_source(TEXT)
    data = prepared.to_bytes()
    again = PreparedSource.from_bytes(data)
    assert again.sentences == prepared.sentences == split_claims(TEXT)
    assert (again.embeddings == prepared.embeddings).all()
    assert again.to_bytes() == data


@pytest.mark.parametrize(
    "mangle",
    [lambda d: b"garbage", lambda d: d[:-7], lambda d: d[:40] + b"x" + d[41:], lambda d: b""],
)
def test_corrupt_prepared_source_bytes_raise_value_error(mangle):
    data = get_annotator().prepare_source(TEXT).to_bytes()
    with pytest.raises(ValueError):
        PreparedSource.from_bytes(mangle(data))


def test_prepared_source_from_another_engine_version_raises_value_error(monkeypatch):
    from claims.annotator import sources

    data = get_annotator().prepare_source(TEXT).to_bytes()
    monkeypatch.setattr(sources, "ENGINE_VERSION", "some-other-engine/9")
    with pytest.raises(ValueError):
        PreparedSource.from_bytes(data)


def test_annotate_returns_one_suggestion_per_claim_in_order():
    annotator = get_annotator()
    source = annotator.prepare_source(TEXT)
    article = (
        "Budget Passes\nThe council approved the budget on Monday. It is a bold and welcome step."
    )
    suggestions = annotator.annotate(article, [source])
    claims = split_claims(article)
    assert [(s.start, s.end, s.text) for s in suggestions] == [
        (c.start, c.end, c.text) for c in claims
    ]
    assert all(isinstance(s, Suggestion) for s in suggestions)


def test_annotating_an_empty_article_gives_no_suggestions():
    assert get_annotator().annotate("", []) == []


def test_an_empty_source_is_harmless():
    annotator = get_annotator()
    empty = annotator.prepare_source("")
    assert PreparedSource.from_bytes(empty.to_bytes()).sentences == []
    [s] = annotator.annotate("The council approved the budget on Monday.", [empty])
    assert s.label == "disputed" and s.reason_code == "no-sources"  # nothing to check against


def test_prepared_source_keeps_non_ascii_text_exactly():
    text = "Zelensky’s “apology” — São Paulo, Ünye and Łódź. Ĉu ne? 東京 is far."
    prepared = get_annotator().prepare_source(text)
    again = PreparedSource.from_bytes(prepared.to_bytes())
    assert again.sentences == prepared.sentences
    for s in again.sentences:
        assert text[s.start : s.end] == s.text


def test_the_engine_package_imports_no_django():
    package = Path(__file__).resolve().parents[2] / "claims" / "annotator"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path.name


def test_concurrent_annotation_from_threads_gives_the_same_results():
    annotator = get_annotator()
    source = annotator.prepare_source(TEXT)
    article = "The council approved the budget on Monday. The mayor praised it warmly."
    expected = annotator.annotate(article, [source])
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: annotator.annotate(article, [source]), range(8)))
    for result in results:
        assert [(s.label, s.reason_code) for s in result] == [
            (s.label, s.reason_code) for s in expected
        ]
