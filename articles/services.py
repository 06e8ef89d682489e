from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

from articles.models import Article
from claims.tasks import annotate_article

logger = logging.getLogger(__name__)


def create_article(
    *,
    uploaded_by,
    title: str,
    body: str,
    outlet: str = "",
    url: str = "",
    published_on: date | None = None,
    sources: Iterable[Article] = (),
) -> Article:
    """Save an uploaded article and queue its pre-annotation once the save is committed."""
    with transaction.atomic():
        article = Article.objects.create(
            uploaded_by=uploaded_by,
            title=title,
            outlet=outlet,
            url=url,
            published_on=published_on,
            body=body,
        )
        article.sources.set(sources)
        enqueue_annotation(article)
    return article


def set_sources(*, article: Article, sources: Iterable[Article]) -> None:
    """Change what an article draws on; its suggestions are then out of date."""
    with transaction.atomic():
        article.sources.set(sources)
        article.queue_annotation()
        enqueue_annotation(article)


def reannotate(*, article: Article) -> None:
    with transaction.atomic():
        article.queue_annotation()
        enqueue_annotation(article)


def enqueue_annotation(article: Article) -> None:
    transaction.on_commit(partial(send_annotation, article.pk))


def send_annotation(article_id: int) -> None:
    # The article is saved and stays queued when the broker is down; sending again later
    # (the article page's Re-run button) picks it up.
    try:
        annotate_article.delay(article_id)
    except OperationalError:
        logger.warning("Broker unreachable: article %s stays queued", article_id, exc_info=True)
