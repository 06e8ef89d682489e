"""Upload-to-ready latency and worker scaling on a real PostgreSQL, Redis and Celery workers.

    python -m bench.pipeline [--articles 12]

Uses a scratch database (BENCH_PIPELINE_DATABASE_URL, default factcheck_bench_pipeline) and Redis
database 14, so it never touches real data or queues.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.scratch import ensure_scratch_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_PIPELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench_pipeline"
)
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
ENV = {
    **os.environ,
    "DEBUG": "true",
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": BROKER_URL,
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    # One model thread per worker process, so N processes use N cores without contention.
    "FACTCHECK_ANNOTATOR_THREADS": "1",
}


def start_workers(concurrency: int) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={concurrency}",
            "--prefetch-multiplier=1",
            "-n",
            f"bench{concurrency}@%h",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from factcheck.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if any(f"bench{concurrency}@" in name for reply in replies for name in reply):
            return worker
    worker.kill()
    raise SystemExit("the Celery worker did not start")


def stop_workers(worker: subprocess.Popen) -> None:
    worker.terminate()
    worker.wait(timeout=60)


def texts() -> tuple[str, list[str]]:
    """A 1,500-word article and three sources, made from the demo pair with varied facts."""
    from articles.demo import COMMENTARY, REPORT

    report, commentary = REPORT.read(), COMMENTARY.read()
    variants = [
        re.sub(r"\b(\d+)\b", lambda m, k=k: str(int(m.group()) + k), report) for k in (1, 2)
    ]
    article = "\n\n".join([commentary, re.sub(r"seventh", "eighth", commentary), variants[0]])
    return article, [report, *variants]


def wait_ready(ids: list[int], timeout: float = 600) -> None:
    from articles.models import Article

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Article.objects.filter(pk__in=ids).exclude(status="ready").exists():
            return
        if Article.objects.filter(pk__in=ids, status="failed").exists():
            raise SystemExit("an article failed to annotate")
        time.sleep(0.02)
    raise SystemExit("articles not ready in time")


def upload(count: int, body: str, sources) -> list[int]:
    from articles.services import create_article

    return [
        create_article(uploaded_by=None, title=f"Bench {i}", body=body, sources=sources).pk
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12, help="articles per throughput run")
    args = parser.parse_args()

    ensure_scratch_database(DATABASE_URL, marker="bench")
    os.environ.update(ENV)  # this process talks to the same scratch database and broker
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from factcheck.celery import app

    call_command("migrate", verbosity=0)
    app.control.purge()
    Article.objects.all().delete()
    body, source_texts = texts()
    sources = [
        Article.objects.create(title=f"Source {i}", body=text, status="ready")
        for i, text in enumerate(source_texts)
    ]
    words = len(body.split())

    worker = start_workers(1)
    try:
        wait_ready(
            upload(1, "Warm-up sentence. Another one.", sources)
        )  # model load, sources embedded
        latencies = []
        for _ in range(5):
            started = time.perf_counter()
            wait_ready(upload(1, body, sources))
            latencies.append(time.perf_counter() - started)
        started = time.perf_counter()
        wait_ready(upload(args.articles, body, sources))
        one = time.perf_counter() - started
    finally:
        stop_workers(worker)

    worker = start_workers(2)
    try:
        # two full articles at once, so that each child process gets one and both are warm
        wait_ready(upload(2, body, sources))
        started = time.perf_counter()
        wait_ready(upload(args.articles, body, sources))
        two = time.perf_counter() - started
    finally:
        stop_workers(worker)

    n = args.articles
    median = statistics.median(latencies)
    print(f"article: {words} words, 3 sources (already embedded), warm worker, 1 model thread")
    print(f"upload → ready: median {median:.2f} s, max {max(latencies):.2f} s (5 runs)")
    print(f"{n} articles, 1 worker process:  {one:.2f} s ({n / one:.2f} articles/s)")
    print(f"{n} articles, 2 worker processes: {two:.2f} s ({n / two:.2f} articles/s)")
    print(f"speed-up with 2 processes: {one / two:.2f}×")


if __name__ == "__main__":
    main()
