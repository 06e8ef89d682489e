"""Review workflows across claims and changes: undo, bulk accept, merge and split."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from articles.models import Article
from claims.models import Claim, StaleClaim, VerdictChange

Kind = VerdictChange.Kind
# Positions are unique per article: rows being renumbered are parked above every real one.
PARKED = 1_000_000


@dataclass(frozen=True)
class Outcome:
    changes: list[VerdictChange] = field(default_factory=list)
    skipped: int = 0


def undo_last(*, article: Article, editor) -> Outcome:
    """Revert the editor's last action on the article that still stands.

    Undo appends changes restoring the old label and note, credited to whoever decided them;
    a bulk accept is undone as one.
    A change since overwritten (by anyone, or by a merge or split) no longer stands: only
    undone changes and undos may follow it.
    """
    overwritten = Exists(
        VerdictChange.objects.filter(
            claim=OuterRef("claim"), pk__gt=OuterRef("pk"), undone_by__isnull=True
        ).exclude(kind=Kind.UNDO)
    )
    standing = (
        VerdictChange.objects.filter(
            claim__article=article,
            claim__removed_in_version__isnull=True,  # a correction dropped it: history only
            kind__in=[Kind.MARK, Kind.ACCEPT],
            undone_by__isnull=True,
        )
        .exclude(overwritten)
        .select_related("claim", "old_decided_by")
        .order_by("-pk")
    )
    last = standing.filter(editor=editor).first()
    if last is None:
        return Outcome()
    targets = list(standing.filter(batch=last.batch)) if last.batch else [last]
    batch = uuid.uuid4() if last.batch else None
    changes, skipped = [], 0
    with transaction.atomic():
        for change in targets:
            try:
                changes.append(
                    change.claim.set_verdict(
                        label=change.old_label,
                        note=change.old_note,
                        editor=editor,
                        kind=Kind.UNDO,
                        batch=batch,
                        reverts=change,
                    )
                )
            except StaleClaim:  # written by someone else since we read it
                skipped += 1
    return Outcome(changes=changes, skipped=skipped)


def accept_suggestions(*, article: Article, editor, min_confidence: float) -> Outcome:
    """Accept the suggestion of every undecided claim at least this sure, as one batch."""
    batch = uuid.uuid4()
    changes, skipped = [], 0
    with transaction.atomic():
        for claim in article.claims.filter(verdict="", confidence__gte=min_confidence):
            try:
                changes.append(
                    claim.set_verdict(
                        label=claim.suggested_label,
                        note="",
                        editor=editor,
                        kind=Kind.ACCEPT,
                        batch=batch,
                    )
                )
            except StaleClaim:  # decided by someone else meanwhile: theirs stands
                skipped += 1
    return Outcome(changes=changes, skipped=skipped)


def _shift_positions(article: Article, *, after: int, by: int) -> None:
    later = article.claims.filter(position__gt=after)
    later.update(position=F("position") + PARKED)
    article.claims.filter(position__gt=PARKED).update(position=F("position") - PARKED + by)


def _restructure(claim: Claim, *, seen_version: int, label: str, editor, kind: str, why: str):
    """Save the claim's new span, bumping its version (refusing a stale one), and record why."""
    kept = bool(label)
    if not Claim.objects.filter(pk=claim.pk, version=seen_version).update(
        start=claim.start,
        end=claim.end,
        text=claim.text,
        confidence=claim.confidence,
        evidence=claim.evidence,
        verdict=label,
        note=claim.note if kept else "",
        decided_by_id=claim.decided_by_id if kept else None,
        decided_at=claim.decided_at if kept else None,
        version=F("version") + 1,
    ):
        raise StaleClaim(claim)
    VerdictChange.record(claim, kind=kind, new_label=label, note=why, editor=editor)
    claim.verdict, claim.version = label, seen_version + 1
    if not kept:
        claim.note, claim.decided_by, claim.decided_at = "", None, None


def merge_with_next(*, claim: Claim, editor, seen_version: int) -> Claim:
    """Join a claim with the next one in the text.

    The merged claim keeps the first claim's suggestion (the lower confidence, both evidence
    lists) and takes over the second's history; it keeps a verdict only if both had the same
    one, else it is undecided again. A "merge" change records the text that joined.
    """
    article = claim.article
    with transaction.atomic():
        following = (
            article.claims.select_for_update()
            .filter(position__gt=claim.position)
            .order_by("position")
            .first()
        )
        if following is None:
            raise ValueError("The last claim has nothing after it to merge with.")
        label = claim.verdict if claim.verdict == following.verdict else ""
        claim.start, claim.end = min(claim.start, following.start), max(claim.end, following.end)
        claim.text = article.body[claim.start : claim.end]
        claim.confidence = min(claim.confidence, following.confidence)
        claim.evidence = claim.evidence + following.evidence
        following.changes.update(claim=claim)
        following.delete()
        _restructure(
            claim,
            seen_version=seen_version,
            label=label,
            editor=editor,
            kind=Kind.MERGE,
            why=f"Merged with #{following.position}: “{following.text}”",
        )
        _shift_positions(article, after=following.position, by=-1)
        article.recount_claims()
    return claim


_WORD = re.compile(r"\S+")


def split_points(claim: Claim) -> list[int]:
    """Offsets in the article body where the claim can be split: between its words."""
    # The start of every word but the first (one scan; no prefix copied per offset).
    return [claim.start + word.start() for word in _WORD.finditer(claim.text)][1:]


def split_claim(*, claim: Claim, at: int, editor, seen_version: int) -> Claim:
    """Cut a claim in two at a body offset; returns the second half.

    Both halves start undecided (a verdict on the whole may not hold for each part) and
    inherit the suggestion; the first keeps the history, and both record a "split" change.
    """
    if at not in split_points(claim):
        raise ValueError("Split between two words of the claim.")
    article = claim.article
    body = article.body
    with transaction.atomic():
        end = claim.end
        claim.end = at
        while body[claim.end - 1].isspace():
            claim.end -= 1
        claim.text = body[claim.start : claim.end]
        _restructure(
            claim,
            seen_version=seen_version,
            label="",
            editor=editor,
            kind=Kind.SPLIT,
            why=f"Split at character {at}; the rest is now #{claim.position + 1}",
        )
        _shift_positions(article, after=claim.position, by=1)
        second = Claim.objects.create(
            article=article,
            position=claim.position + 1,
            start=at,
            end=end,
            text=body[at:end],
            suggested_label=claim.suggested_label,
            confidence=claim.confidence,
            reason_code=claim.reason_code,
            reason=claim.reason,
            evidence=claim.evidence,
            version=1,
        )
        VerdictChange.record(
            second,
            kind=Kind.SPLIT,
            new_label="",
            note=f"Split from #{claim.position}",
            editor=editor,
        )
        article.recount_claims()
    return second
