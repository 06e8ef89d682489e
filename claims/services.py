from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef

from articles.models import Article
from claims import memory
from claims.annotator import (
    AnnotationLimit,
    Annotator,
    Limits,
    PreparedSource,
    Suggestion,
    get_annotator,
)
from claims.models import Claim, VerdictChange

logger = logging.getLogger(__name__)


def annotate_article(*, article_id: int, task_id: str = "") -> bool:
    """Pre-annotate an article unless another run holds it; returns whether it ran.

    Suggestions are replaced (one decided before in another article on the same wording
    wins); verdicts, notes and history are never touched.
    """
    stale_after = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    # A source never reaches the queue (its status is "source", which nothing claims).
    if not Article.claim_for_annotation(article_id, task_id=task_id, stale_after=stale_after):
        return False
    article = Article.objects.get(pk=article_id)
    limits = annotation_limits()
    deadline = time.monotonic() + limits.seconds
    try:
        annotator = get_annotator()
        sources = list(article.sources.order_by("pk"))
        prepared = [
            prepared_source(annotator, source, limits=limits, deadline=deadline)
            for source in sources
        ]
        suggestions = memory.remembered_suggestions(
            article_id=article.pk,
            suggestions=annotator.annotate(article.body, prepared, limits, deadline),
        )
        with transaction.atomic():
            replace_suggestions(article=article, suggestions=suggestions, sources=sources)
            article.mark_ready()
    except AnnotationLimit as exc:
        # Past a limit: the claims, verdicts and notes already saved stay as they were.
        logger.warning("Pre-annotation of article %s stopped: %s", article_id, exc)
        article.mark_failed(str(exc))
    except Exception as exc:
        logger.exception("Pre-annotation of article %s failed", article_id)
        article.mark_failed(f"Pre-annotation failed: {exc.__class__.__name__}: {exc}")
        raise
    return True


def annotation_limits() -> Limits:
    return Limits(
        claim_chars=settings.ANNOTATION_MAX_CLAIM_CHARS,
        claims=settings.ANNOTATION_MAX_CLAIMS,
        seconds=settings.ANNOTATION_TIME_LIMIT,
    )


def prepared_source(
    annotator: Annotator,
    source: Article,
    *,
    limits: Limits,
    deadline: float | None = None,
) -> PreparedSource:
    """The source split and embedded, from the stored copy when the engine has not changed."""
    if source.prepared_version == annotator.version and source.prepared_source:
        try:
            return PreparedSource.from_bytes(bytes(source.prepared_source))
        except ValueError:
            logger.warning("Stored prepared source of article %s is unreadable", source.pk)
    try:
        prepared = annotator.prepare_source(source.body, limits, deadline)
    except AnnotationLimit as exc:
        raise AnnotationLimit(f'Source "{source.title}": {exc}') from exc
    Article.objects.filter(pk=source.pk).update(
        prepared_source=prepared.to_bytes(), prepared_version=annotator.version
    )
    return prepared


