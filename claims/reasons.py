"""What the pre-annotator's reason codes mean, in the words editors read, in one place.

A disputed suggestion is one of two very different findings: a source *contradicts* the
claim, or no source *covers* it (nothing to check it against). The desk, its filters and the
CSV export show them apart, in words and not by colour alone.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Q, Value, When

REASONS = {
    "matches-source": "A source says the same",
    "number-mismatch": "A source gives another number",
    "date-mismatch": "A source gives another date",
    "entity-mismatch": "A source names someone or something else",
    "tense-or-modality": "A source says it is only requested or expected",
    "negation": "A source says the opposite",
    "contradicted": "A source contradicts it",
    "not-in-sources": "No source covers it",
    "no-sources": "The article has no sources",
    "subjective-language": "Evaluative wording",
    "speculation": "Speculative wording",
}
CONTRADICTED = frozenset(
    [
        "number-mismatch",
        "date-mismatch",
        "entity-mismatch",
        "tense-or-modality",
        "negation",
        "contradicted",
    ]
)
UNCOVERED = frozenset(["not-in-sources", "no-sources"])

# What a suggestion found: its label, with "disputed" told apart by its reason.
FINDINGS = {
    "sourced": "Sourced",
    "contradicted": "Contradicted by a source",
    "uncovered": "Not in the sources",
    "disputed": "Disputed",
    "opinion": "Opinion",
}
# Short forms for badges and the list.
SHORT = {
    "sourced": "Sourced",
    "contradicted": "Contradicted",
    "uncovered": "Not in sources",
    "disputed": "Disputed",
    "opinion": "Opinion",
}
# Triage order of "contradictions first".
URGENCY = {"contradicted": 0, "uncovered": 1, "disputed": 1}


def reason_name(code: str) -> str:
    return REASONS.get(code, code.replace("-", " ").capitalize())


def finding(label: str, code: str) -> str:
    """The finding of a suggestion: a key of FINDINGS."""
    if label != "disputed":
        return label
    if code in CONTRADICTED:
        return "contradicted"
    return "uncovered" if code in UNCOVERED else "disputed"


def finding_expression() -> Case:
    """FINDINGS' words computed by the database, for exports that stream rows."""
    disputed = Q(suggested_label="disputed")
    return Case(
        When(disputed & Q(reason_code__in=CONTRADICTED), then=Value(FINDINGS["contradicted"])),
        When(disputed & Q(reason_code__in=UNCOVERED), then=Value(FINDINGS["uncovered"])),
        When(disputed, then=Value(FINDINGS["disputed"])),
        When(suggested_label="sourced", then=Value(FINDINGS["sourced"])),
        default=Value(FINDINGS["opinion"]),
        output_field=CharField(),
    )
