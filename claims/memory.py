"""Claim memory: what editors decided on the same claim, or one alike, in other articles.

Three kinds of match, strongest first:
* the same wording (the same words; case, spacing and punctuation aside): the only kind that
  becomes a suggestion (reason code `decided-before`);
* a near-same wording (difflib ratio of the normalised texts at least NEAR_WORDING), found on
  PostgreSQL through a pg_trgm GIN index (claims with its three longest words, else with two of
  them, ranked by trigram similarity), on SQLite among the RECENT latest decisions;
* alike in meaning (cosine of the stored sentence embeddings at least ALIKE), among at most
  SCAN decided claims of the same few embedding cells.
"Turnout rose sharply" and "Turnout fell sharply" are 0.90 alike by difflib, and the embedder
puts "rose" and "fell" at cosine 0.90: near and alike matches are shown for the editor to
judge and never become suggestions.

Each lookup is bounded whatever the number of decided claims: one indexed query for the
wording (on PostgreSQL a second when the first finds nothing) and, on PostgreSQL, one for the
meaning (and one for the details of what is alike).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import Case, Q, QuerySet, When

from claims.annotator import Suggestion
from claims.annotator.embed import DIM
from claims.models import Claim, Label

REASON_CODE = "decided-before"
NEAR_WORDING = 0.9
ALIKE = 0.85
# pg_trgm similarity at which a decided claim is a candidate for the difflib check (and
# pg_trgm.similarity_threshold, set in settings.py, for `%` on short claims).
TRIGRAM_CANDIDATE = 0.6
DISTINCTIVE = 3
CANDIDATES = 10
# Embedding cells: the sign pattern of CELL_BITS fixed random projections (random-hyperplane
# hashing). A lookup reads the claim's cell and PROBES neighbours across its least sure bits.
CELL_BITS = 14
PROBES = 8
SCAN = 400
RECENT = 300
SHOWN = 3
# A remembered decision's confidence as a suggestion: an editor's call on the same words
# about another article (whose sources may differ).
CONFIDENCE = 0.9
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Recalled:
    """A decided claim of another article, and how it matches."""

    claim: Claim
    kind: str  # "same", "near" (wording) or "alike" (meaning)
    score: float

    @property
    def suggests(self) -> bool:
        return self.kind == "same"


def normalised(text: str) -> str:
    """Words only, case-folded: punctuation, spacing and quote styles do not tell claims apart."""
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def wording_ratio(a: str, b: str) -> float:
    """How alike two wordings are, 0 to 1 (difflib on the normalised texts)."""
    matcher = difflib.SequenceMatcher(None, normalised(a), normalised(b), autojunk=False)
    if matcher.real_quick_ratio() < NEAR_WORDING or matcher.quick_ratio() < NEAR_WORDING:
        return min(matcher.quick_ratio(), NEAR_WORDING - 0.01)  # cheap upper bounds first
    return matcher.ratio()


@cache
def _planes() -> np.ndarray:
    return np.random.default_rng(20261205).standard_normal((CELL_BITS, DIM)).astype(np.float32)


def _vector(embedding: bytes) -> np.ndarray:
    return np.frombuffer(bytes(embedding), dtype=np.int8).astype(np.float32)


def cell_of(embedding: bytes) -> int:
    bits = _planes() @ _vector(embedding) > 0
    return int(np.dot(bits, 1 << np.arange(CELL_BITS)))


def probe_cells(embedding: bytes) -> list[int]:
    """The embedding's cell, then the cells across each of its PROBES least sure bits."""
    projections = _planes() @ _vector(embedding)
    cell = cell_of(embedding)
    return [cell] + [cell ^ (1 << int(bit)) for bit in np.argsort(np.abs(projections))[:PROBES]]


def cosines(query: bytes, embeddings: Sequence[bytes]) -> np.ndarray:
    matrix = np.frombuffer(b"".join(bytes(e) for e in embeddings), dtype=np.int8)
    matrix = matrix.reshape(-1, DIM).astype(np.float32)
    q = _vector(query)
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(q)
    return matrix @ q / np.clip(norms, 1e-9, None)


