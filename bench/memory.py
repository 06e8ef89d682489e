"""How fast claim memory is among many decided claims: `python -m bench.memory [--rows N]`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_memory_bench python -m bench.memory

Loads --rows decided claims (default 1,000,000; in articles of 200) into a scratch PostgreSQL
database (created if missing, refilled when the count differs; its name must contain "bench")
with COPY: sentences with the word statistics of prose (made-up words) and clustered int8
embeddings with their cells. Then,
through Django's test client beside a bare view in the same run, it times the claim panel of a
claim in a new article (whose wording is near some decided ones) and the memory lookup alone,
with their queries, and prints the plans of the lookup's two queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

PER_ARTICLE = 200
RUNS = 40
SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in ["a", "e", "i", "o", "u", "ar", "en", "ov"]]
# The commonest English words, about 45% of running text, then made-up content words with
# Zipf frequencies: the trigram statistics of prose, which decide pg_trgm's index work.
FUNCTION_WORDS = [
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as",
    "his", "on", "be", "at", "by", "i", "had", "not", "are", "but", "from", "or", "have", "an",
    "they", "which", "one", "you", "were", "her", "all", "she", "there", "would", "their", "we",
    "him", "been", "has", "when", "who", "will", "more", "no", "if", "out", "so", "said", "what",
    "up", "its", "about", "into", "than", "them", "can", "only", "other", "new", "some",
]  # fmt: skip
VOCABULARY = 30_000


def sentences(n: int, rng: np.random.Generator, words: list[str], zipf: np.ndarray) -> list[str]:
    content = iter(rng.choice(VOCABULARY, size=n * 24, p=zipf).tolist())
    out = []
    for _ in range(n):
        length = int(rng.integers(12, 24))
        tokens = [
            FUNCTION_WORDS[int(rng.integers(len(FUNCTION_WORDS)))]
            if rng.random() < 0.45
            else words[next(content)]
            for _ in range(length)
        ]
        tokens.insert(int(rng.integers(length)), str(int(rng.integers(1, 5000))))
        out.append(" ".join(tokens).capitalize() + ".")
    return out


def vocabulary(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    words = [
        "".join(SYLLABLES[i] for i in rng.integers(len(SYLLABLES), size=int(rng.integers(1, 5))))
        for _ in range(VOCABULARY)
    ]
    zipf = 1 / np.arange(1, VOCABULARY + 1) ** 1.05
    return words, zipf / zipf.sum()


def setup_django() -> None:
    from bench.scratch import setup_django_on

    setup_django_on(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_memory_bench")
    )


def embeddings(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors around 2,000 topics, as real sentence embeddings cluster."""
    from claims.annotator.embed import DIM

    topics = rng.standard_normal((2000, DIM)).astype(np.float32)
    vectors = topics[rng.integers(len(topics), size=n)] + 0.8 * rng.standard_normal(
        (n, DIM)
    ).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def load(rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from claims import memory
    from claims.annotator.embed import to_int8
    from claims.models import Claim

    call_command("migrate", verbosity=0)
    editor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="editor"))
    if Claim.objects.exclude(verdict="").count() == rows:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_claim, articles_article RESTART IDENTITY CASCADE")
    articles = Article.objects.bulk_create(
        Article(
            title=f"Report {n}", body="x" * 200, status=Article.Status.READY, uploaded_by=editor
        )
        for n in range(max(1, rows // PER_ARTICLE))
    )
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "claims_claim")
    values = {
        "position": None, "start": 0, "end": None, "text": None, "suggested_label": "sourced",
        "confidence": 0.7, "reason_code": "matches-source", "reason": "A source says so.",
        "evidence": "[]", "verdict": None, "note": "Checked with the clerk.",
        "decided_by_id": editor.pk, "decided_at": None, "decided_text": "",
        "removed_in_version": None, "embedding": None, "embedding_cell": None, "version": 1,
    }  # fmt: skip
    fields = {field.column: field for field in Claim._meta.concrete_fields}
    # Columns other engineers add get their model default; generated ones fill themselves.
    others = [
        c.name
        for c in table
        if c.name not in values
        and c.name not in {"id", "article_id"}
        and not getattr(fields.get(c.name), "generated", False)
    ]
    columns = ", ".join(f'"{name}"' for name in ["article_id", *values, *others])
    other_values = [fields[name].get_default() for name in others]
    rng = np.random.default_rng(1)
    words, zipf = vocabulary(rng)
    labels = ["sourced", "disputed", "opinion"]
    decided_at = datetime(2026, 3, 1, tzinfo=UTC)
    # Built once after the load rather than row by row: minutes fewer at a million.
    indexes = [
        i for i in Claim._meta.indexes if i.name in {"claim_decided_trgm", "claim_decided_cell"}
    ]
    with connection.schema_editor() as schema:
        for index in indexes:
            schema.remove_index(Claim, index)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY claims_claim ({columns}) FROM STDIN") as copy,
    ):
        for begin in range(0, rows, 50_000):
            size = min(50_000, rows - begin)
            texts = sentences(size, rng, words, zipf)
            for offset, (vector, text) in enumerate(zip(embeddings(size, rng), texts, strict=True)):
                n = begin + offset
                embedding = to_int8(vector)
                row = {
                    **values,
                    "position": n % PER_ARTICLE + 1,
                    "end": len(text),
                    "text": text,
                    "verdict": labels[n % 3],
                    "decided_at": decided_at + timedelta(minutes=n),
                    "embedding": embedding,
                    "embedding_cell": memory.cell_of(embedding),
                }
                copy.write_row([articles[n // PER_ARTICLE].pk, *row.values(), *other_values])
    with connection.schema_editor() as schema:
        for index in indexes:
            schema.add_index(Claim, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    print(f"loaded {rows:,} decided claims in {time.perf_counter() - started:.0f} s")


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django()
    load(args.rows)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path, reverse

    from articles.models import Article
    from claims import memory
    from claims.models import Claim

    sys.modules[__name__].urlpatterns = [path("bare/", bare), path("", include("factcheck.urls"))]
    editor = get_user_model().objects.get(username="bench-editor")
    probe = Claim.objects.exclude(verdict="").order_by("pk")[args.rows // 2]
    text = probe.text[:-1] + " indeed."  # near, not the same
    article, _ = Article.objects.get_or_create(
        title="Bench: a new article", defaults={"body": text, "status": Article.Status.READY}
    )
    claim, _ = Claim.objects.update_or_create(
        article=article,
        position=1,
        defaults={
            "start": 0,
            "end": len(text),
            "text": text,
            "suggested_label": "sourced",
            "confidence": 0.5,
            "reason_code": "not-in-sources",
            "reason": "",
            "embedding": probe.embedding,
            "embedding_cell": probe.embedding_cell,
        },  # fmt: skip
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor)
    panel_url = reverse("claims:review", args=[article.pk]) + f"?claim={claim.pk}"
    panel_headers = {"HX-Request": "true", "HX-Target": "detail"}

    def timed(request) -> tuple[float, float, int, object]:
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = request()
                times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times), max(times), len(queries.captured_queries), result

    with override_settings(ROOT_URLCONF=sys.modules[__name__]):
        client.get("/bare/")
        client.get(panel_url, headers=panel_headers)
        panel = lambda: client.get(panel_url, headers=panel_headers)  # noqa: E731
        rows = [
            ("bare Django view", timed(lambda: client.get("/bare/"))),
            ("claim panel (htmx) with memory", timed(panel)),
            ("memory lookup alone", timed(lambda: memory.recall(claim))),
        ]
    found = rows[-1][1][3]
    decided = Claim.objects.exclude(verdict="").count()
    print(f"\n{decided:,} decided claims on PostgreSQL; {RUNS} runs each")
    print(f"{'request':<34} {'queries':>8} {'median ms':>10} {'max ms':>8}")
    for name, (median, worst, queries, _) in rows:
        print(f"{name:<34} {queries:>8} {median:>10.1f} {worst:>8.1f}")
    print("found:", ", ".join(f"{r.kind} {r.score:.2f}" for r in found) or "nothing")

    wording = memory.wording_query(claim.text, article_id=article.pk).query.sql_with_params()
    meaning = memory.meaning_query(claim.embedding, article_id=article.pk)
    meaning = meaning.query.sql_with_params()
    with connection.cursor() as cursor:
        for name, (sql, params) in [("wording", wording), ("meaning", meaning)]:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
            print(f"\n{name} query plan:\n  " + "\n  ".join(plan))


if __name__ == "__main__":
    main()
