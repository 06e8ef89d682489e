"""Faults on a real Redis and real workers: a worker killed mid-task, Redis down at upload."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.urls import reverse

import articles.tasks  # noqa: F401 - registers the tasks with the spare broker's app
from articles.demo import COMMENTARY, REPORT
from articles.models import Article
from articles.services import requeue_stuck_annotations
from claims import services
from claims.models import VerdictChange
from factcheck.celery import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs CELERY_BROKER_URL=redis://… (.ci/run sets it)",
    ),
    pytest.mark.django_db(transaction=True),
]
needs_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a worker in another process needs a database it can share (PostgreSQL)",
)
# The killed worker's task comes back after the visibility timeout, which must exceed the
# time limit; both short here so the test takes seconds, not minutes.
TIME_LIMIT, VISIBILITY_TIMEOUT = 10, 12
# A worker in its own process, to be killed; it looks for abandoned tasks every second.
WORKER = """
from factcheck.celery import app
app.conf.broker_transport_options.update(unacked_restore_interval=1, unacked_restore_throttle=1)
app.worker_main(["worker", "--pool=solo", "--without-gossip", "--without-mingle", "-l", "INFO"])
"""


def wait_for(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout}s")
        time.sleep(interval)


def status_of(article: Article) -> str:
    article.refresh_from_db()
    return article.status


class SpareRedis:
    """A Redis server of the test's own on a free port, to stop and start at will."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        wait_for(lambda: self.answers(client), timeout=10, interval=0.05)

    @staticmethod
    def answers(client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def spare_redis() -> Iterator[SpareRedis]:
    server = SpareRedis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def spare_app(spare_redis) -> Iterator[Celery]:
    """The app, sending to the spare Redis: tasks and uploads use it while it is current."""
    spare = Celery("factcheck", set_as_current=False)
    spare.config_from_object("django.conf:settings", namespace="CELERY")
    # Not broker_url: the CELERY_BROKER_URL variable of the test run would take precedence.
    spare.conf.update(broker_read_url=spare_redis.url, broker_write_url=spare_redis.url)
    spare.set_current()
    yield spare
    app.set_current()
    spare.close()


@pytest.fixture
def demo(editor) -> tuple[Article, Article]:
    report = Article.objects.create(title=REPORT.title, body=REPORT.read(), uploaded_by=editor)
    commentary = Article.objects.create(
        title=COMMENTARY.title, body=COMMENTARY.read(), uploaded_by=editor
    )
    commentary.sources.set([report])
    return report, commentary


def worker_process(broker_url: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@needs_postgres
def test_a_task_whose_worker_is_killed_is_redelivered_and_annotates_once(
    demo, editor, spare_redis, spare_app
):
    _, commentary = demo
    services.annotate_article(article_id=commentary.pk)
    claims_before = {(c.pk, c.start, c.end) for c in commentary.claims.all()}
    decided = commentary.claims.order_by("position")[3]
    decided.set_verdict(label="disputed", note="Not what the report says.", editor=editor)
    commentary.queue_annotation()

    first = worker_process(spare_redis.url)
    second = None
    try:
        task = spare_app.send_task("claims.tasks.annotate_article", args=[commentary.pk])
        wait_for(lambda: status_of(commentary) == Article.Status.ANNOTATING, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert status_of(commentary) == Article.Status.ANNOTATING

        second = worker_process(spare_redis.url)
        wait_for(lambda: status_of(commentary) == Article.Status.READY, timeout=45, interval=0.2)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    # The same task, delivered again, took over its own abandoned run.
    assert commentary.annotation_task_id == task.id
    assert {(c.pk, c.start, c.end) for c in commentary.claims.all()} == claims_before
    assert list(commentary.claims.values_list("position", flat=True)) == list(
        range(1, len(claims_before) + 1)
    )
    decided.refresh_from_db()
    assert (decided.verdict, decided.note) == ("disputed", "Not what the report says.")
    assert VerdictChange.objects.filter(claim__article=commentary).count() == 1


def test_an_upload_while_redis_is_down_is_saved_and_annotated_once_redis_is_back(
    editor_client, demo, spare_redis, spare_app
):
    report, _ = demo
    spare_redis.stop()

    response = editor_client.post(
        reverse("articles:upload"),
        {"title": "Written offline", "text": COMMENTARY.read(), "sources": [report.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "pre-annotation is queued" in response.content.decode()
    article = Article.objects.get(title="Written offline")
    assert article.status == Article.Status.QUEUED

    spare_redis.start()
    with start_worker(spare_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert requeue_stuck_annotations(queued_for=timedelta(0)) >= 1
        done = {Article.Status.READY, Article.Status.FAILED}
        wait_for(lambda: status_of(article) in done, timeout=45, interval=0.2)

    assert article.status == Article.Status.READY, article.status_message
    spans = list(article.claims.values_list("start", "end"))
    assert len(spans) > 20 and len(set(spans)) == len(spans)
