"""The annotator: claims of an article labelled against prepared source articles."""

from __future__ import annotations

import json
import logging
import math
import re
import struct
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from . import checks as C
from .embed import DIM, MODEL_ID, Embedder, to_int8
from .segment import MAX_CLAIM_CHARS, Sentence, split_claims

LABELS = ("sourced", "disputed", "opinion")
# Bump FORMAT when PreparedSource bytes or the splitting of sources change.
FORMAT = 3
ENGINE_VERSION = f"factcheck-annotator/{FORMAT}+{MODEL_ID}"
_MAGIC = b"FCPS"
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
TOP_K = 3
TIME_NOUNS = frozenset(["year", "month", "week", "day", "decad", "century", "hour", "minut"])
# Checks whose finding quotes the source's and the claim's differing words, in the order
# they are tried: (Analysis field, reason code, confidence unless weights.json sets one).
MISMATCH_RULES = (
    ("number", "number-mismatch", 0.8),
    ("date", "date-mismatch", 0.8),
    ("entity", "entity-mismatch", 0.75),
)


@dataclass(frozen=True)
class Limits:
    """What one pre-annotation may take on: the host application sets these."""

    claim_chars: int = MAX_CLAIM_CHARS  # longer sentences are cut, and say so
    claims: int = 1000  # per article (and per source)
    seconds: float | None = None  # for one annotate() call, sources included


class AnnotationLimit(ValueError):
    """An input past a limit; the message says which, for the editor."""


# Sentences embedded per step, so a deadline is checked between steps.
_ENCODE_STEP = 256


@dataclass(frozen=True)
class Evidence:
    source_index: int
    start: int
    end: int
    text: str
    score: float


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


class PreparedSource:
    """A source article split into sentences and embedded once (float16 vectors)."""

    def __init__(self, sentences: list[Sentence], embeddings: np.ndarray):
        self.sentences = list(sentences)
        self.embeddings = np.asarray(embeddings, dtype=np.float16).reshape(-1, DIM)
        if len(self.sentences) != self.embeddings.shape[0]:
            raise ValueError("one embedding per sentence expected")
        self._facts: list[dict] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<PreparedSource {len(self.sentences)} sentences>"

    @property
    def matrix(self) -> np.ndarray:
        m = getattr(self, "_matrix", None)
        if m is None:
            m = self._matrix = self.embeddings.astype(np.float32)
        return m

    def facts(self) -> list[dict]:
        """Per-sentence lexical facts, computed lazily and cached in memory (not stored)."""
        if self._facts is None:
            with self._lock:
                if self._facts is None:
                    self._facts = [_facts(s.text) for s in self.sentences]
        return self._facts

    def to_bytes(self) -> bytes:
        header = json.dumps(
            {"v": ENGINE_VERSION, "s": [[s.start, s.end, s.text] for s in self.sentences]},
            ensure_ascii=True,
            separators=(",", ":"),
        ).encode()
        body = zlib.compress(header, 6)
        vecs = self.embeddings.astype("<f2").tobytes()
        payload = struct.pack("<II", len(body), len(self.sentences)) + body + vecs
        return _MAGIC + struct.pack("<HI", FORMAT, zlib.crc32(payload)) + payload

    @classmethod
    def from_bytes(cls, data: bytes) -> PreparedSource:
        try:
            data = bytes(data)
            if data[:4] != _MAGIC:
                raise ValueError("not a prepared source")
            fmt, crc = struct.unpack_from("<HI", data, 4)
            payload = data[10:]
            if fmt != FORMAT:
                raise ValueError(f"prepared source format {fmt}, engine expects {FORMAT}")
            if zlib.crc32(payload) != crc:
                raise ValueError("prepared source is corrupt (checksum)")
            blen, n = struct.unpack_from("<II", payload, 0)
            header = json.loads(zlib.decompress(payload[8 : 8 + blen]).decode())
            if header.get("v") != ENGINE_VERSION:
                raise ValueError(f"prepared by {header.get('v')!r}, engine is {ENGINE_VERSION!r}")
            vecs = np.frombuffer(payload[8 + blen :], dtype="<f2")
            if vecs.size != n * DIM or len(header["s"]) != n:
                raise ValueError("prepared source is truncated")
            sentences = [Sentence(int(a), int(b), str(t)) for a, b, t in header["s"]]
            return cls(sentences, vecs.reshape(n, DIM).copy())
        except ValueError:
            raise
        except Exception as exc:  # struct.error, zlib.error, KeyError, JSON errors...
            raise ValueError(f"prepared source is unreadable: {exc}") from exc


