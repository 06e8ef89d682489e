"""``config.json``: the engine's single source of truth, written by ``python -m training.train``.

It names the three model files (with their SHA-256) and holds every learned number of the
decision: the analysis scores over a sentence's embedding, the opinion weights and thresholds,
the logistic regressions for P(sourced) and their features, the thresholds for "a source
contradicts it" (each of a claim read alone and of a sentence in an article), rule confidences
and the calibration maps. A missing or incomplete file stops the engine with a message (no
silent fallback).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CONFIG_PATH = Path(__file__).with_name("config.json")
REQUIRED = ("models", "analysis", "opinion", "sourced", "contradicted", "rules", "calibration")


class ConfigMissing(RuntimeError):
    pass


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Logistic:
    """One standardised logistic regression over named features."""

    features: tuple[str, ...]
    w: np.ndarray
    b: float
    mu: np.ndarray
    sd: np.ndarray
    threshold: float

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(
            features=tuple(d["features"]),
            w=np.asarray(d["w"], dtype=np.float64),
            b=float(d["b"]),
            mu=np.asarray(d["mu"], dtype=np.float64),
            sd=np.asarray(d["sd"], dtype=np.float64),
            threshold=float(d["threshold"]),
        )

    def probability(self, x: dict) -> float:
        v = np.asarray([x[k] for k in self.features], dtype=np.float64)
        return sigmoid(float(((v - self.mu) / self.sd) @ self.w + self.b))


class Config:
    def __init__(self, data: dict):
        missing = [k for k in REQUIRED if k not in data]
        if missing:
            raise ConfigMissing(f"config.json lacks {', '.join(missing)}: rerun make train")
        self.data = data
        self.models = data["models"]
        self.analysis_w = np.asarray(data["analysis"]["w"], dtype=np.float32)
        self.analysis_b = float(data["analysis"]["b"])
        self.opinion = data["opinion"]
        if "article" not in self.opinion:
            raise ConfigMissing("config.json lacks opinion.article: rerun make train")
        article = self.opinion["article"]
        self.article_analysis_w = np.asarray(article["analysis_w"], dtype=np.float32)
        self.article_analysis_b = float(article["analysis_b"])
        self.sourced = Logistic.from_dict(data["sourced"])
        self.contradicted = data["contradicted"]
        if "article" not in data["sourced"] or "article" not in self.contradicted:
            raise ConfigMissing(
                "config.json lacks sourced.article or contradicted.article: rerun make train"
            )
        self.sourced_article = Logistic.from_dict(data["sourced"]["article"])
        self.rules = data["rules"]
        self.calibration = data["calibration"]

    @classmethod
    def load(cls, path: Path = CONFIG_PATH) -> Config:
        if not path.is_file():
            raise ConfigMissing(
                f"{path} is missing: the engine has no decision weights (run make train, or "
                "reinstall the package with its data files)"
            )
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def rule_confidence(self, name: str) -> float:
        return float(self.rules["confidence"][name])

    def calibrate(self, group: str, conf: float) -> float:
        """Platt scaling fitted on dev decisions: a raw confidence -> how often decisions of
        that group and confidence were right."""
        if group not in self.calibration:
            return conf
        a, b = self.calibration[group]
        return round(sigmoid(a * logit(min(max(conf, 0.01), 0.99)) + b), 3)
