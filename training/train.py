"""Train the two small logistic regressions shipped in ``weights.json``.

    python -m training.train            # reads ../shared/eval, writes weights.json

* subj: P(opinion) over the MiniLM sentence embedding + subjectivity cue features, trained
  on ``subj_tune.tsv`` (OBJ/SUBJ);
* verdict: P(sourced) over the claim/evidence comparison features, trained on
  ``tune.jsonl`` (sourced/disputed).
Plain numpy (L2-regularised logistic regression by Newton steps); regularisation strength
and decision thresholds are chosen by 5-fold cross-validation, and the cross-validated
figures are printed (the evaluation script reports them again, never the train score).
Confidences are calibrated per kind of decision by Platt maps fitted on the decisions of
cross-validated models.
Only the weights are written: no data, no sentences.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import numpy as np

from claims.annotator.checks import CUE_NAMES
from claims.annotator.embed import DIM

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


# ------------------------------------------------------------------ logistic regression


def fit_lr(
    X: np.ndarray,
    y: np.ndarray,
    l2: float | np.ndarray,
    iters: int = 30,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression on standardised X (bias unpenalised); ``l2`` is
    one strength or one per column."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1)
    sw = np.ones(n) if sample_weight is None else sample_weight
    reg = np.append(np.broadcast_to(np.asarray(l2, dtype=float), (d,)), 1e-6)
    for _ in range(iters):
        z = np.clip(Xb @ w, -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = Xb.T @ (sw * (p - y)) + reg * w
        h = (Xb * (sw * p * (1 - p))[:, None]).T @ Xb + np.diag(reg)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w[:-1], float(w[-1])


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = X.mean(0)
    sd = X.std(0)
    sd[sd < 1e-6] = 1.0
    return mu, sd


def predict_lr(X, w, b, mu, sd) -> np.ndarray:
    z = ((X - mu) / sd) @ w + b
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def folds(n: int, k: int = 5, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n)
    return [idx[i::k] for i in range(k)]


def cv_proba(
    X: np.ndarray, y: np.ndarray, l2: float, k: int = 5, seed: int = 0, balanced: bool = True
) -> np.ndarray:
    out = np.zeros(len(y))
    for test in folds(len(y), k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        mu, sd = standardise(X[train])
        sw = _balance(y[train]) if balanced else None
        w, b = fit_lr((X[train] - mu) / sd, y[train], l2, sample_weight=sw)
        out[test] = predict_lr(X[test], w, b, mu, sd)
    return out


def _balance(y: np.ndarray) -> np.ndarray:
    pos = y.mean()
    return np.where(y == 1, 0.5 / max(pos, 1e-6), 0.5 / max(1 - pos, 1e-6))


def macro_f1(y_true, y_pred, labels) -> tuple[float, dict]:
    per = {}
    for lab in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == lab and p == lab)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != lab and p == lab)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[lab] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return sum(per.values()) / len(per), per


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.81, 0.01):
        pred = (p >= t).astype(int)
        f, _ = macro_f1(list(y), list(pred), [0, 1])
        if f > best[0] + 1e-9:
            best = (f, float(t))
    return best


def choose_l2(X, y, grid, k=5, seed=0) -> tuple[float, float, float]:
    """(l2, threshold, cv macro-F1) maximising CV macro-F1 (threshold tuned on pooled CV)."""
    results = []
    for l2 in grid:
        p = cv_proba(X, y, l2, k, seed)
        f, t = best_threshold(y, p)
        results.append((f, l2, t))
    f, l2, t = max(results, key=lambda r: r[0])
    return l2, t, f


def nested_cv_f1(X, y, grid, k=5, seed=1) -> tuple[float, np.ndarray, np.ndarray]:
    """Honest estimate: l2 and threshold chosen inside each outer training fold."""
    pred = np.zeros(len(y), dtype=int)
    proba = np.zeros(len(y))
    for test in folds(len(y), k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        l2, t, _ = choose_l2(X[train], y[train], grid, k=4, seed=seed + 1)
        mu, sd = standardise(X[train])
        w, b = fit_lr((X[train] - mu) / sd, y[train], l2, sample_weight=_balance(y[train]))
        proba[test] = predict_lr(X[test], w, b, mu, sd)
        pred[test] = (proba[test] >= t).astype(int)
    f, _ = macro_f1(list(y), list(pred), [0, 1])
    return f, proba, pred


def fit_final(X, y, l2, threshold) -> dict:
    mu, sd = standardise(X)
    w, b = fit_lr((X - mu) / sd, y, l2, sample_weight=_balance(y))
    r = lambda a: [round(float(v), 6) for v in a]  # noqa: E731
    return {
        "w": r(w),
        "b": round(b, 6),
        "mu": r(mu),
        "sd": r(sd),
        "l2": np.unique(l2).tolist(),
        "threshold": round(threshold, 3),
    }


# ------------------------------------------------------------------ feature matrices


def subj_matrix(annotator, sentences: list[str]) -> np.ndarray:
    from claims.annotator import checks as C

    emb = annotator.embedder.encode(sentences)
    cues = np.asarray(
        [[C.subjectivity_cues(s)[k] for k in C.CUE_NAMES] for s in sentences], dtype=np.float64
    )
    return np.hstack([emb.astype(np.float64), cues])


def tune_analyses(annotator, rows: list[dict]):
    """One Analysis per tune claim (claim = one-sentence article, sources joined)."""
    from claims.annotator.engine import analyse

    sources = [
        annotator.prepare_source("\n".join(s.strip() for s in r["source_sentences"])) for r in rows
    ]
    claims = [" ".join(r["claim"].split()) for r in rows]
    embs = annotator.embedder.encode(claims)
    return [analyse(c, embs[i], [sources[i]]) for i, c in enumerate(claims)], sources


def verdict_matrix(analyses) -> np.ndarray:
    from claims.annotator.engine import VERDICT_FEATURES

    return np.asarray([[a.verdict_x[k] for k in VERDICT_FEATURES] for a in analyses])


# subj: the 384 embedding dimensions are shrunk hard, the few cue features less (a cue is
# explicit evidence and should keep its say); pairs (embedding l2, cue l2).
SUBJ_GRID = tuple(
    np.r_[np.full(DIM, a), np.full(len(CUE_NAMES), b)]
    for a in (300.0, 1000.0, 3000.0)
    for b in (10.0, 100.0)
)
VERDICT_GRID = (0.1, 1.0, 3.0, 10.0, 30.0)


# ------------------------------------------------------------------ cross-validated decisions


def models_with(base, subj: dict | None = None, verdict: dict | None = None):
    from claims.annotator.engine import Models

    data = dict(base.data)
    if subj is not None:
        data["subj"] = subj
    if verdict is not None:
        data["verdict"] = verdict
    return Models(data)


def cv_decisions(base, analyses, sources, Xv, yv, subj_an, Xs, ys, k=5, seed=7):
    """Every tune claim and subj sentence decided by models not trained on it (l2 and
    threshold chosen inside the training folds), with uncalibrated confidences."""
    from claims.annotator.engine import _decide

    def decided(X, y, grid, model: str, items, sources_of) -> list:
        pred: list = [None] * len(y)
        for test in folds(len(y), k, seed):
            train = np.setdiff1d(np.arange(len(y)), test)
            l2, t, _ = choose_l2(X[train], y[train], grid, k=4, seed=3)
            models = models_with(base, **{model: fit_final(X[train], y[train], l2, t)})
            for i in test:
                pred[i] = _decide(items[i], models, sources_of(i))
        return pred

    return (
        decided(Xv, yv, VERDICT_GRID, "verdict", analyses, lambda i: [sources[i]]),
        decided(Xs, ys, SUBJ_GRID, "subj", subj_an, lambda i: []),
    )


def decision_records(pred_t, gold_t, pred_s, ys) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(calibration group, raw confidence, right?) of each cross-validated decision; a subj
    sentence is right when it is called opinion exactly when it is SUBJ."""
    from claims.annotator.engine import calibration_group

    groups, conf, right = [], [], []
    for p, g in zip(pred_t, gold_t, strict=True):
        groups.append(calibration_group(p[0], p[2], p[4]))
        conf.append(p[1])
        right.append(p[0] == g)
    for p, y in zip(pred_s, ys, strict=True):
        groups.append(calibration_group(p[0], p[2], p[4]))
        conf.append(p[1])
        right.append((p[0] == "opinion") == bool(y))
    return groups, np.asarray(conf, dtype=float), np.asarray(right, dtype=float)


