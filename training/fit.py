"""Small numpy fitting and scoring: logistic regression, macro-F1, Platt calibration."""

from __future__ import annotations

import numpy as np


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


def steadiest_best(grid: np.ndarray, scores: list[float], reach: int = 2) -> float:
    """The grid value whose neighbourhood (``reach`` steps each side) scores best on
    average: on a few hundred dev sentences one sentence makes a lone peak, and a plateau is
    the choice that holds on new data."""
    s = np.asarray(scores)
    means = [s[max(i - reach, 0) : i + reach + 1].mean() for i in range(len(s))]
    return float(grid[int(np.argmax(np.round(means, 9)))])


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


CALIBRATION_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def expected_calibration_error(conf: np.ndarray, right: np.ndarray) -> float:
    """Mean |confidence - accuracy| over confidence bins, weighted by their sizes."""
    ece = 0.0
    for lo, hi in zip(CALIBRATION_BINS, CALIBRATION_BINS[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        if m.any():
            ece += m.sum() / len(conf) * abs(conf[m].mean() - right[m].mean())
    return float(ece)


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Sample weights giving both classes the same total weight."""
    pos = y.mean()
    return np.where(y == 1, 0.5 / max(pos, 1e-6), 0.5 / max(1 - pos, 1e-6))
