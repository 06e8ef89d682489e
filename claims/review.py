"""What the review page shows: the article cut into plain text and claim spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from articles.models import Article
from claims.models import Claim, Label, VerdictChange


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    by_label: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 0


def progress_of(article: Article) -> Progress:
    counts = article.claims.aggregate(
        total=Count("pk"),
        decided=Count("pk", filter=~Q(verdict="")),
        **{label: Count("pk", filter=Q(verdict=label)) for label in Label.values},
    )
    return Progress(total=counts.pop("total"), decided=counts.pop("decided"), by_label=counts)


def segments(body: str, claims: list[Claim]) -> list[tuple[str, Claim | None]]:
    """The body as consecutive pieces, each plain text or one claim's span."""
    pieces: list[tuple[str, Claim | None]] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: c.start):
        if claim.start < cursor:  # overlapping spans (a kept old claim): show it once
            continue
        if claim.start > cursor:
            pieces.append((body[cursor : claim.start], None))
        pieces.append((body[claim.start : claim.end], claim))
        cursor = claim.end
    if cursor < len(body):
        pieces.append((body[cursor:], None))
    return pieces


def claims_for_review(article: Article):
    return article.claims.select_related("decided_by").prefetch_related(
        Prefetch("changes", VerdictChange.objects.select_related("editor"))
    )


def attach_evidence_sources(claims: list[Claim], sources: list[Article]) -> None:
    titles = {source.pk: source.title for source in sources}
    for claim in claims:
        claim.evidence_shown = [
            {**item, "source_title": titles.get(item["article_id"], "a removed source")}
            for item in claim.evidence
        ]


def claim_context(claim: Claim) -> dict:
    """What re-renders one claim after a change: its card, its highlight and the progress."""
    article = claim.article
    claim = claims_for_review(article).get(pk=claim.pk)
    attach_evidence_sources([claim], list(article.sources.all()))
    return {
        "article": article,
        "claim": claim,
        "progress": progress_of(article),
        "labels": Label.choices,
    }


def review_context(article: Article) -> dict:
    claims = list(claims_for_review(article))
    sources = list(article.sources.order_by("title"))
    attach_evidence_sources(claims, sources)
    return {
        "article": article,
        "claims": claims,
        "segments": segments(article.body, claims),
        "sources": sources,
        "source_choices": Article.objects.exclude(pk=article.pk).order_by("title"),
        "progress": progress_of(article),
        "labels": Label.choices,
    }