def _logit(conf: np.ndarray) -> np.ndarray:
    c = np.clip(conf, 0.01, 0.99)
    return np.log(c / (1 - c))


def fit_calibration(groups: list[str], conf: np.ndarray, right: np.ndarray) -> dict:
    """Per group, Platt scaling: P(right) = sigmoid(a * logit(confidence) + b)."""
    out = {}
    g = np.asarray(groups)
    for group in sorted(set(groups)):
        m = g == group
        if m.sum() < 20:
            continue  # too few to say; the raw confidence stays
        w, b = fit_lr(_logit(conf[m])[:, None], right[m], l2=1.0)
        out[group] = [round(float(w[0]), 4), round(b, 4)]
    return out


def apply_calibration(maps: dict, groups: list[str], conf: np.ndarray) -> np.ndarray:
    out = conf.copy()
    for i, group in enumerate(groups):
        if group in maps:
            a, b = maps[group]
            out[i] = 1 / (1 + np.exp(-(a * _logit(conf[i : i + 1])[0] + b)))
    return out


def cross_fitted_calibration(groups, conf, right, k=5, seed=11) -> np.ndarray:
    """Calibrated confidences, each from maps fitted on the other folds' decisions."""
    out = conf.copy()
    for test in folds(len(conf), k, seed):
        train = np.setdiff1d(np.arange(len(conf)), test)
        maps = fit_calibration([groups[i] for i in train], conf[train], right[train])
        out[test] = apply_calibration(maps, [groups[i] for i in test], conf[test])
    return out


