from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from articles.models import Article
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

    Suggestions are replaced; verdicts, notes and history are never touched.
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
        suggestions = annotator.annotate(article.body, prepared, limits, deadline)
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
    """Store fresh suggestions, matching existing claims by their span.

    Claims an editor has touched are kept even when the new split no longer has their
    span, so no verdict or history is lost; untouched claims that vanished are dropped.
    """
    existing = {
        (claim.start, claim.end): claim
        for claim in article.claims.annotate(
            touched=Exists(VerdictChange.objects.filter(claim=OuterRef("pk")))
        )
    }
    keep: list[Claim] = []
    for suggestion in suggestions:
        claim = existing.pop((suggestion.start, suggestion.end), None) or Claim(
            article=article, start=suggestion.start, end=suggestion.end, text=suggestion.text
        )
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
        keep.append(claim)
    orphans = [claim for claim in existing.values() if claim.verdict or claim.touched]
    Claim.objects.filter(pk__in=[c.pk for c in existing.values() if c not in orphans]).delete()
    keep.extend(orphans)
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
        ["position", "suggested_label", "confidence", "reason_code", "reason", "evidence"],
    )
    Claim.objects.bulk_create([claim for claim in keep if not claim.pk])
    article.recount_claims()