def _decided(*, article_id: int) -> QuerySet[Claim]:
    """Decided claims of other articles, with what the panel shows about them."""
    return (
        Claim.objects.exclude(verdict="")
        .exclude(article_id=article_id)
        .select_related("article", "decided_by")
        .only(
            "pk",
            "article_id",
            "text",
            "verdict",
            "note",
            "decided_at",
            "embedding",
            "article__title",
            "decided_by__username",
        )
    )


def distinctive_words(text: str) -> list[str]:
    """The claim's DISTINCTIVE longest words: likely rare, so their trigrams are selective."""
    words = {word for word in WORD.findall(text.lower()) if len(word) >= 4}
    return sorted(words, key=lambda word: (-len(word), word))[:DISTINCTIVE]


def _on_postgresql() -> bool:
    return connections[Claim.objects.db].vendor == "postgresql"


def _wording_candidates(text: str, *, article_id: int) -> list[Claim]:
    found = list(wording_query(text, article_id=article_id))
    if not found and _on_postgresql() and len(distinctive_words(text)) == DISTINCTIVE:
        # None has all of its longest words: one of them may be what changed.
        found = list(wording_query(text, article_id=article_id, all_words=False))
    return found


def wording_query(text: str, *, article_id: int, all_words: bool = True) -> QuerySet[Claim]:
    """Decided claims that may have the same or a near-same wording: on PostgreSQL those the
    trigram index finds; on SQLite the exact ones (indexed) and the RECENT latest decisions."""
    key = text.lower()
    decided = _decided(article_id=article_id)
    if _on_postgresql():
        words = distinctive_words(text)
        if len(words) < 2:  # a short claim: few trigrams, so `%` itself is quick
            near = Q(text_key__trigram_similar=key)
        elif all_words:
            # The claim's longest words (likely its rarest) as LIKEs, which the trigram index
            # answers from their trigrams alone. (`%` on a whole sentence reads the posting
            # lists of all its common trigrams: ~300 ms at 200,000 claims.)
            near = Q()
            for word in words:
                near &= Q(text_key__contains=word)
        else:  # any two of them
            near = Q()
            for a, b in combinations(words, 2):
                near |= Q(text_key__contains=a) & Q(text_key__contains=b)
        # At most SCAN of them are ranked, however common the words turn out to be.
        found = (
            Claim.objects.exclude(verdict="")
            .exclude(article_id=article_id)
            .filter(near)
            .order_by()
            .values("pk")[:SCAN]
        )
        return (
            decided.filter(pk__in=found)
            .annotate(trigram=TrigramSimilarity("text_key", key))
            .filter(trigram__gte=TRIGRAM_CANDIDATE)
            .order_by("-trigram", "-decided_at")[:CANDIDATES]
        )
    recent = (
        Claim.objects.exclude(verdict="")
        .exclude(article_id=article_id)
        .order_by("-decided_at", "-pk")
        .values("pk")[:RECENT]
    )
    return (
        decided.filter(Q(text_key=key) | Q(pk__in=recent))
        .alias(exact=Case(When(text_key=key, then=1), default=0))
        .order_by("-exact", "-decided_at", "-pk")[: RECENT + CANDIDATES]
    )


def meaning_query(embedding: bytes, *, article_id: int) -> QuerySet[Claim]:
    """At most SCAN decided claims of the embedding's cells (PostgreSQL): ids and embeddings."""
    cells = probe_cells(embedding)
    # Unordered, so the scan stops at SCAN rows however full the cells are.
    decided = Claim.objects.exclude(verdict="").exclude(article_id=article_id)
    return decided.filter(embedding_cell__in=cells).order_by().values_list("pk", "embedding")[:SCAN]