CALIBRATION_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def expected_calibration_error(conf: np.ndarray, right: np.ndarray) -> float:
    """Mean |confidence - accuracy| over confidence bins, weighted by their sizes."""
    ece = 0.0
    for lo, hi in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        if m.any():
            ece += m.sum() / len(conf) * abs(conf[m].mean() - right[m].mean())
    return float(ece)


def main() -> None:
    from claims.annotator.engine import WEIGHTS_PATH, Annotator, Models

    d = require_eval_dir()
    annotator = Annotator(models=Models({}))
    subj = load_subj(d)
    Xs = subj_matrix(annotator, [s for s, _ in subj])
    ys = np.asarray([y for _, y in subj])
    l2, t, f = choose_l2(Xs, ys, SUBJ_GRID)
    nf, _, _ = nested_cv_f1(Xs, ys, SUBJ_GRID)
    print(
        f"subj: l2={np.unique(l2).tolist()} threshold={t:.2f} cv macro-F1={f:.3f} "
        f"nested-cv macro-F1={nf:.3f}"
    )
    subj_w = fit_final(Xs, ys, l2, t)

    rows = load_tune(d)
    analyses, sources = tune_analyses(annotator, rows)
    Xv = verdict_matrix(analyses)
    yv = np.asarray([1 if r["gold"] == "sourced" else 0 for r in rows])
    l2v, tv, fv = choose_l2(Xv, yv, VERDICT_GRID)
    nfv, _, _ = nested_cv_f1(Xv, yv, VERDICT_GRID)
    print(f"verdict: l2={l2v} threshold={tv:.2f} cv macro-F1={fv:.3f} nested={nfv:.3f}")
    ver_w = fit_final(Xv, yv, l2v, tv)

    rules = {
        "restatement_cos": 0.9,
        "strong_subj": 0.85,
        "cue_margin": 0.12,
        "cue_strong": 3,
        "support_floor_cos": 0.5,
    }
    base = Models({"subj": subj_w, "verdict": ver_w, "rules": rules})
    subj_an = annotator.analyse_claims([s for s, _ in subj], [])
    pred_t, pred_s = cv_decisions(base, analyses, sources, Xv, yv, subj_an, Xs, ys)
    groups, conf, right = decision_records(pred_t, [r["gold"] for r in rows], pred_s, ys)
    calibration = fit_calibration(groups, conf, right)
    ece = expected_calibration_error(cross_fitted_calibration(groups, conf, right), right)
    print(f"calibration: {calibration}; cross-fitted ECE={ece:.3f}")

    data = {
        "about": "made by python -m training.train; logistic regressions, no data",
        "subj": subj_w,
        "verdict": ver_w,
        "rules": rules,
        "calibration": calibration,
    }
    WEIGHTS_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {WEIGHTS_PATH} ({WEIGHTS_PATH.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
