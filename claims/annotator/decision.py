"""The decision: a label, a calibrated confidence, a reason code and the words of the reason.

In order: a date or time span no source states (a checkable fact, even inside a comment);
opinion (the fine-tuned classifier, or two explicit cues); no source at all (unchecked, low
confidence); then P(sourced) from the verifier's reading of the evidence, retrieval and the
checks (for a sentence in an article, weights fitted on articles: ``sourced_model``). Below
the threshold the claim is disputed, and the reason tells the two findings apart: a source
*contradicts* it (an explicit check, or the verifier reads a sentence as contradicting it), or
no source *covers* it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import checks as C
from .analysis import Findings
from .config import Config, Logistic, logit, sigmoid
from .retrieval import Candidate, Unit
from .sources import PreparedSource

SUPPORTS, REFUTES, NEI = 0, 1, 2
# Without a verifier's choice, a sentence this close in meaning and in words is the one a
# check may compare the claim with.
CLOSE_COS, CLOSE_COVER = 0.6, 0.4
# Evidence this close in meaning is about the claim's subject and may contradict it (chosen on
# dev against no limit, a shared content word, and 0.4: contradicted vs uncovered 0.774).
ON_TOPIC_COS = 0.3
# Checks whose finding quotes the source's and the claim's differing words, in the order
# they are tried: (Findings field, reason code).
MISMATCHES = (
    ("number", "number-mismatch"),
    ("date", "date-mismatch"),
    ("entity", "entity-mismatch"),
)


@dataclass(frozen=True)
class Evidence:
    source_index: int
    start: int
    end: int
    text: str
    score: float


@dataclass
class Reading:
    """Everything known about one claim when it is decided."""

    text: str
    cues: dict
    p_opinion: float
    embedding: np.ndarray  # the sentence's, for the analysis score
    candidates: list[Candidate]
    units: list[Unit]
    verdicts: np.ndarray | None = None  # (units, 3): supports / refutes / nei
    findings: Findings | None = None
    # in an article: the mean opinion_logit() of the other sentences of its paragraph (0
    # when it is alone there); None for a claim read on its own
    context: float | None = None

    def chosen(self, max_nei: float = 0.5) -> list[tuple[int, int]]:
        """(source, sentence) of the evidence the verifier read as about the claim, the
        most decided first (a window counts for both its sentences); when it read none so,
        the nearest sentence if it is close in meaning and in words."""
        out: list[tuple[int, int]] = []
        if self.verdicts is not None:
            for u in np.argsort(self.verdicts[:, NEI]):
                if self.verdicts[u, NEI] >= max_nei:
                    break
                unit = self.units[u]
                for j in unit.sentences:
                    if (unit.candidate.source, j) not in out:
                        out.append((unit.candidate.source, j))
        if not out and self.candidates:
            best = self.candidates[0]
            if best.cos >= CLOSE_COS and best.cover >= CLOSE_COVER:
                out.append((best.source, best.sentence))
        return out


def cue_score(cues: dict) -> float:
    return (
        cues["hedges"]
        + 2 * cues["speculation"]
        + cues["eval_verbs"]
        + cues["evaluative"]
        + min(cues["first_person"], 1)
        + cues["question"]
    )


def features(r: Reading) -> dict:
    """The inputs of P(sourced), as named in config.json."""
    v = r.verdicts
    f = r.findings or Findings()
    best = r.candidates[0] if r.candidates else None
    read = v is not None and len(v) > 0
    return {
        "supports": logit(float(v[:, SUPPORTS].max())) if read else -9.0,
        "refutes": logit(float(v[:, REFUTES].max())) if read else -9.0,
        "nei": logit(float(v[:, NEI].min())) if read else 9.0,
        "cos": best.cos if best else 0.0,
        "cover": best.cover if best else 0.0,
        "contradiction": float(f.contradiction),
        "opposite": float(f.opposite),
        "refutation": float(f.refutation is not None),
        "unstated": float(f.number_unsupported is not None),
        "names_found": f.entity_cover,
    }


def _q(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _evidence(r: Reading, sources: Sequence[PreparedSource], first=None) -> tuple:
    """Up to three quoted sentences: the one a finding is about, then the verifier's
    choice, then the nearest by retrieval."""
    chosen = r.chosen()
    keys = ([first] if first else []) + chosen + [(c.source, c.sentence) for c in r.candidates]
    out, seen = [], set()
    for si, j in keys:
        if (si, j) in seen:
            continue
        seen.add((si, j))
        sent = sources[si].sentences[j]
        cos = next((c.cos for c in r.candidates if (c.source, c.sentence) == (si, j)), 0.0)
        out.append(Evidence(si, sent.start, sent.end, sent.text, round(cos, 4)))
        if len(out) == (3 if first or chosen else 2):
            break
    return tuple(out)


def calibration_group(label: str, code: str, in_article: bool = False) -> str:
    """Decisions whose confidences are calibrated together (a sentence in an article is
    decided by weights of its own, on a scale of its own)."""
    if code == "no-sources":  # nothing was checked: its low confidence stands uncalibrated
        return code
    if label == "disputed":
        label = "uncovered" if code == "not-in-sources" else "contradicted"
    return f"{label}-in-article" if in_article else label


def decide(r: Reading, config: Config, sources: Sequence[PreparedSource]) -> tuple:
    """(label, confidence, reason_code, reason, evidence)."""
    label, conf, code, reason, evidence = decide_raw(r, config, sources)
    group = calibration_group(label, code, in_article=r.context is not None)
    return label, config.calibrate(group, conf), code, reason, evidence


def p_analysis(r: Reading, config: Config) -> float:
    """How much the sentence reads like the author reading meaning into events ("This
    incident underscores …"): a logistic regression over its embedding, fitted on the train
    part of the commentary written for the project, of SUBJ news sentences and of checkable
    claims."""
    return sigmoid(float(r.embedding @ config.analysis_w) + config.analysis_b)


def opinion_inputs(r: Reading, config: Config) -> list[float]:
    """The inputs of P(opinion), in the order of config.json's opinion weights "w"."""
    return [logit(r.p_opinion), cue_score(r.cues), logit(p_analysis(r, config))]


def opinion_logit(r: Reading, config: Config) -> float:
    """The sentence read alone: the classifier's probability, the explicit cues (hedges,
    speculation, evaluative words) and the analysis score, with weights fitted on dev."""
    o = config.opinion
    return float(np.dot(o["w"], opinion_inputs(r, config))) + o["bias"]


def set_context(readings: Sequence[Reading], paragraphs: Sequence[int], config: Config) -> None:
    """Each reading's context in its article: how much the other sentences of its paragraph
    read as opinion. Opinion comes in paragraphs (a sentence among analysis is likelier
    analysis, one among reports a report), which a classifier of single sentences cannot
    see."""
    alone = [opinion_logit(r, config) for r in readings]
    members: dict[int, list[int]] = {}
    for i, paragraph in enumerate(paragraphs):
        members.setdefault(paragraph, []).append(i)
    for i, r in enumerate(readings):
        others = [alone[j] for j in members[paragraphs[i]] if j != i]
        r.context = sum(others) / len(others) if others else 0.0


def article_analysis_logit(r: Reading, config: Config) -> float:
    """How much the sentence reads like the opinion of a derived article: a logistic
    regression over its embedding, fitted on the train part of the article pairs."""
    return logit(
        sigmoid(float(r.embedding @ config.article_analysis_w) + config.article_analysis_b)
    )


def article_inputs(r: Reading, config: Config) -> list[float]:
    """The inputs of P(opinion) in an article, in the order of its weights "w"."""
    return [opinion_logit(r, config), r.context, article_analysis_logit(r, config)]


def p_opinion(r: Reading, config: Config) -> float:
    """P(opinion). Of a claim read on its own: the sentence alone, with weights fitted on
    news sentences (the convention of the CheckThat! kind). Of a sentence in an article: the
    same, its paragraph's context and a score learned from articles, with weights fitted on
    the article pairs written for the project (an editor calls a columnist's analysis
    opinion; CheckThat! calls some of it objective)."""
    if r.context is None:
        return sigmoid(opinion_logit(r, config))
    a = config.opinion["article"]
    return sigmoid(float(np.dot(a["w"], article_inputs(r, config))) + a["b"])


def is_opinion(r: Reading, config: Config) -> bool:
    """Judgement or speculation: by the model and the cues, or by enough cues alone; never
    a plain restatement of a source."""
    o = config.opinion
    best = r.candidates[0] if r.candidates else None
    restates = best is not None and (best.cos >= 0.9 or (best.cos >= 0.75 and best.cover >= 0.6))
    if restates and r.p_opinion < o["restatement_p"] and cue_score(r.cues) <= 1:
        return False
    # In an article, someone's quoted words with no sign of opinion around them report what
    # was said (104 of the 107 such sentences of the derived articles are not opinion; dev
    # pairs 0.905 against 0.895 without the rule). Not for claims read alone: CheckThat! calls
    # 5 of its 43 opinion, and the rule cost the dev news sentences 1.2 points.
    if r.context is not None and r.cues["quoted_speech"] and cue_score(r.cues) == 0:
        return False
    threshold = o["threshold"] if r.context is None else o["article"]["threshold"]
    return p_opinion(r, config) >= threshold or cue_score(r.cues) >= o["cue_strong"]


def decide_raw(r: Reading, config: Config, sources: Sequence[PreparedSource]) -> tuple:
    """decide() with the confidence before calibration."""
    f = r.findings or Findings()
    best = r.candidates[0] if r.candidates else None
    best_text = sources[best.source].sentences[best.sentence].text if best else ""

    # 0. a specific date or time span no source states is a checkable fact to verify, even
    #    inside a sentence that goes on to comment on it (unless it is hedged)
    if f.time_unsupported and best is not None and r.cues["hedges"] == 0:
        return (
            "disputed",
            config.rule_confidence("time"),
            "not-in-sources",
            f'No source gives "{f.time_unsupported}"; the closest source sentence is '
            f'"{_q(best_text, 70)}".',
            _evidence(r, sources),
        )

    if is_opinion(r, config):
        return _opinion(r, p_opinion(r, config), sources, by_article(r, config))

    if best is None:  # the article has no source: unchecked, not contradicted
        return (
            "disputed",
            config.rule_confidence("no_sources"),
            "no-sources",
            "No source is attached to check this claim against.",
            (),
        )

    sourced = sourced_model(r, config)
    p = sourced.probability(features(r))
    # an explicit check against the sentence the verifier chose outweighs the models (a
    # small model reads "95" and "75" alike); its confidence is calibrated on dev like any
    if f.contradiction and (found := _contradiction(r, f, config, sources)):
        code, reason, first = found
        return (
            "disputed",
            config.rule_confidence("check"),
            code,
            reason,
            _evidence(r, sources, first),
        )
    # a forecast or guess with a figure no source gives ("could reach 200") is not backed
    guess = r.cues["hedges"] + r.cues["speculation"] + r.cues["modals"] > 0 and f.number_unsupported
    if p >= sourced.threshold and not guess:
        quoted = _evidence(r, sources)
        return (
            "sourced",
            round(p, 3),
            "matches-source",
            f'Source says the same: "{_q(quoted[0].text)}"',
            quoted,
        )
    conf = round(1 - p, 3)
    if found := _contradiction(r, f, config, sources):
        code, reason, first = found
        return "disputed", conf, code, reason, _evidence(r, sources, first)
    return "disputed", conf, "not-in-sources", _uncovered(r, f, best_text), _evidence(r, sources)


def sourced_model(r: Reading, config: Config) -> Logistic:
    """P(sourced) of a claim read on its own: fitted on the claims of fact-checking sets. Of
    a sentence in an article: the same features, fitted on the article pairs written for the
    project, where a writer paraphrases a report. There the verifier reads many faithful
    paraphrases and uncovered additions as refuting (of its train pairs' contradictions
    found by the verifier alone, 7 of 50 were right), and the explicit checks and the
    words the report shares tell more."""
    return config.sourced if r.context is None else config.sourced_article


def by_article(r: Reading, config: Config) -> bool:
    """Whether the sentence is opinion as read in its article: alone it would not be."""
    alone = sigmoid(opinion_logit(r, config)) >= config.opinion["threshold"]
    return r.context is not None and not alone


def _opinion(r: Reading, p: float, sources, in_article: bool) -> tuple:
    spec = r.cues["hedges"] + r.cues["speculation"] > 0 or r.cues["question"] > 0
    code = "speculation" if spec else "subjective-language"
    phrases = C.cue_phrases(r.text)
    if phrases:
        shown = ", ".join(f'"{p}"' for p in phrases)
        what = "Speculative wording" if spec else "Evaluative wording"
        reason = f"{what} ({shown}): the author's judgement, not a checkable fact."
    elif in_article:
        reason = "Read in its article, the author's interpretation, not a checkable fact."
    else:
        reason = "Reads as the author's judgement or interpretation, not a checkable fact."
    return "opinion", round(p, 3), code, reason, _evidence(r, sources)


def _contradiction(r: Reading, f: Findings, config: Config, sources):
    """(code, reason, sentence) when a source contradicts the claim, else None."""
    if f.modality:
        src_phrase, claim_word = f.modality
        return (
            "tense-or-modality",
            f"Closest source sentence says it was requested or is only expected "
            f'("{src_phrase}"), the claim says it happened ("{claim_word}").',
            f.focus["modality"],
        )
    for field, code in MISMATCHES:
        if pair := getattr(f, field):
            return code, f'Source says "{pair[0]}", claim says "{pair[1]}".', f.focus[field]
    if f.direction:
        s, c = f.direction
        code = "number-mismatch" if C.quantities(c) else "negation"
        reason = f'Source says "{s}", claim says "{c}": they go opposite ways.'
        return code, reason, f.focus["direction"]
    if f.negation:
        s, c = f.negation
        reason = f'Source says "{s}", claim says "{c}": one of them is negated.'
        return "negation", reason, f.focus["negation"]
    if f.refutation:
        reason = f'A source sentence says the claim is false: "{_q(f.refutation)}"'
        return "contradicted", reason, f.focus["refutation"]
    u = contradicting_unit(r)
    threshold = config.contradicted["threshold" if r.context is None else "article"]
    if u is not None and r.verdicts[u, REFUTES] >= threshold:
        unit = r.units[u]
        reason = f'A source sentence contradicts the claim: "{_q(unit.text)}"'
        return "contradicted", reason, (unit.candidate.source, unit.sentences[0])
    return None


def contradicting_unit(r: Reading) -> int | None:
    """The piece of evidence the verifier reads as most contradicting the claim, among those
    about the same thing (ON_TOPIC_COS): the verifier takes a "not" in an unrelated sentence
    for a refutation, and a sentence on another subject contradicts nothing."""
    if r.verdicts is None:
        return None
    on_topic = [u for u, unit in enumerate(r.units) if unit.candidate.cos >= ON_TOPIC_COS]
    return max(on_topic, key=lambda u: r.verdicts[u, REFUTES], default=None)


def _uncovered(r: Reading, f: Findings, best_text: str) -> str:
    if f.number_unsupported:
        return (
            f'No source gives "{f.number_unsupported}"; the closest source sentence is '
            f'"{_q(best_text, 70)}".'
        )
    if f.entity_missing:
        name = _find_case(r.text, f.entity_missing[0])
        return f'No source mentions "{name}"; the claim is not backed by the sources.'
    return f'No source sentence backs this claim; the closest is "{_q(best_text, 80)}".'


def _find_case(text: str, token_lower: str) -> str:
    for w in C.entities(text):
        if token_lower in w.lower().split():
            return w
    return token_lower
