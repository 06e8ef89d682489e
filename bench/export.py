"""How fast the CSV export is, against PostgreSQL's own COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench python -m bench.export

Loads --rows claims (default 1,000,000, in articles of 1,000) into a scratch database, created
if missing and refilled when the count differs; its name must contain "bench" because the
claims there are replaced. Then it times the export view, streamed and consumed as a server
would, against a bare `COPY (SELECT the same columns) TO STDOUT` in the same run, and measures
the peak memory of an export of a tenth of the rows and of all of them, each in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from statistics import median

CLAIMS_PER_ARTICLE = 1000
PLAIN_COPY = """
COPY (
  SELECT c.article_id, a.title, a.outlet, a.url, c.position, c.start, c."end", c.text,
         c.suggested_label, c.confidence, c.reason, c.evidence -> 0 ->> 'text', c.verdict,
         c.note, u.username, c.decided_at
  FROM claims_claim c
  JOIN articles_article a ON a.id = c.article_id
  LEFT JOIN auth_user u ON u.id = c.decided_by_id
  ORDER BY c.article_id, c.position
) TO STDOUT WITH (FORMAT csv)
"""


def setup_django() -> None:
    from bench.scratch import setup_django_on

    setup_django_on(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench")
    )


def load(rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from claims.models import Claim

    call_command("migrate", verbosity=0)
    editor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="viewer"))  # the role that may export
    if Claim.objects.count() == rows:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_claim, articles_article RESTART IDENTITY CASCADE")
    articles = Article.objects.bulk_create(
        Article(
            title=f"Article {n}, with “quotes” and a comma" if n % 7 else f"=Article {n}",
            outlet="The Bench Times",
            url=f"https://bench.test/articles/{n}",
            body="x" * 200,
            status=Article.Status.READY,
        )
        for n in range(max(1, rows // CLAIMS_PER_ARTICLE))
    )
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "claims_claim")
    mine = [
        "article_id", "position", "start", "end", "text", "suggested_label", "confidence",
        "reason_code", "reason", "evidence", "verdict", "note", "decided_by_id", "decided_at",
    ]  # fmt: skip
    # Columns other engineers add get their model default; generated ones are the database's.
    fields = {f.column: f for f in Claim._meta.concrete_fields if not f.generated}
    others = [c.name for c in table if c.name in fields and c.name not in [*mine, "id"]]
    other_values = [fields[name].get_default() for name in others]
    columns = ", ".join(f'"{name}"' for name in mine + others)
    rng = random.Random(1)
    labels = ["sourced", "disputed", "opinion"]
    decided_at = datetime(2026, 3, 1, tzinfo=UTC)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY claims_claim ({columns}) FROM STDIN") as copy,
    ):
        for n in range(rows):
            article = articles[n // CLAIMS_PER_ARTICLE]
            decided = n % 2 == 0
            text = f"Claim {n}: the council said {rng.randint(1, 999)} people came, “roughly”."
            if n % 50 == 0:
                text = "-" + text + "\nSecond line."
            evidence = json.dumps([{"article_id": 1, "start": 0, "end": 9, "text": text[:40]}])
            copy.write_row(
                [
                    article.pk,
                    n % CLAIMS_PER_ARTICLE + 1,
                    0,
                    len(text),
                    text,
                    labels[n % 3],
                    rng.random(),
                    "matches-source",
                    "A source sentence says the same.",
                    evidence,
                    labels[(n // 2) % 3] if decided else "",
                    "Checked, with the clerk." if decided else "",
                    editor.pk if decided else None,
                    decided_at + timedelta(seconds=n) if decided else None,
                    *other_values,
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded {rows:,} claims in {time.perf_counter() - started:.1f} s")


def export_request(article_ids: list[int] | None = None):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    query = {"format": "csv"}
    if article_ids:
        query["article"] = article_ids
    request = RequestFactory().get("/export/", query)
    request.user = get_user_model().objects.get(username="bench-editor")
    request.htmx = False
    return request


def time_ours() -> tuple[float, int]:
    """The export view's response, iterated as a WSGI server iterates it."""
    from claims.views import export

    started = time.perf_counter()
    response = export(export_request())
    size = sum(len(chunk) for chunk in response)
    response.close()
    return time.perf_counter() - started, size


def time_plain() -> tuple[float, int]:
    from django.db import connection

    started = time.perf_counter()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(PLAIN_COPY) as copy:
        size = sum(len(data) for data in copy)
    return time.perf_counter() - started, size


def time_writer() -> float:
    from claims.export import writer_csv
    from claims.models import Claim

    started = time.perf_counter()
    for _ in writer_csv(Claim.objects.all()):
        pass
    return time.perf_counter() - started


def memory_of(rows: int) -> dict:
    """Peak memory of one export of the first `rows` claims (run in a fresh process)."""
    from articles.models import Article
    from claims.views import export

    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    chosen = ids[: max(1, rows // CLAIMS_PER_ARTICLE)]
    request = export_request(None if len(chosen) == len(ids) else chosen)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    response = export(request)
    size = sum(len(chunk) for chunk in response)
    response.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"bytes": size, "python_peak": peak, "rss_before_kb": baseline, "rss_peak_kb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.memory_of:
        print(json.dumps(memory_of(args.memory_of)))
        return
    load(args.rows)
    ours, plain = [], []
    for _ in range(args.rounds):  # alternated, so both see the same cache and machine load
        seconds, ours_bytes = time_ours()
        ours.append(seconds)
        seconds, plain_bytes = time_plain()
        plain.append(seconds)
    print(f"export of {args.rows:,} claims on PostgreSQL, best of {args.rounds}:")
    print(f"  plain COPY TO STDOUT   {min(plain):6.2f} s  {plain_bytes / 1e6:7.1f} MB")
    print(f"  our export (the view)  {min(ours):6.2f} s  {ours_bytes / 1e6:7.1f} MB")
    ratio, median_ratio = min(ours) / min(plain), median(ours) / median(plain)
    print(f"  ratio                  {ratio:6.2f}x  (median {median_ratio:.2f}x)")
    print(f"  Python csv writer      {time_writer():6.2f} s  (the SQLite path, for comparison)")
    for rows in (args.rows // 10, args.rows):
        child = subprocess.run(
            [sys.executable, "-m", "bench.export", "--memory-of", str(rows)],
            capture_output=True,
            text=True,
            check=True,
        )
        memory = json.loads(child.stdout)
        heap = memory["python_peak"] / 1e6
        before, peak = memory["rss_before_kb"] / 1e3, memory["rss_peak_kb"] / 1e3
        print(
            f"  memory, {rows:>9,} rows: Python heap peak {heap:5.2f} MB, "
            f"process RSS {before:5.1f} → {peak:5.1f} MB"
        )


if __name__ == "__main__":
    main()