def _facts(text: str) -> dict:
    return {
        "stems": C.content_stems(text),
        "quantities": C.quantities(text),
        "dates": C.dates(text),
        "entities": C.entity_tokens(text),
        "hard_neg": C.hard_negations(text),
        "refute": C.refutes(text),
        "affirm": C.affirms(text),
        "reported": C.reports_claim(text),
        "answer": C.answer(text),
        "lower": text.lower(),
    }


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))


# ------------------------------------------------------------------ features

# Features of the verdict model. Deliberately no dataset-shape features (number of source
# sentences, claim length, mean similarity of the top 3): those describe how the tuning
# data was built, not whether a source backs a claim.
VERDICT_FEATURES = (
    "cos1",
    "cover_best",
    "cover_top2",
    "cover_all",
    "number_mismatch",
    "number_unsupported",
    "date_mismatch",
    "entity_missing",
    "entity_mismatch",
    "negation_mismatch",
    "refute_best",
    "refute_any",
    "modality",
    "claim_neg",
    "hedged",
    "refute_top3",
    "affirm_top3",
    "opens_no",
    "opens_yes",
    "answer_no",
    "reported_top3",
    "quantity_backed",
    "entity_cover",
    "direction",
)


@dataclass
class Analysis:
    """Everything computed for one claim; the decision is taken from this."""

    text: str
    cues: dict
    subj_cue_vec: list[float]
    emb: np.ndarray
    candidates: list[tuple[int, int, float, float, float]]  # (src, sent, combined, cos, cover)
    verdict_x: dict
    number: tuple[str, str] | None = None
    number_unsupported: str | None = None
    date: tuple[str, str] | None = None
    entity: tuple[str, str] | None = None
    entity_missing: tuple[str, ...] = ()
    negation: tuple[str, str] | None = None
    modality: tuple[str, str] | None = None
    refutation: str | None = None
    time_unsupported: str | None = None  # a date or time span no source states
    direction: tuple[str, str] | None = None  # (source "fell by …", claim "rose by …")
    # (source index, sentence index) of the sentence each finding is about
    focus: dict = field(default_factory=dict)


class SourceIndex:
    """Aggregates over all the sources of one annotate() call, computed once."""

    def __init__(self, sources: Sequence[PreparedSource]):
        facts = [f for src in sources for f in src.facts()]
        self.stems: set[str] = set().union(*(f["stems"] for f in facts)) if facts else set()
        self.entities: set[str] = set().union(*(f["entities"] for f in facts)) if facts else set()
        self.lower = [f["lower"] for f in facts]
        self.lower_blob = " ".join(self.lower)
        self.prefixes = {w[:5] for w in self.stems if len(w) >= 5}
        self.quantities = [q for f in facts for q in f["quantities"]]
        self.dates = {(d.kind, d.value) for f in facts for d in f["dates"]}
        self.text = " ".join(s.text for src in sources for s in src.sentences)
        # a bare "No." anywhere: the source answering the question the claim raises
        self.answer_no = any(f["answer"] == "no" for f in facts)
        # Sentence by sentence: each is at most Limits.claim_chars long, so the cost is linear.
        self.roles: dict[str, tuple[str, str]] = {}
        self.realised: set[str] = set()
        for src in sources:
            for sentence in src.sentences:
                self.roles.update(C.role_mentions(sentence.text))
                self.realised |= C.realised_events(sentence.text)


