"""Server time and SQL queries of the review page and of marking a claim: `make bench`.

Runs on a scratch SQLite file (or DATABASE_URL if set) with an article of 500 claims and
3 sources, through Django's test client (the whole middleware stack, no network), beside a
bare view that returns an empty response through the same stack.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

CLAIMS = 500
SOURCES = 3
RUNS = 40
CONTROL = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def _setup() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-bench-")) / "bench.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _article():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article
    from claims.models import Claim

    editor = get_user_model().objects.create_user(f"bench-{time.time_ns()}")
    editor.groups.add(Group.objects.get(name="editor"))
    sources = [
        Article.objects.create(
            title=f"Source {i}", body=" ".join(f"Source {i} line {n}." for n in range(400))
        )
        for i in range(SOURCES)
    ]
    sentences = [f"Claim number {n} says the council met on day {n % 28}." for n in range(CLAIMS)]
    article = Article.objects.create(
        title="Bench article", body=" ".join(sentences), status=Article.Status.READY
    )
    article.sources.set(sources)
    start, claims = 0, []
    for n, text in enumerate(sentences):
        source = sources[n % SOURCES]
        evidence = {"article_id": source.pk, "start": 0, "end": 16, "text": source.body[:16]}
        claims.append(
            Claim(
                article=article,
                position=n + 1,
                start=start,
                end=start + len(text),
                text=text,
                suggested_label=("sourced", "disputed", "opinion")[n % 3],
                confidence=(n % 100) / 100,
                reason_code="matches-source",
                reason="A source sentence says the same.",
                evidence=[{**evidence, "score": 0.5}],
            )
        )
        start += len(text) + 1
    Claim.objects.bulk_create(claims)
    return editor, article


def _measure(request) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code in {200, 302}, response.status_code
    # Transaction control is not a query: BEGIN/COMMIT here, SAVEPOINTs inside a test.
    statements = [q for q in queries.captured_queries if not CONTROL.match(q["sql"])]
    return times, len(statements), len(response.content)


def main() -> None:
    _setup()
    from django.test import Client, override_settings
    from django.urls import include, path, reverse

    # This module is the URLconf of the run: the project's URLs plus the bare view.
    sys.modules[__name__].urlpatterns = [path("bare/", bare), path("", include("factcheck.urls"))]

    editor, article = _article()
    client = Client(HTTP_HOST="127.0.0.1")  # one of the default ALLOWED_HOSTS
    client.force_login(editor)
    review_url = reverse("claims:review", args=[article.pk])
    claims = iter(article.claims.order_by("position"))

    def mark():
        claim = next(claims)
        return client.post(
            reverse("claims:mark", args=[claim.pk]),
            {"label": "sourced", "version": claim.version},
            headers={"HX-Request": "true"},
        )

    rows = []
    with override_settings(ROOT_URLCONF=sys.modules[__name__]):
        client.get("/bare/")
        client.get(review_url)  # warm the template cache
        for name, request in [
            ("bare Django view", lambda: client.get("/bare/")),
            (f"review page, {CLAIMS} claims, {SOURCES} sources", lambda: client.get(review_url)),
            (
                "review page, htmx claim panel",
                lambda: client.get(
                    f"{review_url}?claim={article.claims.first().pk}",
                    headers={"HX-Request": "true", "HX-Target": "detail"},
                ),
            ),
            ("mark a claim (htmx)", mark),
        ]:
            times, queries, size = _measure(request)
            rows.append((name, queries, statistics.median(times), max(times), size))

    print(f"{'request':<40} {'queries':>8} {'median ms':>10} {'max ms':>8} {'KB':>7}")
    for name, queries, median, worst, size in rows:
        print(f"{name:<40} {queries:>8} {median:>10.1f} {worst:>8.1f} {size / 1000:>7.1f}")
    print("KB: the answer's HTML, in thousands of bytes")
    print("queries: SQL statements, including the session and user lookups of the login;")
    print("marking's time is mostly its COMMIT, which SQLite makes durable on disk")


if __name__ == "__main__":
    main()