def replace_suggestions(
    *, article: Article, suggestions: Sequence[Suggestion], sources: Sequence[Article]
) -> None:
    """Store fresh suggestions on the article's claims; see carry_over for which claim each
    one lands on. Verdicts, notes and history stay with their claims.

    Claims no suggestion took over: untouched ones are dropped; ones an editor touched stay
    where their text still stands in the body (a merge, a split), else they are set aside as
    removed in the current version, their verdict and history kept.
    """
    body = article.body
    existing = list(
        article.claims.annotate(touched=Exists(VerdictChange.objects.filter(claim=OuterRef("pk"))))
    )
    landed, left = carry_over(body=body, claims=existing, suggestions=suggestions)
    keep: list[Claim] = []
    for suggestion, claim in zip(suggestions, landed, strict=True):
        if claim is None:
            claim = Claim(article=article)
        elif claim.text != suggestion.text and claim.verdict and not claim.decided_text:
            claim.decided_text = claim.text  # the verdict was given on these words
        claim.start, claim.end, claim.text = suggestion.start, suggestion.end, suggestion.text
        claim.suggested_label = suggestion.label
        claim.confidence = min(max(float(suggestion.confidence), 0.0), 1.0)
        claim.reason_code = suggestion.reason_code
        claim.reason = suggestion.reason
        claim.evidence = [
            {
                "article_id": sources[ev.source_index].pk,
                "start": ev.start,
                "end": ev.end,
                "text": ev.text,
                "score": round(float(ev.score), 4),
            }
            for ev in suggestion.evidence
        ]
        if suggestion.embedding:
            claim.embedding = suggestion.embedding
            claim.embedding_cell = memory.cell_of(suggestion.embedding)
        keep.append(claim)
    removed: list[Claim] = []
    for claim in left:
        if not (claim.verdict or claim.touched):
            continue
        if body[claim.start : claim.end] == claim.text:
            keep.append(claim)
        elif (moved := body.find(claim.text)) >= 0:  # an editor's merge or split, moved
            claim.start, claim.end = moved, moved + len(claim.text)
            keep.append(claim)
        else:
            removed.append(claim)
    stay = {claim.pk for claim in keep + removed if claim.pk}
    Claim.objects.filter(pk__in=[claim.pk for claim in left if claim.pk not in stay]).delete()
    Claim.objects.filter(pk__in=[claim.pk for claim in removed]).update(
        removed_in_version=article.versions.aggregate(n=Max("number"))["n"] or 1
    )
    keep.sort(key=lambda claim: (claim.start, claim.end))

    # Positions are unique per article: park the kept claims out of the way first.
    parked = [claim for claim in keep if claim.pk]
    for claim in parked:
        claim.position += 1_000_000
    Claim.objects.bulk_update(parked, ["position"])
    for position, claim in enumerate(keep, start=1):
        claim.position = position
    Claim.objects.bulk_update(
        [claim for claim in keep if claim.pk],
        [
            "position",
            "start",
            "end",
            "text",
            "decided_text",
            "suggested_label",
            "confidence",
            "reason_code",
            "reason",
            "evidence",
            "embedding",
            "embedding_cell",
        ],
    )
    Claim.objects.bulk_create([claim for claim in keep if not claim.pk])
    article.recount_claims()


def carry_over(
    *, body: str, claims: Sequence[Claim], suggestions: Sequence[Suggestion]
) -> tuple[list[Claim | None], list[Claim]]:
    """Which existing claim each suggestion takes over (None: a new claim), and the claims
    none took over.

    A claim whose text still stands at its span in the body is matched by its span only, so
    an editor's merge or split survives a re-run. One anchored in an earlier version of the
    text is matched by its wording: the same words (case, spacing and punctuation aside)
    anywhere in the new text, else the most alike of at least memory.NEAR_WORDING.
    """
    in_place = {(c.start, c.end): c for c in claims if body[c.start : c.end] == c.text}
    landed = [in_place.pop((s.start, s.end), None) for s in suggestions]
    taken = {claim.pk for claim in landed if claim}
    earlier = [c for c in claims if c.pk not in taken and body[c.start : c.end] != c.text]
    by_words: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(earlier, key=lambda c: c.position):
        by_words[memory.normalised(claim.text)].append(claim)
    for i, suggestion in enumerate(suggestions):
        if landed[i] is None and (same := by_words.get(memory.normalised(suggestion.text))):
            landed[i] = same.pop(0)
            taken.add(landed[i].pk)
    for i, suggestion in enumerate(suggestions):
        if landed[i] is not None:
            continue
        ratios = [
            (memory.wording_ratio(claim.text, suggestion.text), -claim.position, claim)
            for claim in earlier
            if claim.pk not in taken
        ]
        best = max(ratios, default=None, key=lambda r: r[:2])
        if best and best[0] >= memory.NEAR_WORDING:
            landed[i] = best[2]
            taken.add(best[2].pk)
    return landed, [claim for claim in claims if claim.pk not in taken]
