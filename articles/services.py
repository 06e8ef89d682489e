from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import Count, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from articles.models import Article, ArticleVersion

logger = logging.getLogger(__name__)

# claims depends on articles, not the other way round: the task is known here by its name.
ANNOTATE_TASK = "claims.tasks.annotate_article"
# With no broker (the embedded default) annotation runs on one thread of this process, so an
# upload answers at once and the desk shows progress as it would with a worker.
_in_process = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotate")


@dataclass(frozen=True)
class SourceText:
    """A source uploaded together with the article that cites it."""

    title: str
    body: str
    kind: str = Article.Kind.REPORT
    outlet: str = ""
    url: str = ""


def create_article(
    *,
    uploaded_by,
    title: str,
    body: str,
    kind: str = Article.Kind.ARTICLE,
    outlet: str = "",
    url: str = "",
    published_on: date | None = None,
    sources: Iterable[Article] = (),
    new_sources: Iterable[SourceText] = (),
) -> Article:
    """Save an uploaded article or source, with any new source texts it cites, and queue
    the pre-annotation of an article to check once the save is committed."""
    with transaction.atomic():
        article = _save(
            uploaded_by=uploaded_by,
            kind=kind,
            title=title,
            body=body,
            outlet=outlet,
            url=url,
            published_on=published_on,
        )
        added = [_save(uploaded_by=uploaded_by, **asdict(source)) for source in new_sources]
        article.sources.set([*sources, *added])
        if not article.is_source:
            enqueue_annotation(article)
    return article


def _save(*, kind: str, **fields) -> Article:
    is_source = kind != Article.Kind.ARTICLE
    status = Article.Status.SOURCE if is_source else Article.Status.QUEUED
    return Article.objects.create(kind=kind, status=status, **fields)


def set_sources(*, article: Article, sources: Iterable[Article]) -> None:
    """Change what an article draws on; its suggestions are then out of date."""
    with transaction.atomic():
        article.sources.set(sources)
        if not article.is_source:
            article.queue_annotation()
            enqueue_annotation(article)


class StillCited(Exception):
    """The article is another's source: deleting it would pull evidence from under them."""

    def __init__(self, citers: list[Article]) -> None:
        super().__init__(f"Cited by {len(citers)} articles")
        self.citers = citers


def what_goes_with(article: Article) -> dict[str, int]:
    """What deleting the article deletes too."""
    return article.claims.aggregate(
        claims=Count("pk", distinct=True),
        verdicts=Count("pk", filter=~Q(verdict=""), distinct=True),
        history=Count("changes", distinct=True),
    )


def delete_article(*, article: Article) -> None:
    """Delete an article with its claims, verdicts and history, unless another cites it."""
    with transaction.atomic():
        citers = list(article.cited_by.order_by("title")[:20])
        if citers:
            raise StillCited(citers)
        article.delete()


def reannotate(*, article: Article) -> None:
    if article.is_source:
        raise ValueError("A source is not pre-annotated.")
    with transaction.atomic():
        article.queue_annotation()
        enqueue_annotation(article)


class VersionRefused(ValueError):
    """A corrected version that was not taken; the message says why."""


def add_version(*, article: Article, body: str, uploaded_by) -> ArticleVersion:
    """Make `body` the article's text, keeping the earlier ones, and pre-annotate it again;
    the annotation carries verdicts over to the claims that are still there."""
    if body == article.body:
        raise VersionRefused("No change: this text is the current version; nothing was re-run.")
    with transaction.atomic():
        old_body, old_at = article.body, article.uploaded_at
        if not article.take_new_text(body):
            raise VersionRefused(
                "Pre-annotation is under way: upload the corrected version once it has finished."
            )
        latest = article.versions.order_by("-number").first()
        if latest is None:  # the first correction: keep the original as version 1
            latest = article.versions.create(
                number=1, body=old_body, uploaded_by=article.uploaded_by, uploaded_at=old_at
            )
        version = article.versions.create(
            number=latest.number + 1, body=body, uploaded_by=uploaded_by
        )
        if not article.is_source:
            enqueue_annotation(article)
        # Their evidence points into the old text: check them against the new one.
        for citing in article.cited_by.exclude(
            status__in=[Article.Status.QUEUED, Article.Status.ANNOTATING]
        ):
            citing.queue_annotation()
            enqueue_annotation(citing)
    return version


def enqueue_annotation(article: Article) -> None:
    transaction.on_commit(partial(send_annotation, article.pk))


def send_annotation(article_id: int) -> bool:
    task = current_app.tasks[ANNOTATE_TASK]
    if not settings.CELERY_BROKER_URL:
        _in_process.submit(_run_in_process, task, article_id)
        return True
    # The article is saved and stays queued when the broker is down;
    # requeue_stuck_annotations sends it again once the broker is back.
    try:
        task.delay(article_id)
    except OperationalError:
        logger.warning("Broker unreachable: article %s stays queued", article_id, exc_info=True)
        return False
    return True


def _run_in_process(task, article_id: int) -> None:
    try:
        task.apply(args=[article_id])
    finally:
        close_old_connections()  # this thread's connection, as a request would


def requeue_stuck_annotations(*, queued_for: timedelta = timedelta(minutes=2)) -> int:
    """Send again the articles whose annotation message was lost or whose run was abandoned;
    returns how many were sent. A duplicate message is harmless: only one run claims them."""
    now = timezone.now()
    stuck = Article.objects.stuck(
        queued_before=now - queued_for,
        started_before=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
    )
    sent = 0
    for article_id in stuck.values_list("pk", flat=True):
        if not send_annotation(article_id):
            break  # the broker is still down; the next round tries again
        # Restart the clock, so a long queue is not sent the same article every round.
        Article.objects.filter(pk=article_id, status=Article.Status.QUEUED).update(queued_at=now)
        sent += 1
    return sent