def _alike(embedding: bytes | None, *, article_id: int, read: list[Claim]) -> list[Recalled]:
    """Decided claims alike in meaning (cosine at least ALIKE), closest first: on PostgreSQL
    among at most SCAN of the embedding's cells, their details read only for the alike ones;
    on SQLite among those already `read` (the recent decisions)."""
    if not embedding:
        return []
    if not _on_postgresql():
        return by_meaning(embedding, [claim for claim in read if claim.embedding])
    rows = list(meaning_query(embedding, article_id=article_id))
    if not rows:
        return []
    scores = cosines(embedding, [vector for _, vector in rows])
    alike = {
        pk: float(score) for (pk, _), score in zip(rows, scores, strict=True) if score >= ALIKE
    }
    if not alike:
        return []
    found = _decided(article_id=article_id).filter(pk__in=alike)
    return sorted(
        (Recalled(claim, "alike", alike[claim.pk]) for claim in found), key=lambda r: -r.score
    )


def by_wording(text: str, candidates: Sequence[Claim]) -> list[Recalled]:
    """The candidates with the same or a near-same wording as `text`, closest first."""
    words = normalised(text)
    found: dict[int, Recalled] = {}
    for claim in candidates:
        if claim.pk in found:
            continue
        if normalised(claim.text) == words:
            found[claim.pk] = Recalled(claim, "same", 1.0)
        elif (ratio := wording_ratio(claim.text, text)) >= NEAR_WORDING:
            found[claim.pk] = Recalled(claim, "near", ratio)
    return sorted(found.values(), key=lambda r: (-r.score, -r.claim.decided_at.timestamp()))


def by_meaning(embedding: bytes, candidates: Sequence[Claim]) -> list[Recalled]:
    """The candidates alike in meaning (cosine at least ALIKE), closest first."""
    if not candidates:
        return []
    scores = cosines(embedding, [claim.embedding for claim in candidates])
    alike = [
        Recalled(claim, "alike", float(score))
        for claim, score in zip(candidates, scores, strict=True)
        if score >= ALIKE
    ]
    return sorted(alike, key=lambda r: -r.score)


def recall(claim: Claim) -> list[Recalled]:
    """What the claim panel shows: decisions on the same or near-same wording, then on claims
    alike in meaning. Whatever the number of decided claims: one query on SQLite; on
    PostgreSQL two to four (see the module's docstring)."""
    read = _wording_candidates(claim.text, article_id=claim.article_id)
    found = by_wording(claim.text, read)
    seen = {r.claim.pk for r in found}
    alike = _alike(claim.embedding, article_id=claim.article_id, read=read)
    found += [r for r in alike if r.claim.pk not in seen]
    return found[:SHOWN]


def remembered_suggestions(
    *, article_id: int, suggestions: Sequence[Suggestion]
) -> list[Suggestion]:
    """The suggestions, each taken from the latest decision in another article on the same
    text (case aside) where there is one (reason code `decided-before`); one query for the
    whole article. Near and meaning matches never suggest."""
    keys = {suggestion.text.lower() for suggestion in suggestions}
    latest: dict[str, Claim] = {}
    decided = _decided(article_id=article_id).filter(text_key__in=keys)
    for claim in decided.order_by("-decided_at", "-pk"):
        latest.setdefault(claim.text.lower(), claim)
    return [
        _from_decision(suggestion, earlier)
        if (earlier := latest.get(suggestion.text.lower()))
        else suggestion
        for suggestion in suggestions
    ]


def _from_decision(suggestion: Suggestion, earlier: Claim) -> Suggestion:
    who = earlier.decided_by.get_username() if earlier.decided_by else "a removed user"
    when = f"{earlier.decided_at:%-d %b %Y}" if earlier.decided_at else "an earlier date"
    return dataclasses.replace(
        suggestion,
        label=earlier.verdict,
        confidence=CONFIDENCE,
        reason_code=REASON_CODE,
        reason=(
            f"{who} decided this wording {Label(earlier.verdict).label.lower()} "
            f"in “{earlier.article.title}” on {when}."
        ),
    )
