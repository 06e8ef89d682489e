"""With no broker (the embedded default), annotation runs on a thread of the web process:
an upload answers at once, and the article becomes ready in the background."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article


@pytest.mark.django_db(transaction=True)
def test_an_upload_answers_at_once_and_the_article_is_annotated_in_the_background(
    editor_client, monkeypatch, settings
):
    settings.CELERY_BROKER_URL = ""
    thread = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(services, "_in_process", thread)
    busy = threading.Event()
    thread.submit(busy.wait, 30)  # the thread is busy: the upload must not wait for it

    response = editor_client.post(
        reverse("articles:upload"),
        {"title": "Budget", "text": "The council approved the budget on Monday."},
    )

    assert response.status_code == 302
    article = Article.objects.get(title="Budget")
    assert article.status == Article.Status.QUEUED
    busy.set()
    deadline = time.monotonic() + 60
    while article.is_pending and time.monotonic() < deadline:
        time.sleep(0.1)
        article.refresh_from_db()
    thread.shutdown(wait=True)
    assert article.status == Article.Status.READY
    assert article.claims.count() == 1
