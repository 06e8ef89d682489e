"""Retrieval: the source sentences worth reading against a claim, and the pieces of
evidence the verifier reads (single sentences and one two-sentence window)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .sources import PreparedSource

PER_SOURCE = 8  # nearest sentences of each source considered
UNITS = 2  # single sentences the verifier reads per claim (plus one window)
# A source this short is also read whole (the answers of a fact-check, a short report).
WHOLE_SENTENCES, WHOLE_CHARS = 6, 700


@dataclass(frozen=True)
class Candidate:
    source: int
    sentence: int
    score: float  # what they are ranked by: meaning and shared content words
    cos: float
    cover: float  # share of the claim's content words the sentence has


@dataclass(frozen=True)
class Unit:
    """A piece of evidence for the verifier: one sentence, or two neighbours together."""

    text: str
    candidate: Candidate  # the retrieved sentence it starts with
    sentences: tuple[int, ...]  # indices in that candidate's source


def candidates(
    emb: np.ndarray, claim_stems: set[str], sources: Sequence[PreparedSource]
) -> list[Candidate]:
    out = []
    for si, src in enumerate(sources):
        if not src.sentences:
            continue
        facts = src.facts()
        sims = src.matrix @ emb
        if src.has_title:
            sims[0] = -1.0
        k = min(len(sims), PER_SOURCE)
        for j in np.argpartition(-sims, k - 1)[:k]:
            if sims[j] <= -1.0:
                continue
            cover = len(claim_stems & facts[j]["stems"]) / max(len(claim_stems), 1)
            cos = float(sims[j])
            out.append(Candidate(si, int(j), 0.75 * cos + 0.25 * cover, cos, cover))
    out.sort(key=lambda c: -c.score)
    return out


def units(cands: list[Candidate], sources: Sequence[PreparedSource]) -> list[Unit]:
    """The best UNITS sentences, the best one read with its next sentence (a claim often
    joins what a source says in two), and the best one's source whole when it is short."""
    top = cands[:UNITS]
    out = [Unit(sources[c.source].sentences[c.sentence].text, c, (c.sentence,)) for c in top]
    if top:
        best = top[0]
        sentences = sources[best.source].sentences
        j = best.sentence
        short = sum(len(x.text) for x in sentences) <= WHOLE_CHARS
        if 2 < len(sentences) <= WHOLE_SENTENCES and short:
            # checks still compare the claim with the best sentence only
            out.append(Unit(" ".join(x.text for x in sentences), best, (j,)))
        elif j + 1 < len(sentences):
            text = f"{sentences[j].text} {sentences[j + 1].text}"
            out.append(Unit(text, best, (j, j + 1)))
    return out