def _role_mismatch(claim: str, index: SourceIndex) -> tuple[str, str] | None:
    c_roles = C.role_mentions(claim)
    if not c_roles:
        return None
    s_roles = index.roles
    for surname, (role, mention) in c_roles.items():
        if surname in s_roles and s_roles[surname][0] != role:
            # the claim's title for this person appears nowhere next to the name in sources
            s_role, s_mention = s_roles[surname]
            return s_mention, mention
    return None


def analyse(
    text: str,
    emb: np.ndarray,
    sources: Sequence[PreparedSource],
    index: SourceIndex | None = None,
) -> Analysis:
    if index is None:
        index = SourceIndex(sources)
    cues = C.subjectivity_cues(text)
    cue_vec = [float(cues[k]) for k in C.CUE_NAMES]
    cfacts = _facts(text)
    cstems = cfacts["stems"]
    cands: list[tuple[int, int, float, float, float]] = []
    for si, src in enumerate(sources):
        if not src.sentences:
            continue
        sims = src.matrix @ emb
        facts = src.facts()
        k = min(len(sims), 8)
        top = np.argpartition(-sims, k - 1)[:k]
        for j in top:
            cover = len(cstems & facts[j]["stems"]) / max(len(cstems), 1)
            comb = 0.75 * float(sims[j]) + 0.25 * cover
            cands.append((si, int(j), comb, float(sims[j]), cover))
    cands.sort(key=lambda c: -c[2])
    a = Analysis(text, cues, cue_vec, emb, cands, {})
    all_stems, all_ents, all_lower = index.stems, index.entities, index.lower
    lower_blob, prefixes = index.lower_blob, index.prefixes
    top = cands[:TOP_K]
    top_facts = [sources[s].facts()[j] for s, j, *_ in top]
    top_text = [sources[s].sentences[j].text for s, j, *_ in top]
    best_cos = top[0][3] if top else 0.0
    on_topic = [i for i, c in enumerate(top) if c[3] >= 0.45 or c[4] >= 0.5]

    # numbers: a claim quantity no source states (allowing "more than", "about" ...)
    all_q = index.quantities
    close_i = [i for i in on_topic if top[i][3] >= 0.6 and top[i][4] >= 0.4]
    n_backed = 0
    for q in cfacts["quantities"]:
        if q.noun == "__duration__":
            if not any(q.text.lower() in low for low in all_lower):
                a.number_unsupported = a.number_unsupported or q.text
                a.time_unsupported = a.time_unsupported or q.text
            continue
        if any(
            C.consistent(q, sq) and (q.value == sq.value or not q.noun or q.noun == sq.noun)
            for sq in all_q
        ):
            n_backed += 1
            continue
        found = None
        # "in the last 35 years" vs "over 1,400 years": spans of time in two close sentences
        # are seldom the same quantity, so a different one is no contradiction
        for i in [] if q.noun in TIME_NOUNS else close_i:
            for sq in top_facts[i]["quantities"]:
                if sq.noun == "__duration__":
                    continue
                if q.noun and sq.noun == q.noun and sq.ordinal == q.ordinal:
                    found = sq
                    break
            if found:
                break
        if found:
            if a.number is None:
                a.focus["number"] = top[i][:2]
            a.number = a.number or (found.text, q.text)
        else:
            a.number_unsupported = a.number_unsupported or q.text

    # dates: only a month+day, or the single year of both texts, can contradict
    all_dates = index.dates
    c_years = [d for d in cfacts["dates"] if d.kind == "y"]
    for d in cfacts["dates"]:
        if (d.kind, d.value) in all_dates:
            continue
        for i in close_i:
            other = [sd for sd in top_facts[i]["dates"] if sd.kind == d.kind]
            if (d.kind == "md" and other) or (
                d.kind == "y" and len(other) == 1 and len(c_years) == 1
            ):
                if a.date is None:
                    a.focus["date"] = top[i][:2]
                a.date = a.date or (other[0].text, d.text)
                break
        else:
            if d.kind in ("md", "y"):
                a.number_unsupported = a.number_unsupported or d.text
            if d.kind == "md":
                a.time_unsupported = a.time_unsupported or d.text

    # entities
    missing = [
        e
        for e in sorted(cfacts["entities"])
        if e not in all_ents
        and C.stem(e) not in all_stems
        and e not in lower_blob
        and not (len(e) >= 6 and e[:5] in prefixes)
    ]
    a.entity_missing = tuple(missing)
    a.entity = _role_mismatch(text, index)
    if a.entity is not None:
        for si, src in enumerate(sources):
            for j, sent in enumerate(src.sentences):
                if a.entity[0] in sent.text and "entity" not in a.focus:
                    a.focus["entity"] = (si, j)
    if a.entity is None and missing:
        for i in close_i:
            sub = C.substituted_entity(text, top_text[i], missing, loose=top[i][4] >= 0.6)
            if sub:
                a.entity = sub
                a.focus["entity"] = top[i][:2]
                break

    # negation & refutation
    cneg = cfacts["hard_neg"] > 0
    close = [i for i in on_topic if top[i][3] >= 0.55 and top[i][4] >= 0.6]
    if close:
        conflicts = [C.negation_conflict(text, top_text[i]) for i in close]
        if all(conflicts):
            a.negation = conflicts[0]
            a.focus["negation"] = top[close[0]][:2]
    for i in range(len(top)):
        if top_facts[i]["refute"] and not C.refutes(text):
            a.refutation = top_text[i]
            a.focus["refutation"] = top[i][:2]
            break

    # direction: "rose" where the source says "fell"
    for i in close_i:
        dc = C.direction_conflict(text, top_text[i])
        if dc:
            a.direction = dc
            a.focus["direction"] = top[i][:2]
            break

    # tense / modality
    for i in on_topic:
        mc = C.modality_conflict(text, top_text[i], realised=index.realised)
        if mc:
            a.modality = mc
            a.focus["modality"] = top[i][:2]
            break

    a.verdict_x = {
        "cos1": best_cos,
        "cover_best": top[0][4] if top else 0.0,
        "cover_all": len(cstems & all_stems) / max(len(cstems), 1),
        "cover_top2": len(cstems & set().union(*[f["stems"] for f in top_facts[:2]]))
        / max(len(cstems), 1)
        if top_facts
        else 0.0,
        "number_mismatch": float(a.number is not None),
        "number_unsupported": float(a.number_unsupported is not None),
        "date_mismatch": float(a.date is not None),
        "entity_missing": min(len(missing), 3) / 3,
        "entity_mismatch": float(a.entity is not None),
        "negation_mismatch": float(a.negation is not None),
        "refute_best": float(bool(top_facts and top_facts[0]["refute"])),
        "refute_any": float(a.refutation is not None),
        "modality": float(a.modality is not None),
        "direction": float(a.direction is not None),
        "claim_neg": float(cneg),
        "hedged": float(cues["hedges"] + cues["speculation"] > 0),
        # whether the closest source sentences deny or vouch ("No, ...", "this is false",
        # "confirmed"); only the sentences about the claim count, not the whole source
        "refute_top3": min(sum(f["refute"] for f in top_facts), 6) / 3,
        "affirm_top3": float(any(f["affirm"] for f in top_facts)),
        "opens_no": float(any(re.match(r"\s*no\b", f["lower"]) for f in top_facts)),
        "opens_yes": float(any(re.match(r"\s*yes\b", f["lower"]) for f in top_facts)),
        "answer_no": float(index.answer_no),
        "reported_top3": float(any(f["reported"] for f in top_facts) and not C.reports_claim(text)),
        # the claim's numbers / names found in the sources (support, not just absence of conflict)
        "quantity_backed": float(
            n_backed > 0 and a.number is None and a.number_unsupported is None
        ),
        "entity_cover": 1.0 - len(missing) / max(len(cfacts["entities"]), 1),
    }
    return a


