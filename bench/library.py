"""Whether the library's pages stay fast as it grows: `python -m bench.library`.

Builds (once; again with --rebuild or another size) a scratch PostgreSQL database of
--articles articles and sources (a fifth are sources) and --claims claims, by COPY, then
times, through Django's test client beside a bare view in the same run, the article list
(first page and page 2,000), a search, the upload form, the review page of a 500-claim
article, the export page and a source-picker query: median and worst server time, HTML
size and SQL statements.

    LIBRARY_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_library \\
        python -m bench.library --articles 100000 --claims 5000000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

RUNS = 15
REVIEW_CLAIMS = 500
CONTROL = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")
WORDS = (  # noqa: SIM905 (a paragraph reads better than a list of 120 strings)
    "council budget river bridge mayor school hospital election minister report police court "
    "vote tax housing rail airport energy water farm price wage strike union company bank "
    "market export import border army peace talks treaty summit climate flood storm drought "
    "fire health vaccine doctor nurse teacher student museum theatre film music sport team "
    "league match goal coach player city village region state nation party leader opposition "
    "protest law bill parliament senate judge trial prison crime safety road traffic bus train "
    "port ship fishing forest park zoo church festival market science research space satellite "
    "internet phone data privacy court ruling appeal contract deal merger profit loss debt loan "
    "pension welfare benefit refugee migrant asylum embassy sanction oil gas coal wind solar"
).split()


# Four thousand made-up words, pronounceable so that the English stemmer keeps them whole.
SYLLABLES = [consonant + vowel for consonant in "bdgklmnprstvz" for vowel in "aeiou"]
FILLER = [first + second + "n" for first in SYLLABLES for second in SYLLABLES][:4000]


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def setup_django() -> None:
    from bench.scratch import setup_django_on

    setup_django_on(
        os.environ.get(
            "LIBRARY_BENCH_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/factcheck_bench_library",
        )
    )


def _copy(connection, model, rows, columns: list[str]) -> None:
    """COPY rows into the model's table; columns that other code adds get their default (and
    those the model does not declare, such as the search document, are left to the database)."""
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, model._meta.db_table)
    fields = {f.column: f for f in model._meta.concrete_fields if not f.generated}
    others = [c.name for c in table if c.name in fields and c.name not in [*columns, "id"]]
    defaults = [fields[name].get_default() for name in others]
    names = ", ".join(f'"{name}"' for name in ["id", *columns, *others])
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([*row, *defaults])


def build(articles: int, claims: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from claims.models import Claim

    call_command("migrate", verbosity=0)
    editor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="editor"))
    if Article.objects.count() == articles and Claim.objects.count() == claims:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_claim, articles_article RESTART IDENTITY CASCADE")
    rng = random.Random(1)
    users = [editor.pk] + [
        get_user_model().objects.get_or_create(username=f"bench-{n}")[0].pk for n in range(4)
    ]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    kinds = Article.SOURCE_KINDS
    # Every fifth is a source; the first article to check (id 2) gets the 500-claim text.
    is_source = [n % 5 == 0 for n in range(1, articles + 1)]
    checked = [n for n in range(1, articles + 1) if not is_source[n - 1]]
    review_id = checked[0]
    review_texts = [
        f"Claim {n}: the {rng.choice(WORDS)} {rng.choice(WORDS)} rose by {n} on day {n % 28}."
        for n in range(REVIEW_CLAIMS)
    ]

    def words(count: int) -> str:
        # A few topic words among many rarer ones, as in prose: a topic word is in about one
        # text in ten, two given ones in about one in a hundred.
        topical = rng.choices(WORDS, k=max(1, count // 10))
        rest = [rng.choice(FILLER) for _ in range(count - len(topical))]
        return " ".join(rng.sample(topical + rest, k=count))

    def article_rows():
        for n in range(1, articles + 1):
            source = is_source[n - 1]
            body = " ".join(review_texts) if n == review_id else words(70) + "."
            yield [
                n,
                kinds[n % len(kinds)] if source else "article",
                words(6).capitalize(),
                f"The {rng.choice(WORDS).capitalize()} Times",
                f"https://bench.test/{n}",
                (now - timedelta(hours=n)).date(),
                body,
                rng.choice(users),
                now - timedelta(minutes=n),
                "source" if source else "ready",
                "",
                now - timedelta(minutes=n),
                None,
                "",
                None,
                None,
                "",
                None,
                0,
                0,
                0,
                0,
                0,
            ]

    _copy(
        connection,
        Article,
        article_rows(),
        [
            "kind", "title", "outlet", "url", "published_on", "body", "uploaded_by_id",
            "uploaded_at", "status", "status_message", "queued_at", "annotation_started_at",
            "annotation_task_id", "annotated_at", "prepared_source", "prepared_version",
            "archived_at", "claim_count", "decided_count", "sourced_count", "disputed_count",
            "opinion_count",
        ],
    )  # fmt: skip
    sources = [n for n in range(1, articles + 1) if is_source[n - 1]]
    through = Article.sources.through
    _copy(
        connection,
        through,
        (
            [i, article, sources[(article * 7 + k) % len(sources)]]
            for i, (article, k) in enumerate(
                ((article, k) for article in checked for k in range(2)), start=1
            )
        ),
        ["from_article_id", "to_article_id"],
    )
    labels = ["sourced", "disputed", "opinion"]
    base, extra = divmod(claims - REVIEW_CLAIMS, max(1, len(checked) - 1))

    def claim_rows():
        pk = 0
        for i, article in enumerate(checked):
            count = REVIEW_CLAIMS if article == review_id else base + (i - 1 < extra)
            start = 0
            for position in range(1, count + 1):
                pk += 1
                if article == review_id:
                    text = review_texts[position - 1]
                else:
                    text = f"The {rng.choice(WORDS)} said {pk % 997} people came."
                decided = pk % 5 < 2
                yield [
                    pk,
                    article,
                    position,
                    start,
                    start + len(text),
                    text,
                    labels[pk % 3],
                    (pk % 100) / 100,
                    "matches-source",
                    "A source sentence says the same.",
                    "[]",
                    labels[pk // 5 % 3] if decided else "",
                    "",
                    editor.pk if decided else None,
                    now if decided else None,
                    0,
                ]
                if article == review_id:
                    start += len(text) + 1

    _copy(
        connection,
        Claim,
        claim_rows(),
        [
            "article_id", "position", "start", "end", "text", "suggested_label", "confidence",
            "reason_code", "reason", "evidence", "verdict", "note", "decided_by_id",
            "decided_at", "version",
        ],
    )  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("articles_article", "articles_article_sources", "claims_claim"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        # The counters, as the data migration fills them, in one pass over the claims.
        cursor.execute(
            """
            UPDATE articles_article a SET claim_count = c.n, decided_count = c.decided,
              sourced_count = c.sourced, disputed_count = c.disputed, opinion_count = c.opinion
            FROM (
              SELECT article_id, count(*) n, count(*) FILTER (WHERE verdict <> '') decided,
                count(*) FILTER (WHERE verdict = 'sourced') sourced,
                count(*) FILTER (WHERE verdict = 'disputed') disputed,
                count(*) FILTER (WHERE verdict = 'opinion') opinion
              FROM claims_claim GROUP BY article_id
            ) c WHERE a.id = c.article_id
            """
        )
        cursor.execute("VACUUM ANALYZE")  # and the visibility map, for index-only counts
    print(
        f"built {articles:,} articles and sources and {claims:,} claims "
        f"in {time.perf_counter() - started:.0f} s"
    )


def measure(client, url: str, headers: dict) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    statements = [q for q in queries.captured_queries if not CONTROL.match(q["sql"])]
    return statistics.median(times), max(times), len(response.content), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=5_000_000)
    args = parser.parse_args()
    setup_django()
    build(args.articles, args.claims)

    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.urls import include, path, reverse

    from articles.models import Article

    sys.modules[__name__].urlpatterns = [path("bare/", bare), path("", include("factcheck.urls"))]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench-editor"))
    review = Article.objects.filter(claim_count=REVIEW_CLAIMS).order_by("pk").first()
    htmx = {"HX-Request": "true"}
    picker = reverse("articles:source_search")
    pages = [
        ("bare Django view", "/bare/", {}),
        ("article list, first page", "/", {}),
        ("article list, page 2,000", "/?page=2000", {}),
        ("search “budget”", "/?q=budget", {}),
        ("search “budget council”", "/?q=budget+council", {}),
        ("upload form", reverse("articles:upload"), {}),
        (f"review page, {REVIEW_CLAIMS} claims", review.get_absolute_url(), {}),
        ("export page", reverse("claims:export"), {}),
        ("source picker “river report”", f"{picker}?source_q=river+report", htmx),
    ]  # fmt: skip
    print(f"{Article.objects.count():,} articles and sources; median of {RUNS} requests\n")
    print("| page | median ms | worst ms | HTML KB | SQL statements |\n|---|---|---|---|---|")
    with override_settings(ROOT_URLCONF=sys.modules[__name__]):
        for name, url, headers in pages:
            client.get(url, headers=headers)  # warm the templates and the connection
            median, worst, size, statements = measure(client, url, headers)
            print(f"| {name} | {median:.1f} | {worst:.1f} | {size / 1024:.1f} | {statements} |")


if __name__ == "__main__":
    main()
