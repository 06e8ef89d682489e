"""Articles whose annotation message was lost are sent again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.services import requeue_stuck_annotations
from factcheck.celery import app

pytestmark = pytest.mark.django_db


def test_articles_queued_too_long_or_abandoned_are_found_and_fresh_ones_left(make_article):
    long_ago = timezone.now() - timedelta(minutes=10)
    lost = make_article(status=Article.Status.QUEUED, queued_at=long_ago)
    abandoned = make_article(status=Article.Status.ANNOTATING, annotation_started_at=long_ago)
    make_article(status=Article.Status.QUEUED)
    make_article(status=Article.Status.ANNOTATING, annotation_started_at=timezone.now())
    make_article(status=Article.Status.READY, queued_at=long_ago)

    now = timezone.now()
    stuck = Article.objects.stuck(
        queued_before=now - timedelta(minutes=2), started_before=now - timedelta(minutes=5)
    )

    assert set(stuck) == {lost, abandoned}


def test_requeueing_sends_the_stuck_article_and_restarts_its_clock(
    make_article, in_process_queue, settings
):
    lost = make_article(
        status=Article.Status.QUEUED, queued_at=timezone.now() - timedelta(minutes=10)
    )
    make_article(status=Article.Status.QUEUED)
    sent_at = timezone.now()

    assert requeue_stuck_annotations() == 1

    lost.refresh_from_db()
    assert lost.queued_at >= sent_at
    if not settings.CELERY_BROKER_URL:  # the embedded default: on the in-process thread
        assert in_process_queue.article_ids == [lost.pk]


def test_what_the_worker_beat_schedules_requeues_a_lost_article(make_article):
    # The entry names a task the worker has, and running that task sends the article again.
    lost = make_article(
        status=Article.Status.QUEUED, queued_at=timezone.now() - timedelta(minutes=10)
    )
    app.loader.import_default_modules()
    (entry,) = app.conf.beat_schedule.values()
    assert app.tasks[entry["task"]].apply().get() == 1
    assert Article.objects.get(pk=lost.pk).queued_at > timezone.now() - timedelta(minutes=1)
