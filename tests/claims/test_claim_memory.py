from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.urls import reverse

from claims import memory, services
from claims.annotator import Suggestion
from claims.annotator.embed import DIM, to_int8
from claims.models import Claim

pytestmark = pytest.mark.django_db

CLAIM = "The council approved the budget on Monday."
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm: run with DATABASE_URL=postgres://…"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM)
    return vector / np.linalg.norm(vector)


def near(vector: np.ndarray, cosine: float, seed: int = 99) -> np.ndarray:
    """A unit vector at `cosine` from `vector`."""
    other = unit(seed)
    other -= other.dot(vector) * vector
    other /= np.linalg.norm(other)
    return cosine * vector + np.sqrt(1 - cosine**2) * other


def near_in_probed_cell(vector: np.ndarray, cosine: float) -> np.ndarray:
    """A vector at `cosine` that the lookup's cells reach (the cells bound the lookup, so a
    neighbour in another cell is missed: an approximate search)."""
    probed = memory.probe_cells(to_int8(vector))
    return next(
        candidate
        for seed in range(1000, 2000)
        if memory.cell_of(to_int8(candidate := near(vector, cosine, seed))) in probed
    )


@pytest.fixture
def decide(make_article, make_claim, other_editor):
    """A claim decided in an article of its own."""

    def make(text: str, *, label="disputed", note="", embedding=None, title="Earlier report"):
        article = make_article(title=title, body=text)
        claim = make_claim(article, text=text)
        if embedding is not None:
            Claim.objects.filter(pk=claim.pk).update(
                embedding=to_int8(embedding), embedding_cell=memory.cell_of(to_int8(embedding))
            )
        claim.set_verdict(label=label, note=note, editor=other_editor)
        return claim

    return make


@pytest.fixture
def current(make_article, make_claim):
    """The claim being reviewed, in a new article."""

    def make(text: str = CLAIM, *, embedding=None):
        article = make_article(title="New article", body=text)
        claim = make_claim(article, text=text)
        if embedding is not None:
            claim.embedding = to_int8(embedding)
            claim.embedding_cell = memory.cell_of(claim.embedding)
            claim.save(update_fields=["embedding", "embedding_cell"])
        return claim

    return make