def _find_case(text: str, token_lower: str) -> str:
    for w in C.entities(text):
        if token_lower in w.lower().split():
            return w
    return token_lower


# ------------------------------------------------------------------ models


@dataclass(frozen=True)
class Logistic:
    """One standardised logistic regression, as ``train.py`` writes it to weights.json."""

    w: np.ndarray
    b: float
    mu: np.ndarray
    sd: np.ndarray
    threshold: float

    @classmethod
    def load(cls, weights: dict | None, dtype) -> Logistic | None:
        if not weights:
            return None
        return cls(
            w=np.asarray(weights["w"], dtype=dtype),
            b=float(weights["b"]),
            mu=np.asarray(weights["mu"], dtype=dtype),
            sd=np.asarray(weights["sd"], dtype=dtype),
            threshold=float(weights.get("threshold", 0.5)),
        )

    def probability(self, x: np.ndarray) -> float:
        return _sigmoid(float(((x - self.mu) / self.sd) @ self.w + self.b))


class Models:
    """Two logistic regressions (weights.json, made by ``python -m training.train``):
    * subj: P(opinion) from the sentence embedding and subjectivity cues;
    * verdict: P(sourced) from the claim/evidence comparison features.
    """

    def __init__(self, data: dict | None = None):
        if data is None:
            if WEIGHTS_PATH.exists():
                data = json.loads(WEIGHTS_PATH.read_text())
            else:
                logging.getLogger(__name__).warning(
                    "%s is missing (not installed as package data?): using rough hand-set "
                    "weights; run python -m training.train",
                    WEIGHTS_PATH,
                )
                data = {}
        self.data = data
        self.subj = Logistic.load(data.get("subj"), np.float32)
        self.subj_t = self.subj.threshold if self.subj else 0.5
        self.verdict = Logistic.load(data.get("verdict"), np.float64)
        self.ver_t = self.verdict.threshold if self.verdict else 0.5
        self.rules = data.get("rules", {})
        self.calibration = data.get("calibration", {})

    def calibrate(self, group: str, conf: float) -> float:
        """Platt scaling fitted on cross-validated decisions: raw confidence -> how often
        decisions of that group and confidence were right."""
        if group not in self.calibration:
            return conf
        a, b = self.calibration[group]
        c = min(max(conf, 0.01), 0.99)
        return round(_sigmoid(a * math.log(c / (1 - c)) + b), 3)

    def p_subj(self, a: Analysis) -> float:
        if self.subj is None:
            c = a.cues
            z = (
                -2.0
                + 1.4 * c["hedges"]
                + 1.0 * c["evaluative"]
                + 1.2 * c["eval_verbs"]
                + 1.5 * c["speculation"]
                + 0.8 * c["first_person"]
                + 1.0 * c["question"]
                - 1.5 * c["digits"]
                - 0.8 * c["attribution"]
            )
            return _sigmoid(z)
        x = np.concatenate([a.emb.astype(np.float32), np.asarray(a.subj_cue_vec, np.float32)])
        return self.subj.probability(x)

    def p_sourced(self, a: Analysis) -> float:
        if self.verdict is None:
            # hand-set fallback, used only without weights.json (e.g. while training)
            v = a.verdict_x
            z = (
                8.0 * (v["cos1"] - 0.62)
                + 3.0 * (v["cover_best"] - 0.5)
                - 2.0 * v["refute_any"]
                - 1.0 * v["entity_missing"]
            )
            return _sigmoid(z)
        x = np.asarray([a.verdict_x[k] for k in VERDICT_FEATURES], dtype=np.float64)
        return self.verdict.probability(x)


