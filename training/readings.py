"""The items the decision is fitted on (dev) and measured on (test), read by the engine.

An item is a claim (or a news sentence) with its gold label and its sources:
* tune.jsonl: the claim as a one-sentence article, its source sentences joined as the
  source; gold ``sourced`` / ``disputed``;
* verify.jsonl: up to ``PER_ORIGIN`` claims of each set, the evidence joined as the source;
  ``supports`` is ``sourced``, anything else ``disputed`` (the finer label is kept, to tell
  contradicted from uncovered);
* subj_tune.tsv: the sentence without sources; gold ``opinion`` for SUBJ, ``fact`` for OBJ;
* data/commentary.tsv (the project's own news commentary): the same, origin ``commentary``.
Readings are cached under ``training/runs/`` by a digest of the models, the engine's code and
the commentary, so a second run of ``make eval`` does not read everything again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
from dataclasses import dataclass
from pathlib import Path

from claims.annotator.embed import MODELS_DIR
from claims.annotator.segment import paragraph_numbers, split_claims
from claims.annotator.sources import PreparedSource
from training import datasets as D
from training.datasets import eval_dir, load_pairs, load_subj, load_tune
from training.runs import RUNS
from training.splits import part_of

PER_ORIGIN = int(os.environ.get("FACTCHECK_PER_ORIGIN", "400"))


@dataclass
class Item:
    text: str
    gold: str  # sourced / disputed / opinion / fact
    origin: str
    fine: str  # the set's own label: supports / refutes / nei / not-supports / SUBJ / OBJ
    sources: list[str]


def items(part: str) -> list[Item]:
    out = []
    for r in load_tune(eval_dir()):
        if part_of(r["claim"]) == part:
            fine = "supports" if r["gold"] == "sourced" else "refutes"
            src = "\n".join(s.strip() for s in r["source_sentences"])
            origin = "tune:" + r["origin"].split("/")[0]
            out.append(Item(" ".join(r["claim"].split()), r["gold"], origin, fine, [src]))
    by_origin: dict[str, list[Item]] = {}
    for r in D.verify_rows():
        if part_of(r["claim"]) != part:
            continue
        gold = "sourced" if r["label"] == "supports" else "disputed"
        src = "\n".join(e.strip() for e in r["evidence"])
        item = Item(
            " ".join(r["claim"].split()), gold, r["origin"].split("/")[0], r["label"], [src]
        )
        by_origin.setdefault(item.origin, []).append(item)
    rng = random.Random(5)
    for origin in sorted(by_origin):
        group = by_origin[origin]
        rng.shuffle(group)
        out += group[:PER_ORIGIN]
    sentences = [(s, y, "checkthat") for s, y in load_subj(eval_dir())]
    sentences += [(s, y, "commentary") for s, y in D.load_commentary()]
    for s, y, origin in sentences:
        if part_of(s) == part:
            gold, fine = ("opinion", "SUBJ") if y else ("fact", "OBJ")
            out.append(Item(" ".join(s.split()), gold, origin, fine, []))
    return out


def readings_digest(data: Path = D.COMMENTARY) -> str:
    """Of what a reading depends on: the models, the engine's code and word lists, and the
    data written for the project that is read (the commentary, or the article pairs)."""
    h = hashlib.sha256()
    for path in sorted(data.rglob("*.*")) if data.is_dir() else [data]:
        h.update(path.read_bytes())
    engine = MODELS_DIR.parent
    for path in sorted([*engine.glob("*.py"), *engine.glob("lexicon/*.txt")]):
        h.update(path.read_bytes())
    for path in sorted(MODELS_DIR.glob("*.onnx")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def read(annotator, part: str) -> tuple[list[Item], list, list]:
    """(items, readings, prepared sources of each item) for one part, cached."""
    cache = RUNS / f"readings-{part}-{PER_ORIGIN}-{readings_digest()}.pickle"
    if found := _cached(cache):
        return found

    its = items(part)
    readings, prepared = [], []
    for it in its:
        sources = [annotator.prepare_source(s) for s in it.sources]
        [reading] = annotator.read([it.text], sources, verify_all=True)
        readings.append(reading)
        prepared.append(sources)
    _cache(cache, its, readings, prepared)
    return its, readings, prepared


def _cached(cache):
    if not cache.exists():
        return None
    its, readings, blobs, *rest = pickle.loads(cache.read_bytes())
    return its, readings, [[PreparedSource.from_bytes(b) for b in bs] for bs in blobs], *rest


def _cache(cache, its, readings, prepared, *rest) -> None:
    RUNS.mkdir(exist_ok=True)
    blobs = [[p.to_bytes() for p in sources] for sources in prepared]
    cache.write_bytes(pickle.dumps((its, readings, blobs, *rest)))


def read_pairs(annotator, part: str) -> tuple[list[Item], list, list, list[tuple[str, int]]]:
    """The article pairs of one part, read as the product reads uploads: each derived
    article's sentences in their paragraphs against the report (origin ``pairs``, ``fine``
    the sentence's kind), and the report itself as an article without sources, all of it
    fact (origin ``pairs-report``). Returns (items, readings, prepared sources, (article,
    paragraph) of each); cached like ``read``. A sentence's paragraph context is that of
    the config read with: ``training.train.set_contexts`` sets it for another."""
    cache = RUNS / f"pairs-{part}-{readings_digest(D.PAIRS)}.pickle"
    if found := _cached(cache):
        return found
    its, readings, prepared, where = [], [], [], []
    for pair in load_pairs():
        if part_of(pair.name) != part:
            continue
        report = [annotator.prepare_source(pair.report)]
        for name, text, sources in (
            (pair.name, pair.commentary, report),
            (f"{pair.name}/report", pair.report, []),
        ):
            claims = split_claims(text)
            paragraphs = paragraph_numbers(text, claims)
            texts = [c.text for c in claims]
            for c, r, paragraph in zip(
                claims,
                annotator.read(texts, sources, verify_all=True, paragraphs=paragraphs),
                paragraphs,
                strict=True,
            ):
                if not sources:
                    its.append(Item(c.text, "fact", "pairs-report", "report", []))
                elif found := pair.label_of(c.text):
                    its.append(Item(c.text, found[0], "pairs", found[1], [pair.report]))
                else:
                    raise SystemExit(f"{pair.name}: no label for the sentence {c.text!r}")
                readings.append(r)
                prepared.append(sources)
                where.append((name, paragraph))
    _cache(cache, its, readings, prepared, where)
    return its, readings, prepared, where
