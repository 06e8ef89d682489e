"""Test figures of the shipped engine, and the demo pair claim by claim.

    python -m training.evaluate [--part test|dev] [--reasons]

Reads ../shared (or $FACTCHECK_EVAL_DIR / $FACTCHECK_TRAIN_DIR); exits with a message when
it is absent. Everything is on the test part of the fixed hash split (``training.splits``),
which no model, threshold or calibration map was fitted or chosen on:
* three labels (sourced / disputed / opinion): claims with their sources (tune.jsonl and
  verify.jsonl) and the SUBJ news sentences without sources, as the held-out data is built;
* each origin on its own (sourced vs disputed accuracy);
* opinion vs fact on the news sentences and on the test part of the project's commentary
  (training/data; OBJ/SUBJ macro-F1);
* contradicted vs uncovered, on disputed claims whose set tells the two apart;
* calibration: confidence bins against how often the decision was right;
* the article pairs written for the project: each derived article read whole against its
  report (and each of its sentences on its own, as a baseline), and the reports as articles;
* the demo commentary against the report, with the expected label of each claim.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from claims.annotator.decision import calibration_group, decide
from claims.annotator.engine import get_annotator
from claims.reasons import CONTRADICTED
from training import fit
from training.datasets import require_eval_dir
from training.readings import read, read_pairs
from training.train import THREE, pairs_f1

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "articles" / "demo"
DEMO_GOLD = Path(__file__).with_name("demo_gold.json")


def report(title: str, gold: list, pred: list, labels) -> float:
    f, per = fit.macro_f1(gold, pred, labels)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    per_s = "  ".join(f"{lab}={v:.3f}" for lab, v in per.items())
    print(f"  {title}: macro-F1={f:.3f}  accuracy={acc:.3f}  ({per_s})  n={len(gold)}")
    return f


def calibration_table(conf: np.ndarray, right: np.ndarray) -> None:
    print("  confidence bin   n     mean conf  accuracy")
    edges = fit.CALIBRATION_BINS
    for lo, hi in zip(edges, edges[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        if m.sum():
            print(
                f"  [{lo:.1f}, {min(hi, 1):.1f})     {m.sum():5d}   {conf[m].mean():.3f}"
                f"      {right[m].mean():.3f}"
            )
    print(f"  expected calibration error: {fit.expected_calibration_error(conf, right):.3f}")


def group_calibration(groups: list[str], conf: np.ndarray, right: np.ndarray) -> None:
    for g in sorted(set(groups)):
        m = np.asarray([x == g for x in groups])
        print(
            f"    {g:22s} n={m.sum():5d}  mean confidence {conf[m].mean():.3f}  "
            f"right {right[m].mean():.3f}"
        )


def demo(annotator, show_reasons: bool) -> int:
    """Prints the demo claim by claim; returns how many match the expected label."""
    report_text = (DEMO / "kyiv-independent-lukashenko-apology.txt").read_text(encoding="utf-8")
    commentary = (DEMO / "commentary-lukashenko-apology.txt").read_text(encoding="utf-8")
    gold = json.loads(DEMO_GOLD.read_text(encoding="utf-8"))
    right = 0
    suggestions = annotator.annotate_texts(commentary, [report_text])
    for s in suggestions:
        expected = next((g for start, g in gold.items() if s.text.startswith(start)), "?")
        ok = s.label == expected
        right += ok
        text = s.text if len(s.text) <= 96 else s.text[:95] + "…"
        mark = "ok " if ok else "NO "
        print(f"  {mark} {s.label:9s} {s.reason_code:18s} {s.confidence:.2f}  {text}")
        if show_reasons or not ok:
            print(f"  {'':4s}{'expected ' + expected:28s}→ {s.reason}")
    print(f"  demo: {right} of {len(suggestions)} as expected")
    return right


def article_pairs(annotator, part: str) -> None:
    """The article pairs, each sentence in its article: three labels on the derived articles'
    sentences (and, as a baseline, each read on its own), opinion vs fact with the reports'
    sentences as facts, how often each kind of sentence gets its label, the reasons given to
    disputed sentences (contradicted against uncovered, and false contradictions), and
    calibration per kind of decision."""
    its, readings, prepared, where = pairs = read_pairs(annotator, part)
    config = annotator.config
    articles = {n for (n, _), it in zip(where, its, strict=True) if it.origin == "pairs"}
    for r in readings:
        r.context = None  # each sentence read on its own, the baseline
    alone = [decide(r, config, p)[0] for r, p in zip(readings, prepared, strict=True)]
    _, facts = pairs_f1(config, pairs)  # which sets each sentence's context in its article
    decisions = [decide(r, config, p) for r, p in zip(readings, prepared, strict=True)]
    derived = [i for i, it in enumerate(its) if it.origin == "pairs"]
    print(f"  {len(articles)} derived articles against their reports, {len(derived)} sentences")
    report(
        "in the article", [its[i].gold for i in derived], [decisions[i][0] for i in derived], THREE
    )
    report(
        "each sentence on its own",
        [its[i].gold for i in derived],
        [alone[i] for i in derived],
        THREE,
    )
    reports = [d[0] for it, d in zip(its, decisions, strict=True) if it.origin == "pairs-report"]
    print(
        f"  opinion vs fact, the reports' sentences as facts: macro-F1={facts:.3f}; "
        f"{reports.count('opinion')} of {len(reports)} report sentences called opinion"
    )
    for kind in sorted({its[i].fine for i in derived}):
        mine = [i for i in derived if its[i].fine == kind]
        right = sum(its[i].gold == decisions[i][0] for i in mine)
        print(f"    {kind:15s} {right:3d} of {len(mine):3d} as labelled")
    reasons = [  # (the sentence's kind, whether its reason says a source contradicts it)
        (its[i].fine, decisions[i][2] not in ("not-in-sources", "no-sources"))
        for i in derived
        if decisions[i][0] == "disputed"
    ]
    for fine in ("contradicted", "uncovered"):
        mine = [found for f, found in reasons if f == fine]
        told = sum(found == (fine == "contradicted") for found in mine)
        print(f"  {fine} sentences called disputed: {told} of {len(mine)} with that reason")
    false_alarms = [found for f, found in reasons if f not in ("contradicted", "uncovered")]
    print(
        f"  sentences the report backs or that are opinion, called contradicted: "
        f"{sum(false_alarms)} of {sum(its[i].gold != 'disputed' for i in derived)}"
    )
    print("  calibration of the decisions in articles (the reports': their opinion calls)")
    decided = [
        (it, d)
        for it, d in zip(its, decisions, strict=True)
        if it.origin == "pairs" or d[0] == "opinion"
    ]
    group_calibration(
        [calibration_group(d[0], d[2], in_article=True) for _, d in decided],
        np.asarray([d[1] for _, d in decided]),
        np.asarray([d[0] == it.gold for it, d in decided], dtype=float),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="test", choices=("test", "dev"))
    ap.add_argument("--reasons", action="store_true")
    args = ap.parse_args(argv)
    require_eval_dir()
    t0 = time.perf_counter()
    annotator = get_annotator()
    config = annotator.config
    its, readings, prepared = read(annotator, args.part)
    decisions = [decide(r, config, p) for r, p in zip(readings, prepared, strict=True)]
    print(f"{args.part} part: {len(its)} items read in {time.perf_counter() - t0:.0f}s")

    print(f"\n== three labels ({args.part}): claims with their sources + SUBJ news sentences")
    three = [
        (it, d)
        for it, d in zip(its, decisions, strict=True)
        if it.sources or (it.origin == "checkthat" and it.gold == "opinion")
    ]
    report(
        "all",
        [it.gold for it, _ in three],
        [d[0] for _, d in three],
        ("sourced", "disputed", "opinion"),
    )
    for kinds, name in (
        (("tune:climate-fever", "tune:averitec"), "tune.jsonl (climate, AVeriTeC)"),
        (("fool-me-twice", "rte-fever", "climate-fever"), "encyclopedia and climate sets"),
        # the held-out climate claims are likely tune.jsonl's other half, in its form
        (("fool-me-twice", "rte-fever", "tune:climate-fever"), "encyclopedia + tune's climate"),
    ):
        sub = [(it, d) for it, d in three if it.origin in kinds or it.gold == "opinion"]
        report(
            f"{name} + SUBJ",
            [it.gold for it, _ in sub],
            [d[0] for _, d in sub],
            ("sourced", "disputed", "opinion"),
        )

    print(f"\n== sourced vs disputed by origin ({args.part}; opinion counts as wrong)")
    by = defaultdict(list)
    for it, d in zip(its, decisions, strict=True):
        if it.sources:
            by[it.origin].append((it.gold, d[0]))
    everything = [pair for pairs in by.values() for pair in pairs]
    report(
        "all claims with sources",
        [g for g, _ in everything],
        [p for _, p in everything],
        ("sourced", "disputed"),
    )
    for origin in sorted(by):
        g, p = zip(*by[origin], strict=True)
        report(f"{origin:20s}", list(g), list(p), ("sourced", "disputed"))

    print(f"\n== opinion vs fact ({args.part}): news sentences (CheckThat kind), commentary")
    for origin, title in (("checkthat", "news OBJ/SUBJ"), ("commentary", "commentary OBJ/SUBJ")):
        sentences = [(it, d) for it, d in zip(its, decisions, strict=True) if it.origin == origin]
        report(
            title,
            [it.fine for it, _ in sentences],
            ["SUBJ" if d[0] == "opinion" else "OBJ" for _, d in sentences],
            ("OBJ", "SUBJ"),
        )

    print(
        f"\n== contradicted vs uncovered ({args.part}; disputed claims whose set tells them apart)"
    )
    cu = [
        (it.fine, "refutes" if d[2] in CONTRADICTED | {"contradicted"} else "nei")
        for it, d in zip(its, decisions, strict=True)
        if it.sources and d[0] == "disputed" and it.fine in ("refutes", "nei")
    ]
    report("reason", [g for g, _ in cu], [p for _, p in cu], ("refutes", "nei"))

    print(f"\n== calibration ({args.part}): is a decision right as often as its confidence says?")
    conf, right, groups = [], [], []
    for it, d in zip(its, decisions, strict=True):
        if not it.sources and it.gold == "fact" and d[0] != "opinion":
            continue
        conf.append(d[1])
        right.append(d[0] == it.gold or (it.gold == "fact" and d[0] != "opinion"))
        groups.append(calibration_group(d[0], d[2]))
    conf_a, right_a = np.asarray(conf), np.asarray(right, dtype=float)
    calibration_table(conf_a, right_a)
    group_calibration(groups, conf_a, right_a)

    print(f"\n== article pairs written for the project ({args.part}): derived articles read whole")
    article_pairs(annotator, args.part)

    print("\n== demo pair: commentary checked against the Kyiv Independent report")
    demo(annotator, args.reasons)
    print(f"\ndone in {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
