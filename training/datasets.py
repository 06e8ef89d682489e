"""The examples the two fine-tuned models learn from, built from ``../shared`` by split.

Verifier pairs: (claim, evidence, the labels the pair may have, weight), with labels among
``VERIFY_LABELS``. ``not-supports`` (entailment-vs-not data) allows both ``refutes`` and
``nei``: the loss is the probability of either, so the set teaches "not supported" without
pretending to know which. Opinion sentences: (sentence, 1 if opinion, weight).
Nothing here is written to disk.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claims.annotator.checks import STOPWORDS
from training.splits import part_of

EVAL_DIR_ENV = "FACTCHECK_EVAL_DIR"


def eval_dir() -> Path:
    env = os.environ.get(EVAL_DIR_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def require_eval_dir() -> Path:
    d = eval_dir()
    if not (d / "tune.jsonl").is_file() or not (d / "subj_tune.tsv").is_file():
        sys.exit(
            f"Evaluation data not found in {d} (expected tune.jsonl and subj_tune.tsv).\n"
            f"Put the shared data beside the repository (../shared/eval) or set {EVAL_DIR_ENV}."
        )
    return d


def load_tune(d: Path) -> list[dict]:
    with open(d / "tune.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_subj(d: Path) -> list[tuple[str, int]]:
    with open(d / "subj_tune.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["sentence"], 1 if r["label"].strip() == "SUBJ" else 0) for r in rows]


VERIFY_LABELS = ("supports", "refutes", "nei")
LABEL_SETS = {
    "supports": (1.0, 0.0, 0.0),
    "refutes": (0.0, 1.0, 0.0),
    "nei": (0.0, 0.0, 1.0),
    "not-supports": (0.0, 1.0, 1.0),
}
# Contradictions are the rarest label and the one editors most need found.
LABEL_WEIGHTS = {"supports": 1.0, "refutes": 1.5, "nei": 1.0, "not-supports": 1.0}
# Of fnc-1's 7,389 "discuss or unrelated" headline pairs, enough to teach what a
# non-committal body looks like without drowning the rest.
FNC_NEI_KEEP = 0.3
# For this share of pairs, the claim is also paired with another item's evidence of the
# same set (a topical sentence that does not cover it): "nei".
SWAP_SHARE = 0.1
TRAIN_DIR_ENV = "FACTCHECK_TRAIN_DIR"
# News commentary's analysis and plain reports, written for this project (data/README.md).
COMMENTARY = Path(__file__).with_name("data") / "commentary.tsv"
# Reports with a commentary derived from each, every commentary sentence labelled.
PAIRS = Path(__file__).with_name("data") / "pairs"
# Checkable claims the analysis score learns as reports.
ANALYSIS_CLAIMS = 1500

_WORD = re.compile(r"[a-z0-9]+")


def train_dir() -> Path:
    env = os.environ.get(TRAIN_DIR_ENV)
    return Path(env) if env else eval_dir().parent / "train"


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def best_passage(claim: str, passages: list[str]) -> str:
    """The passage sharing most content words with the claim (fnc-1 gives whole bodies)."""
    cw = words(claim)
    return max(passages, key=lambda p: len(cw & words(p)) / (1 + 0.002 * len(p)))


def verify_rows() -> Iterator[dict]:
    path = train_dir() / "verify.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path} not found: put the shared data beside the repository")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def verifier_pairs(part: str, seed: int = 13) -> list[tuple[str, str, tuple, float, str]]:
    """(claim, evidence, label set, weight, origin) for one part of the split."""
    rng = random.Random(seed)
    out = []
    by_origin: dict[str, list[str]] = {}
    for r in verify_rows():
        if part_of(r["claim"]) != part:
            continue
        origin = r["origin"].split("/")[0]
        label = r["label"]
        if origin == "fnc-1":
            if label == "nei" and rng.random() > FNC_NEI_KEEP:
                continue
            evidence = best_passage(r["claim"], r["evidence"])
        else:
            evidence = " ".join(e.strip() for e in r["evidence"])
        out.append((r["claim"], evidence, LABEL_SETS[label], LABEL_WEIGHTS[label], origin))
        by_origin.setdefault(origin, []).append(evidence)
    # AVeriTeC (tune.jsonl only): claim against the fact-checkers' answers, one window.
    # Climate-FEVER rows of tune.jsonl are in verify.jsonl sentence by sentence already.
    for r in load_tune(eval_dir()):
        if part_of(r["claim"]) != part or not r["origin"].startswith("averitec"):
            continue
        label = "supports" if r["gold"] == "sourced" else "refutes"
        evidence = " ".join(s.strip() for s in r["source_sentences"])
        out.append((r["claim"], evidence, LABEL_SETS[label], LABEL_WEIGHTS[label], "averitec"))
    swaps = []
    for claim, _e, _l, _w, origin in out:
        pool = by_origin.get(origin)
        if pool and rng.random() < SWAP_SHARE:
            other = rng.choice(pool)
            if not words(claim) >= words(other):
                swaps.append((claim, other, LABEL_SETS["nei"], 1.0, origin))
    out.extend(swaps)
    rng.shuffle(out)
    return out


def checkable_claims(part: str, seed: int = 13) -> list[str]:
    """The claims of verify.jsonl (not fnc-1's headlines) and tune.jsonl, in an order fixed
    by the seed."""
    claims = sorted(
        {
            r["claim"]
            for r in verify_rows()
            if part_of(r["claim"]) == part and not r["origin"].startswith("fnc-1")
        }
    )
    claims += [r["claim"] for r in load_tune(eval_dir()) if part_of(r["claim"]) == part]
    random.Random(seed).shuffle(claims)
    return claims


def opinion_sentences(part: str, extra_claims: int = 0, seed: int = 13) -> list:
    """(sentence, 1 if opinion, weight, origin): the news sentences of subj_tune.tsv, plus
    ``extra_claims`` checkable claims from the verifier data as facts (weight 0.5), so the
    model also sees the kinds of claim the three-label task asks it not to call opinion."""
    out = [(s, y, 1.0, "checkthat") for s, y in load_subj(eval_dir()) if part_of(s) == part]
    if extra_claims:
        out += [(c, 0, 0.5, "claims") for c in checkable_claims(part, seed)[:extra_claims]]
    return out


def load_commentary() -> list[tuple[str, int]]:
    with open(COMMENTARY, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["sentence"], 1 if r["label"] == "SUBJ" else 0) for r in rows]


def analysis_sentences() -> list[tuple[str, int]]:
    """(sentence, 1 if analysis) for the analysis score, all of the train part: the
    commentary of data/commentary.tsv, the SUBJ news sentences, and checkable claims as
    reports. Not the OBJ news sentences: CheckThat! marks some analysis as objective ("one
    person stands out as the type of politician the party needs"), the commentary does not."""
    commentary = [(s, y) for s, y in load_commentary() if part_of(s) == "train"]
    news = [(s, 1) for s, y in load_subj(eval_dir()) if y and part_of(s) == "train"]
    claims = [(c, 0) for c in checkable_claims("train")[:ANALYSIS_CLAIMS]]
    return commentary + news + claims


@dataclass(frozen=True)
class Pair:
    """A report and a commentary derived from it, with the label of each commentary sentence
    (sourced / disputed / opinion) and its kind (restated, contradicted, interpretation …)."""

    name: str
    report: str
    commentary: str
    labels: tuple[tuple[str, str, str], ...]  # (sentence, label, kind), in order

    def label_of(self, sentence: str) -> tuple[str, str] | None:
        """(label, kind) of a sentence as the engine split it, matched by its words."""
        key = " ".join(sentence.split())
        for text, label, kind in self.labels:
            if " ".join(text.split()) == key:
                return label, kind
        return None


def load_pairs() -> list[Pair]:
    out = []
    for folder in sorted(p for p in PAIRS.iterdir() if p.is_dir()):
        with open(folder / "labels.tsv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        out.append(
            Pair(
                folder.name,
                (folder / "report.txt").read_text(encoding="utf-8"),
                (folder / "commentary.txt").read_text(encoding="utf-8"),
                tuple((r["sentence"], r["label"], r["kind"]) for r in rows),
            )
        )
    return out