def panel(client, claim) -> str:
    url = reverse("claims:review", args=[claim.article_id])
    response = client.get(
        url, {"claim": claim.pk}, headers={"HX-Request": "true", "HX-Target": "detail"}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_panel_shows_a_decision_on_the_same_claim_elsewhere_with_a_link(
    viewer_client, decide, current
):
    earlier = decide(CLAIM.upper(), note="The vote was on Tuesday & <b>not</b> Monday")
    html = panel(viewer_client, current())
    assert "Same wording" in html
    assert "<cite>Earlier report</cite>" in html
    assert "second-editor" in html
    assert "The vote was on Tuesday &amp; &lt;b&gt;not&lt;/b&gt; Monday" in html
    link = reverse("claims:review", args=[earlier.article_id]) + f"?claim={earlier.pk}#detail"
    assert f'href="{link}"' in html
    assert 'class="badge label-disputed">disputed' in html


def test_a_claim_never_remembers_its_own_article(viewer_client, make_article, make_claim, editor):
    article = make_article(body=f"{CLAIM} {CLAIM}")
    first = make_claim(article, text=CLAIM)
    first.set_verdict(label="disputed", note="", editor=editor)
    second = Claim.objects.create(
        **{f: getattr(first, f) for f in ("article", "text", "suggested_label", "reason_code")},
        position=2,
        start=len(CLAIM) + 1,
        end=2 * len(CLAIM) + 1,
        confidence=0.5,
        reason="",
    )
    assert memory.recall(second) == []
    assert "Decided before" not in panel(viewer_client, second)


def test_the_same_words_punctuated_differently_are_the_same_wording(decide, current):
    decide("The Council approved the budget -- on Monday!", label="sourced")
    decide("The council rejected a bridge plan in May.", label="opinion")
    [found] = memory.recall(current())
    assert (found.kind, found.claim.verdict, found.suggests) == ("same", "sourced", True)


def test_a_near_same_wording_is_shown_but_never_suggested(viewer_client, decide, current):
    decide("Turnout fell sharply this year.", label="sourced")
    claim = current("Turnout rose sharply this year.")
    [found] = memory.recall(claim)
    assert (found.kind, found.suggests) == ("near", False)
    assert "Nearly the same wording" in panel(viewer_client, claim)
    [suggestion] = memory.remembered_suggestions(
        article_id=claim.article_id, suggestions=[suggest(claim.text)]
    )
    assert suggestion.reason_code == "matches-source"


def test_undecided_and_removed_claims_are_not_remembered(decide, current, editor):
    undone = decide(CLAIM)
    undone.set_verdict(label="", note="", editor=editor)
    removed = decide(CLAIM, label="opinion")
    Claim.objects.filter(pk=removed.pk).update(removed_in_version=2)
    assert memory.recall(current()) == []


def test_alike_in_meaning_is_shown_but_never_suggested(viewer_client, decide, current):
    vector = unit(1)
    alike = near_in_probed_cell(vector, 0.9)
    decide("Turnout fell among young voters.", embedding=alike, label="sourced")
    decide("Bananas are yellow.", embedding=near(vector, 0.2, seed=5), label="opinion")
    claim = current("Fewer young people voted this year.", embedding=vector)
    [found] = memory.recall(claim)
    assert found.kind == "alike" and not found.suggests
    html = panel(viewer_client, claim)
    assert "Alike in meaning" in html and "it is never suggested" in html

    [suggestion] = memory.remembered_suggestions(
        article_id=claim.article_id, suggestions=[suggest(claim.text)]
    )
    assert suggestion.reason_code == "matches-source"


def suggest(text: str, start: int = 0) -> Suggestion:
    return Suggestion(
        start, start + len(text), text, "sourced", 0.6, "matches-source", "Says so.", ()
    )


def test_an_earlier_decision_on_the_wording_becomes_the_suggestion(decide, make_article, editor):
    decide(CLAIM, label="disputed")
    article = make_article(body=f"{CLAIM} Rain is wet.")
    suggestions = memory.remembered_suggestions(
        article_id=article.pk, suggestions=[suggest(CLAIM), suggest("Rain is wet.", 43)]
    )
    services.replace_suggestions(article=article, suggestions=suggestions, sources=[])
    remembered, other = article.claims.all()
    assert (remembered.suggested_label, remembered.reason_code) == ("disputed", "decided-before")
    assert remembered.confidence == 0.9
    assert "second-editor decided this wording disputed in “Earlier report”" in remembered.reason
    assert (other.suggested_label, other.reason_code) == ("sourced", "matches-source")


def test_a_remembered_suggestion_never_overwrites_a_verdict(decide, make_article, editor):
    article = make_article(body=CLAIM)
    services.replace_suggestions(article=article, suggestions=[suggest(CLAIM)], sources=[])
    claim = article.claims.get()
    claim.set_verdict(label="sourced", note="Checked", editor=editor)
    decide(CLAIM, label="disputed")
    suggestions = memory.remembered_suggestions(article_id=article.pk, suggestions=[suggest(CLAIM)])
    services.replace_suggestions(article=article, suggestions=suggestions, sources=[])
    claim.refresh_from_db()
    assert (claim.verdict, claim.note, claim.suggested_label) == ("sourced", "Checked", "disputed")


@pytest.mark.parametrize("decided", [3, 40])
def test_the_lookup_takes_the_same_queries_however_many_claims_are_decided(
    decide, current, django_assert_num_queries, decided
):
    vector = unit(1)
    for n in range(decided):
        decide(f"Claim {n} about the budget.", embedding=near(vector, 0.5, seed=n + 100))
    claim = current(embedding=vector)
    # PostgreSQL: the trigram query with all three longest words, again with any two as it
    # found nothing, and the embedding cells' query (a fourth would read the details of
    # claims alike in meaning: none here); SQLite: one query reads the exact matches and
    # the latest decisions, for both.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 1):
        memory.recall(claim)


@sqlite_only
def test_sqlite_finds_the_same_wording_beyond_the_recent_decisions(decide, current, monkeypatch):
    monkeypatch.setattr(memory, "RECENT", 2)
    oldest_exact = decide(CLAIM, title="Old report")
    oldest_near = decide(CLAIM.replace("Monday", "Monday!"), title="Old near report")
    for n in range(3):
        decide(f"Unrelated claim {n}.")
    found = memory.recall(current())
    assert [r.claim.pk for r in found] == [oldest_exact.pk]  # near is past the window
    assert oldest_near.pk not in [r.claim.pk for r in found]


@postgresql_only
def test_postgresql_finds_near_wording_through_the_trigram_index(
    decide, current, django_assert_num_queries
):
    target = decide("The council approved the budget on Monday night.", label="opinion")
    for n in range(30):
        decide(f"Claim {n}: the mayor opened a school in the north.")
    claim = current()
    with django_assert_num_queries(1):
        [found] = memory.recall(claim)
    assert (found.claim.pk, found.kind) == (target.pk, "near")

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'claim_decided_trgm'")
        [(definition,)] = cursor.fetchall()
    assert "USING gin (text_key gin_trgm_ops)" in definition
    assert "removed_in_version IS NULL" in definition


def test_embeddings_are_stored_int8_with_their_cell(make_article):
    article = make_article(body=CLAIM)
    vector = unit(3)
    suggestion = Suggestion(
        0, len(CLAIM), CLAIM, "sourced", 0.6, "matches-source", "Says so.", (), to_int8(vector)
    )
    services.replace_suggestions(article=article, suggestions=[suggestion], sources=[])
    claim = article.claims.get()
    assert len(claim.embedding) == DIM
    assert claim.embedding_cell == memory.cell_of(to_int8(vector))
    assert memory.cosines(to_int8(vector), [claim.embedding])[0] > 0.999
    probes = memory.probe_cells(to_int8(vector))
    assert probes[0] == claim.embedding_cell and len(set(probes)) == memory.PROBES + 1


def test_pre_annotation_reads_earlier_decisions_in_one_query(
    decide, make_article, django_assert_num_queries
):
    decide(CLAIM, label="opinion")
    article = make_article(body=CLAIM)
    many = [suggest(f"Claim number {n} is here.") for n in range(50)] + [suggest(CLAIM)]
    with django_assert_num_queries(1):
        suggestions = memory.remembered_suggestions(article_id=article.pk, suggestions=many)
    assert [s.reason_code for s in suggestions].count("decided-before") == 1
    assert suggestions[-1].label == "opinion"