# ------------------------------------------------------------------ decision


def _q(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _focused(evidence: tuple, a: Analysis, key: str, sources) -> tuple:
    """Evidence with the sentence the finding is about first (then the others, by score)."""
    if key not in a.focus:
        return evidence
    si, j = a.focus[key]
    sent = sources[si].sentences[j]
    score = round(float(sources[si].matrix[j] @ a.emb), 4)
    first = Evidence(si, sent.start, sent.end, sent.text, score)
    rest = tuple(e for e in evidence if (e.source_index, e.start) != (si, sent.start))
    return (first, *rest)[:3]


def calibration_group(label: str, code: str, evidence: tuple) -> str:
    """Decisions whose confidences are calibrated together."""
    if label != "disputed":
        return label
    if code == "no-sources":  # nothing was checked: its low confidence stands uncalibrated
        return code
    if not evidence:
        return "unsourced"
    return "disputed" if code == "not-in-sources" else "contradiction"


def decide(a: Analysis, models: Models, sources: Sequence[PreparedSource]) -> tuple:
    """(label, confidence, reason_code, reason, evidence)."""
    label, conf, code, reason, evidence = _decide(a, models, sources)
    group = calibration_group(label, code, evidence)
    return label, models.calibrate(group, conf), code, reason, evidence


def _decide(a: Analysis, models: Models, sources: Sequence[PreparedSource]) -> tuple:
    """decide() with the confidence as the rules and models give it, before calibration."""
    rules = models.rules
    evidence = tuple(
        Evidence(
            s,
            sources[s].sentences[j].start,
            sources[s].sentences[j].end,
            sources[s].sentences[j].text,
            round(cos, 4),
        )
        for s, j, _comb, cos, _cov in a.candidates[:2]
        if cos >= 0.3 or (_comb == a.candidates[0][2])
    )
    best = a.candidates[0] if a.candidates else None
    best_text = sources[best[0]].sentences[best[1]].text if best else ""
    p_subj = models.p_subj(a)
    # a plain restatement: close in meaning AND in wording to one source sentence
    strong = best is not None and (
        best[3] >= rules.get("restatement_cos", 0.9) or (best[3] >= 0.75 and best[4] >= 0.6)
    )

    # 0. a specific date or time span that no source states is a checkable fact to verify,
    #    even inside a sentence that goes on to comment on it (unless it is hedged)
    if a.time_unsupported and best is not None and a.cues["hedges"] == 0:
        return (
            "disputed",
            rules.get("rule_confidence", {}).get("time", 0.7),
            "not-in-sources",
            f'No source gives "{a.time_unsupported}"; the closest source sentence is '
            f'"{_q(best_text, 70)}".',
            evidence,
        )

    # 1. opinion: evaluative / speculative and not a plain restatement of a source.
    # The learned P(opinion) decides; each explicit cue (hedge, speculation, evaluative word
    # outside quotes; two at most) lowers the bar by cue_margin; cue_strong or more decide.
    c = a.cues
    cue_score = (
        c["hedges"]
        + 2 * c["speculation"]
        + c["eval_verbs"]
        + c["evaluative"]
        + min(c["first_person"], 1)
        + c["question"]
    )
    t = models.subj_t
    is_opinion = (
        p_subj >= t
        or p_subj >= t - rules.get("cue_margin", 0.12) * min(cue_score, 2)
        or cue_score >= rules.get("cue_strong", 2)
    )
    # ... unless it restates a source sentence with at most one evaluative word
    if is_opinion and strong and p_subj < rules.get("strong_subj", 0.85) and cue_score <= 1:
        is_opinion = False
    if is_opinion:
        conf = max(p_subj, min(0.5 + 0.08 * cue_score, 0.8))
        phrases = C.cue_phrases(a.text)
        spec = a.cues["hedges"] + a.cues["speculation"] > 0 or a.cues["question"] > 0
        code = "speculation" if spec else "subjective-language"
        if phrases:
            shown = ", ".join(f'"{p}"' for p in phrases)
            what = "Speculative wording" if spec else "Evaluative wording"
            reason = f"{what} ({shown}): the author's judgement, not a checkable fact."
        else:
            reason = "Reads as the author's judgement or interpretation, not a checkable fact."
        return "opinion", round(conf, 3), code, reason, evidence

    if best is None:  # the article has no source: unchecked, not contradicted
        return (
            "disputed",
            rules.get("rule_confidence", {}).get("no_sources", 0.3),
            "no-sources",
            "No source is attached to check this claim against.",
            (),
        )

    # 2. explicit contradictions with an on-topic source sentence
    conf_rule = rules.get("rule_confidence", {})
    if a.modality:
        src_phrase, claim_word = a.modality
        return (
            "disputed",
            conf_rule.get("modality", 0.8),
            "tense-or-modality",
            f"Closest source sentence says it was requested or is only expected "
            f'("{src_phrase}"), the claim says it happened ("{claim_word}").',
            _focused(evidence, a, "modality", sources),
        )
    for check, code, default in MISMATCH_RULES:
        if pair := getattr(a, check):
            s, c = pair
            return (
                "disputed",
                conf_rule.get(check, default),
                code,
                f'Source says "{s}", claim says "{c}".',
                _focused(evidence, a, check, sources),
            )
    if a.direction:
        s, c = a.direction
        code = "number-mismatch" if C.quantities(c) else "negation"
        return (
            "disputed",
            conf_rule.get("direction", 0.75),
            code,
            f'Source says "{s}", claim says "{c}": they go opposite ways.',
            _focused(evidence, a, "direction", sources),
        )
    if a.negation:
        s, c = a.negation
        return (
            "disputed",
            conf_rule.get("negation", 0.7),
            "negation",
            f'Source says "{s}", claim says "{c}": one of them is negated.',
            _focused(evidence, a, "negation", sources),
        )

    # 3. support vs no support
    p = models.p_sourced(a)
    floor = rules.get("support_floor_cos", 0.0)
    if best[3] < floor and best[4] < 0.5:
        p = min(p, 0.3)
    if a.time_unsupported and not strong:
        return (
            "disputed",
            conf_rule.get("time", 0.7),
            "not-in-sources",
            f'No source gives "{a.time_unsupported}"; the closest source sentence is '
            f'"{_q(best_text, 70)}".',
            evidence,
        )
    if p >= models.ver_t:
        return (
            "sourced",
            round(p, 3),
            "matches-source",
            f'Source says the same: "{_q(best_text)}"',
            evidence,
        )
    conf = round(1 - p, 3)
    if a.refutation:
        return (
            "disputed",
            conf,
            "negation",
            f'A source sentence contradicts the claim: "{_q(a.refutation)}"',
            _focused(evidence, a, "refutation", sources),
        )
    if a.number_unsupported:
        return (
            "disputed",
            conf,
            "not-in-sources",
            f'No source gives "{a.number_unsupported}"; the closest source sentence is '
            f'"{_q(best_text, 70)}".',
            evidence,
        )
    if a.entity_missing:
        return (
            "disputed",
            conf,
            "not-in-sources",
            f'No source mentions "{_find_case(a.text, a.entity_missing[0])}"; the claim '
            f"is not backed by the sources.",
            evidence,
        )
    return (
        "disputed",
        conf,
        "not-in-sources",
        f'No source sentence backs this claim; the closest is "{_q(best_text, 80)}".',
        evidence,
    )


class Annotator:
    """Labels the claims of an article against prepared sources. Thread-safe."""

    def __init__(self, embedder: Embedder | None = None, models: Models | None = None):
        self.embedder = embedder or Embedder()
        self.models = models or Models()
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

    def analyse_claims(
        self, claims: Sequence[str], sources: Sequence[PreparedSource]
    ) -> list[Analysis]:
        """Analyses of given claim texts (not split), e.g. for evaluation."""
        embs = self.embedder.encode(list(claims))
        index = SourceIndex(sources)
        return [analyse(c, embs[i], sources, index) for i, c in enumerate(claims)]

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
        return self._suggest(claims, sources, deadline)

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
    ) -> list[Suggestion]:
        embs = self._encode([c.text for c in claims], deadline)
        index = SourceIndex(sources)
        out = []
        for i, c in enumerate(claims):
            _check(deadline)
            a = analyse(c.text, embs[i], sources, index)
            label, conf, code, reason, ev = decide(a, self.models, sources)
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
                    embedding=to_int8(embs[i]),
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
    """The process-wide annotator (the model loads once per worker process)."""
    return Annotator()


def annotate_texts(text: str, sources: Sequence[str]) -> list[Suggestion]:
    return get_annotator().annotate_texts(text, sources)
