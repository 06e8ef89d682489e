"""Evaluate the pre-annotator on the shared tuning data and the demo pair.

    python -m training.evaluate [--quick]

Reads ../shared/eval (or $FACTCHECK_EVAL_DIR); exits with a message when it is absent.
Figures printed:
* tune.jsonl (gold sourced/disputed; an `opinion` prediction counts as wrong): macro-F1 and
  per-label F1, 5-fold cross-validated (the verdict model is retrained on 4/5 and applied
  to the held-out 1/5 — the shipped model was trained on all of tune.jsonl, so its own
  score there is in-sample and printed only for reference);
* subj_tune.tsv OBJ/SUBJ macro-F1 (SUBJ predicted when the label is `opinion`),
  cross-validated the same way;
* three labels: tune.jsonl plus the SUBJ sentences of subj_tune.tsv (gold `opinion`,
  annotated without sources), macro-F1 over sourced/disputed/opinion, cross-validated;
* calibration: confidence bins against accuracy (cross-validated predictions);
* the demo pair claim by claim.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from claims.annotator.engine import LABELS, Annotator, decide, get_annotator
from training import train as T

DEMO = Path(__file__).resolve().parents[1] / "articles" / "demo"


def _report(title: str, gold: list[str], pred: list[str], labels) -> float:
    f, per = T.macro_f1(gold, pred, labels)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    per_s = "  ".join(f"{lab}={v:.3f}" for lab, v in per.items())
    print(f"  {title}: macro-F1={f:.3f}  accuracy={acc:.3f}  ({per_s})  n={len(gold)}")
    return f


def calibration(conf: np.ndarray, right: np.ndarray) -> None:
    print("  confidence bin   n     mean conf  accuracy")
    edges = T.CALIBRATION_BINS
    for lo, hi in zip(edges, edges[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        if m.sum():
            print(
                f"  [{lo:.1f}, {min(hi, 1):.1f})     {m.sum():5d}   {conf[m].mean():.3f}      "
                f"{right[m].mean():.3f}"
            )
    print(f"  expected calibration error: {T.expected_calibration_error(conf, right):.3f}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    d = T.require_eval_dir()
    t0 = time.perf_counter()
    annotator: Annotator = get_annotator()
    base = annotator.models
    print(f"engine {annotator.version}; data from {d}")

    rows = T.load_tune(d)
    subj = T.load_subj(d)
    analyses, sources = T.tune_analyses(annotator, rows)
    gold_t = [r["gold"] for r in rows]
    Xv = T.verdict_matrix(analyses)
    yv = np.asarray([1 if g == "sourced" else 0 for g in gold_t])
    Xs = T.subj_matrix(annotator, [s for s, _ in subj])
    ys = np.asarray([y for _, y in subj])
    subj_sents = [s for s, _ in subj]
    subj_an = [a for a in annotator.analyse_claims(subj_sents, [])]
    print(f"features ready in {time.perf_counter() - t0:.1f}s")

    # ---- cross-validated predictions: each item predicted by models not trained on it,
    # then its confidence calibrated by maps fitted on the other folds' predictions
    pred_t, pred_s = T.cv_decisions(base, analyses, sources, Xv, yv, subj_an, Xs, ys)
    groups, raw_conf, right = T.decision_records(pred_t, gold_t, pred_s, ys)
    conf = T.cross_fitted_calibration(groups, raw_conf, right)

    print("\n== tune.jsonl (claims vs their source sentences; gold sourced/disputed)")
    labels_t = [p[0] for p in pred_t]
    _report("cross-validated", gold_t, labels_t, ("sourced", "disputed"))
    print(
        f"  predicted: {dict(Counter(labels_t))}; reasons: "
        f"{dict(Counter(p[2] for p in pred_t).most_common())}"
    )
    by_origin = Counter()
    for r, p in zip(rows, labels_t, strict=True):
        by_origin[(r["origin"].split("/")[0], r["gold"] == p)] += 1
    for origin in sorted({o for o, _ in by_origin}):
        n_ok, n_bad = by_origin[(origin, True)], by_origin[(origin, False)]
        print(f"  accuracy on {origin}: {n_ok / (n_ok + n_bad):.3f} (n={n_ok + n_bad})")
    shipped_t = [decide(a, base, [s])[0] for a, s in zip(analyses, sources, strict=True)]
    _report(
        "shipped model, in-sample (optimistic, reference only)",
        gold_t,
        shipped_t,
        ("sourced", "disputed"),
    )

    print("\n== subj_tune.tsv (OBJ/SUBJ; SUBJ = predicted opinion)")
    gold_s = ["SUBJ" if y else "OBJ" for y in ys]
    lab_s = ["SUBJ" if p[0] == "opinion" else "OBJ" for p in pred_s]
    _report("cross-validated", gold_s, lab_s, ("OBJ", "SUBJ"))
    shipped_s = ["SUBJ" if decide(a, base, [])[0] == "opinion" else "OBJ" for a in subj_an]
    _report(
        "shipped model, in-sample (optimistic, reference only)", gold_s, shipped_s, ("OBJ", "SUBJ")
    )

    print("\n== three labels: tune.jsonl + SUBJ sentences of subj_tune.tsv (gold opinion)")
    subj_idx = [i for i, y in enumerate(ys) if y]
    gold3 = gold_t + ["opinion"] * len(subj_idx)
    pred3 = labels_t + [pred_s[i][0] for i in subj_idx]
    _report("cross-validated", gold3, pred3, LABELS)

    print("\n== calibration (cross-validated predictions, tune.jsonl + all subj_tune.tsv)")
    print(f"  before calibration: ECE={T.expected_calibration_error(raw_conf, right):.3f}")
    calibration(conf, right)
    correct = list(right.astype(bool))
    labels_all = [p[0] for p in pred_t] + [p[0] for p in pred_s]
    codes_all = [p[2] for p in pred_t] + [p[2] for p in pred_s]
    print("  by predicted label / reason: n, mean confidence, accuracy")
    for key, values in (("label", labels_all), ("reason", codes_all)):
        for v in sorted(set(values)):
            idx = [i for i, x in enumerate(values) if x == v]
            mc = sum(conf[i] for i in idx) / len(idx)
            acc = sum(correct[i] for i in idx) / len(idx)
            print(f"    {key} {v:22s} {len(idx):5d}  {mc:.3f}  {acc:.3f}")

    print("\n== demo pair: commentary checked against the Kyiv Independent report")
    report = (DEMO / "kyiv-independent-lukashenko-apology.txt").read_text(encoding="utf-8")
    commentary = (DEMO / "commentary-lukashenko-apology.txt").read_text(encoding="utf-8")
    for s in annotator.annotate_texts(commentary, [report]):
        text = s.text if len(s.text) <= 110 else s.text[:109] + "…"
        print(f"  {s.label:9s} {s.reason_code:20s} {s.confidence:.2f}  {text}")
        if "--reasons" in argv:
            print(f"  {'':9s} {'':20s}       → {s.reason}")
    print(f"\ndone in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
