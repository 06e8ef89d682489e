"""The explicit checks of one claim against the evidence the verifier chose.

Each finding quotes the differing words (the source's, then the claim's) and remembers the
sentence it is about. Checks that compare a claim with a sentence run only on the sentences
the verifier read as being about the claim, never on a merely nearby one: a number in the
wrong sentence is no contradiction. Checks against all the sources together (a quantity,
date or name that no source states) say what is not covered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import checks as C
from .sources import PreparedSource, SourceIndex, sentence_facts

NEAR_COVER = 0.7
TIME_NOUNS = frozenset(["year", "month", "week", "day", "decad", "century", "hour", "minut"])


@dataclass
class Findings:
    number: tuple[str, str] | None = None
    number_unsupported: str | None = None
    time_unsupported: str | None = None  # a date or time span no source states
    date: tuple[str, str] | None = None
    entity: tuple[str, str] | None = None
    entity_missing: tuple[str, ...] = ()
    negation: tuple[str, str] | None = None
    negation_near: bool = False  # the negated sentence is a near copy of the claim
    modality: tuple[str, str] | None = None
    direction: tuple[str, str] | None = None  # (source "fell by …", claim "rose by …")
    refutation: str | None = None  # a chosen sentence that says the claim is false
    entity_cover: float = 1.0  # share of the claim's names found in the sources
    # (source index, sentence index) of the sentence each finding is about
    focus: dict = field(default_factory=dict)

    @property
    def contradiction(self) -> bool:
        """A precise difference: another number, date, name or title, "rose" for "fell",
        "deployed" where the source says it was only requested, or "not" in a near copy."""
        return any((self.number, self.date, self.entity, self.modality, self.direction)) or (
            self.negation is not None and self.negation_near
        )

    @property
    def opposite(self) -> bool:
        """A negation in a sentence that is no near copy: a hint the models weigh."""
        return self.negation is not None and not self.negation_near


def check(
    text: str,
    sources: Sequence[PreparedSource],
    index: SourceIndex,
    chosen: list[tuple[int, int]],
) -> Findings:
    """Findings for ``text``; ``chosen`` lists (source, sentence) the verifier read as being
    about the claim, best first."""
    f = Findings()
    cfacts = sentence_facts(text)
    chosen_facts = [sources[s].facts()[j] for s, j in chosen]
    chosen_text = [sources[s].sentences[j].text for s, j in chosen]
    # a chosen sentence that says nearly the same words: one word changed is then telling
    near = [
        len(cfacts["stems"] & facts["stems"]) >= NEAR_COVER * max(len(cfacts["stems"]), 1)
        for facts in chosen_facts
    ]
    _numbers(f, text, cfacts, index, chosen, chosen_facts, near)
    _dates(f, cfacts, index, chosen, chosen_facts)
    _entities(f, text, cfacts, sources, index, chosen, chosen_text, near)
    for pos, sentence in enumerate(chosen_text):
        if f.negation is None and (conflict := C.negation_conflict(text, sentence)):
            f.negation_near = near[pos]
            f.negation, f.focus["negation"] = conflict, chosen[pos]
        if f.direction is None and (conflict := C.direction_conflict(text, sentence)):
            f.direction, f.focus["direction"] = conflict, chosen[pos]
        if f.modality is None and (
            conflict := C.modality_conflict(text, sentence, realised=index.realised)
        ):
            f.modality, f.focus["modality"] = conflict, chosen[pos]
        # "this is false", "no evidence", or a bare "No." answering the claim
        says_no = chosen_facts[pos]["refute"] or chosen_facts[pos]["answer"] == "no"
        if f.refutation is None and says_no and not C.refutes(text):
            f.refutation, f.focus["refutation"] = sentence, chosen[pos]
    return f


def _numbers(f: Findings, text, cfacts, index: SourceIndex, chosen, chosen_facts, near) -> None:
    """A claim quantity no source states (allowing "more than", "about" ...); a different
    one in a chosen sentence, counting the same thing (or, in a near copy of the claim,
    standing bare where the claim's does), contradicts it."""
    for q in cfacts["quantities"]:
        if q.noun == "__duration__":
            if not any(q.text.lower() in low for low in index.lower):
                f.number_unsupported = f.number_unsupported or q.text
                f.time_unsupported = f.time_unsupported or q.text
            continue
        if any(
            C.consistent(q, sq) and (q.value == sq.value or not q.noun or q.noun == sq.noun)
            for sq in index.quantities
        ):
            continue
        # "in the last 35 years" vs "over 1,400 years": spans of time in two sentences on
        # one topic are seldom the same quantity, so a different one is no contradiction,
        # unless the sentence is a near copy of the claim and the span is how long something
        # lasted ("for five days" against "for three days"), not a window ("over the last 40
        # years" holds within "over the last 150"). A percentage counts as a unit of its own.
        span, unit = q.noun in TIME_NOUNS, _unit(q)
        window = span and re.search(
            r"\b(?:last|past|previous|next|first)\s+" + re.escape(q.text), text
        )
        found = next(
            (
                (pos, sq)
                for pos, facts in enumerate(chosen_facts)
                for sq in facts["quantities"]
                if (not span or (near[pos] and not window))
                and sq.noun != "__duration__"
                and sq.ordinal == q.ordinal
                and (_unit(sq) == unit if unit else near[pos] and not sq.noun)
            ),
            None,
        )
        if found and f.number is None:
            f.number, f.focus["number"] = (found[1].text, q.text), chosen[found[0]]
        elif not found:
            f.number_unsupported = f.number_unsupported or q.text


def _unit(q: C.Quantity) -> str:
    """What a quantity counts: its noun, or "%" for a percentage."""
    return q.noun or ("%" if C.is_percent(q.value) else "")


def _dates(f: Findings, cfacts, index: SourceIndex, chosen, chosen_facts) -> None:
    """Only a month+day, or the single year of both texts, can contradict."""
    c_years = [d for d in cfacts["dates"] if d.kind == "y"]
    for d in cfacts["dates"]:
        if (d.kind, d.value) in index.dates:
            continue
        for pos, facts in enumerate(chosen_facts):
            other = [sd for sd in facts["dates"] if sd.kind == d.kind]
            if (d.kind == "md" and other) or (
                d.kind == "y" and len(other) == 1 and len(c_years) == 1
            ):
                if f.date is None:
                    f.date, f.focus["date"] = (other[0].text, d.text), chosen[pos]
                break
        else:
            if d.kind in ("md", "y"):
                f.number_unsupported = f.number_unsupported or d.text
            if d.kind == "md":
                f.time_unsupported = f.time_unsupported or d.text


def _entities(f: Findings, text, cfacts, sources, index: SourceIndex, chosen, chosen_text, near):
    missing = [
        e
        for e in sorted(cfacts["entities"])
        if e not in index.entities
        and C.stem(e) not in index.stems
        and e not in index.lower_blob
        and not (len(e) >= 6 and e[:5] in index.prefixes)
    ]
    f.entity_missing = tuple(missing)
    f.entity_cover = 1.0 - len(missing) / max(len(cfacts["entities"]), 1)
    if role := _role_mismatch(text, index):
        for si, src in enumerate(sources):
            for j, sent in enumerate(src.sentences):
                if role[0] in sent.text:
                    f.entity, f.focus["entity"] = role, (si, j)
                    return
    if missing:
        for pos, sentence in enumerate(chosen_text):
            if sub := C.substituted_entity(text, sentence, missing, loose=near[pos]):
                f.entity, f.focus["entity"] = sub, chosen[pos]
                return


def _role_mismatch(claim: str, index: SourceIndex) -> tuple[str, str] | None:
    """The claim's title for a person, where the sources give that person another office
    (a characterisation such as "dictator" is no office to differ from)."""
    for surname, (role, mention) in C.role_mentions(claim).items():
        offices = {r: m for r, m in index.roles.get(surname, {}).items() if C.is_office(r)}
        if C.is_office(role) and offices and not any(C.same_office(role, r) for r in offices):
            return next(iter(offices.values())), mention
    return None
