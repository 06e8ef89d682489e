"""The annotator: claims of an article labelled against prepared source articles.

For each claim: its embedding finds the nearest source sentences (``retrieval``); the
opinion classifier reads the sentence alone; the verifier reads the claim with each piece
of evidence (``classifiers``); the explicit checks compare it with the evidence the verifier
chose (``analysis``); ``decision`` turns that into a label, a calibrated confidence and a
reason, with every learned number from ``config.json``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from . import checks as C
from .analysis import check
from .classifiers import Classifier
from .config import Config
from .decision import Evidence, Reading, decide, is_opinion, set_context
from .embed import MODELS_DIR, Embedder, to_int8
from .retrieval import candidates, units
from .segment import MAX_CLAIM_CHARS, Sentence, paragraph_numbers, split_claims
from .sources import ENGINE_VERSION, PreparedSource, SourceIndex

LABELS = ("sourced", "disputed", "opinion")
# From this many claims on, an upload is read as an article (each sentence in its paragraph's
# context); shorter texts are read claim by claim, as claims checked on their own are.
ARTICLE_CLAIMS = 3
# Sentences embedded per step, so a deadline is checked between steps.
_ENCODE_STEP = 256


@dataclass(frozen=True)
class Limits:
    """What one pre-annotation may take on: the host application sets these."""

    claim_chars: int = MAX_CLAIM_CHARS  # longer sentences are cut, and say so
    claims: int = 1000  # per article (and per source)
    seconds: float | None = None  # for one annotate() call, sources included


class AnnotationLimit(ValueError):
    """An input past a limit; the message says which, for the editor."""


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    label: str
    confidence: float
    reason_code: str
    reason: str
    evidence: tuple[Evidence, ...]
    # The claim's sentence embedding as int8 bytes (DIM of them), kept for claim memory.
    embedding: bytes = b""


class Annotator:
    """Labels the claims of an article against prepared sources. Thread-safe."""

    def __init__(self, embedder: Embedder | None = None, config: Config | None = None):
        self.config = config or Config.load()
        models = self.config.models
        self.embedder = embedder or Embedder(MODELS_DIR / models["embedder"]["file"])
        self.opinion = Classifier(
            MODELS_DIR / models["opinion"]["file"], models["opinion"]["max_tokens"]
        )
        self.verifier = Classifier(
            MODELS_DIR / models["verifier"]["file"], models["verifier"]["max_tokens"]
        )
        self.version = ENGINE_VERSION

    def prepare_source(
        self, text: str, limits: Limits = Limits(), deadline: float | None = None
    ) -> PreparedSource:
        """A source split and embedded; ``deadline`` is a time.monotonic() value."""
        sentences = _limited(text, limits, "source")
        return PreparedSource(sentences, self._encode([s.text for s in sentences], deadline))

    def _encode(self, texts: list[str], deadline: float | None) -> np.ndarray:
        parts = []
        for at in range(0, len(texts), _ENCODE_STEP):
            _check(deadline)
            parts.append(self.embedder.encode(texts[at : at + _ENCODE_STEP]))
        return np.concatenate(parts) if parts else self.embedder.encode([])

    def read(
        self,
        claims: Sequence[str],
        sources: Sequence[PreparedSource],
        deadline: float | None = None,
        verify_all: bool = False,
        paragraphs: Sequence[int] | None = None,
    ) -> list[Reading]:
        """Readings of the claims (not split), each with its embedding. ``paragraphs`` numbers
        the paragraph of each claim (none: each claim is read alone). The verifier reads only
        claims that are not opinion (``verify_all`` reads every one, for training)."""
        embs = self._encode(list(claims), deadline)
        _check(deadline)
        p_opinion = self.opinion.probabilities(list(claims))[:, 1]
        index = SourceIndex(sources)
        readings = []
        for i, text in enumerate(claims):
            cands = candidates(embs[i], C.content_stems(text), sources)
            readings.append(
                Reading(text, C.subjectivity_cues(text), float(p_opinion[i]), embs[i], cands, [])
            )
        if paragraphs is not None:
            set_context(readings, paragraphs, self.config)
        todo = [
            r for r in readings if r.candidates and (verify_all or not is_opinion(r, self.config))
        ]
        for r in todo:
            r.units = units(r.candidates, sources)
        pairs = [(r.text, u.text) for r in todo for u in r.units]
        parts = [np.zeros((0, 3), dtype=np.float32)]
        for at in range(0, len(pairs), _ENCODE_STEP):
            _check(deadline)
            step = pairs[at : at + _ENCODE_STEP]
            parts.append(self.verifier.probabilities([a for a, _ in step], [b for _, b in step]))
        probs = np.concatenate(parts)
        at = 0
        for r in todo:
            r.verdicts = probs[at : at + len(r.units)]
            at += len(r.units)
        for r in readings:
            _check(deadline)
            r.findings = check(r.text, sources, index, r.chosen())
        return readings

    def annotate(
        self,
        text: str,
        sources: Sequence[PreparedSource],
        limits: Limits = Limits(),
        deadline: float | None = None,
    ) -> list[Suggestion]:
        """Suggestions for the claims of ``text``; raises AnnotationLimit past ``limits`` or
        ``deadline`` (a time.monotonic() value; ``limits.seconds`` from now when not given)."""
        if deadline is None and limits.seconds is not None:
            deadline = time.monotonic() + limits.seconds
        claims = _limited(text, limits, "article")
        paragraphs = paragraph_numbers(text, claims) if len(claims) >= ARTICLE_CLAIMS else None
        return self._suggest(claims, sources, deadline, paragraphs)

    def annotate_claim(self, claim: str, sources: Sequence[PreparedSource]) -> Suggestion:
        """One suggestion for a claim given whole, however many sentences it has."""
        start = len(claim) - len(claim.lstrip())
        text = claim.strip()
        return self._suggest([Sentence(start, start + len(text), text)], sources)[0]

    def _suggest(
        self,
        claims: list[Sentence],
        sources: Sequence[PreparedSource],
        deadline: float | None = None,
        paragraphs: Sequence[int] | None = None,
    ) -> list[Suggestion]:
        readings = self.read([c.text for c in claims], sources, deadline, paragraphs=paragraphs)
        out = []
        for c, r in zip(claims, readings, strict=True):
            label, conf, code, reason, ev = decide(r, self.config, sources)
            if c.note:
                reason = f"{reason} {c.note}"
            out.append(
                Suggestion(
                    c.start,
                    c.end,
                    c.text,
                    label,
                    float(min(max(conf, 0.0), 1.0)),
                    code,
                    reason,
                    ev,
                    embedding=to_int8(r.embedding),
                )
            )
        return out

    def annotate_texts(
        self, text: str, sources: Sequence[str], limits: Limits = Limits()
    ) -> list[Suggestion]:
        deadline = None if limits.seconds is None else time.monotonic() + limits.seconds
        prepared = [self.prepare_source(s, limits, deadline) for s in sources]
        return self.annotate(text, prepared, limits, deadline)


def _limited(text: str, limits: Limits, what: str) -> list[Sentence]:
    """The claims of ``text``, or AnnotationLimit when there are more than the limit."""
    claims = split_claims(text, limits.claim_chars, stop_after=limits.claims)
    if len(claims) > limits.claims:
        raise AnnotationLimit(
            f"The {what} has more than {limits.claims:,} sentences to check, the most "
            "pre-annotation takes. Split it into shorter articles."
        )
    return claims


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise AnnotationLimit(
            "Pre-annotation took longer than its time limit and was stopped; nothing was "
            "changed. Shorten the article or its sources, or rerun it when the server is "
            "less busy."
        )


@cache
def get_annotator() -> Annotator:
    """The process-wide annotator (the models load once per worker process)."""
    return Annotator()


def annotate_texts(text: str, sources: Sequence[str]) -> list[Suggestion]:
    return get_annotator().annotate_texts(text, sources)
