"""The upload → broker → worker → ready path on a real Redis and a real Celery worker."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from articles.demo import COMMENTARY, REPORT
from articles.models import Article
from factcheck.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs CELERY_BROKER_URL=redis://… (.ci/run sets it)",
    ),
]


@pytest.fixture
def celery_worker():
    from celery.contrib.testing.worker import start_worker

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


def wait_until_annotated(article: Article, timeout: float = 60) -> Article:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        article.refresh_from_db()
        if not article.is_pending:
            return article
        time.sleep(0.2)
    raise AssertionError(f"article still {article.status} after {timeout}s")


@pytest.mark.django_db(transaction=True)
def test_uploaded_article_is_annotated_by_a_worker_off_redis(editor_client, editor, celery_worker):
    report = Article.objects.create(title=REPORT.title, body=REPORT.read(), uploaded_by=editor)
    response = editor_client.post(
        reverse("articles:upload"),
        {"title": COMMENTARY.title, "text": COMMENTARY.read(), "sources": [report.pk]},
    )
    assert response.status_code == 302
    article = Article.objects.get(title=COMMENTARY.title)

    article = wait_until_annotated(article)

    assert article.status == Article.Status.READY, article.status_message
    claims = list(article.claims.all())
    assert len(claims) > 20
    assert all(article.body[c.start : c.end] == c.text for c in claims)
    assert any(c.evidence and c.evidence[0]["article_id"] == report.pk for c in claims)
