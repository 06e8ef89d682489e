"""`make loadtest`: logged-in editors browsing review pages and marking claims, against gunicorn
with the production settings, beside a bare view on the same server in the same run.

    python -m bench.loadtest [--editors 50] [--seconds 20]

Refills a scratch PostgreSQL database (LOAD_DATABASE_URL, default …/factcheck_load; its name must
contain "load", as it is flushed) with the demo pair and copies of the annotated commentary,
logs each editor in (sessions, users and roles cached in Redis, LOAD_CACHE_URL, as in
production), serves the app on a free loopback port and runs wrk (`apt-get install wrk`) three
times: the bare /health/ view, review pages, and verdicts posted as the review page's htmx does.
Then it checks that every verdict the server accepted is in the history.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.scratch import ensure_scratch_database

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "loadtest.lua"
ARTICLES = 10  # copies of the annotated commentary, so editors spread over many claims
THREADS = 2  # wrk's own; it shares the machine with the server and the database


def production_env(database_url: str) -> dict[str, str]:
    # Production settings, except plain HTTP on loopback (no TLS to redirect to).
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CELERY_BROKER_URL"}}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DATABASE_URL": database_url,
        # As docker-compose runs it: sessions, roles and login failures in a shared Redis.
        "CACHE_URL": os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }


def seed(editors: int) -> list[str]:
    """Fill the database; returns one line per editor for the wrk script."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from articles.demo import load_demo
    from articles.models import Article
    from claims.models import Claim
    from claims.services import annotate_article

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    _, commentary = load_demo()
    annotate_article(article_id=commentary.pk)
    claims = list(commentary.claims.all())
    articles = [commentary]
    for n in range(2, ARTICLES + 1):
        copy = Article.objects.create(
            title=f"{commentary.title} ({n})",
            body=commentary.body,
            status=Article.Status.READY,
        )
        copy.sources.set(commentary.sources.all())
        Claim.objects.bulk_create(
            Claim(
                **{
                    f.attname: getattr(c, f.attname)
                    for f in Claim._meta.concrete_fields
                    if f.attname not in {"id", "article_id"}
                },
                article=copy,
            )
            for c in claims
        )
        articles.append(copy)

    role = Group.objects.get(name="editor")
    lines = []
    for n in range(editors):
        user = get_user_model().objects.create_user(f"load-editor-{n}")
        user.groups.add(role)
        client = Client()
        client.force_login(user)
        article = articles[n % len(articles)]
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        # The editors on one article share its claims out between them.
        sharing = range(n % len(articles), editors, len(articles))
        claims = list(article.claims.values_list("pk", flat=True))
        ids = ",".join(str(pk) for pk in claims[sharing.index(n) :: len(sharing)])
        session = client.cookies["sessionid"].value
        lines.append(f"{session} {csrf} {article.get_absolute_url()} {ids}")
    return lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def wrk(port: int, mode: str, users: Path, *, editors: int, seconds: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{editors}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}",
            "--",
            mode,
            str(users),
            str(THREADS),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def combine(total: dict | None, run: dict) -> dict:
    """Two runs of one mode as one: counts added, each latency percentile the worse of the two."""
    if total is None:
        return run
    counts = ("requests", "seconds", "accepted", "errors", "recorded")
    added = {k: total[k] + run[k] for k in counts}
    return {**added, **{p: max(total[p], run[p]) for p in ("p50", "p95", "p99")}}


def out_of_step_with_history() -> int:
    """Decided claims whose verdict and note are not those of their latest history entry."""
    from django.db.models import F, OuterRef, Q, Subquery

    from claims.models import Claim, VerdictChange

    # Row locks order the writes to one claim, so its entries' ids follow its updates.
    latest = VerdictChange.objects.filter(claim=OuterRef("pk")).order_by("-id")
    return (
        Claim.objects.exclude(verdict="")
        .annotate(
            last_label=Subquery(latest.values("new_label")[:1]),
            last_note=Subquery(latest.values("note")[:1]),
        )
        .filter(Q(last_label__isnull=True) | ~Q(verdict=F("last_label")) | ~Q(note=F("last_note")))
        .count()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20, help="per request kind, in all")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_load")
    ensure_scratch_database(url, marker="load")
    env = production_env(url)
    os.environ.update(env)
    import django

    django.setup()
    from claims.models import VerdictChange

    print(f"Seeding {args.editors} editors and {ARTICLES} articles…", flush=True)
    lines = seed(args.editors)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = serve(env, port, args.workers)
    results = {}
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as users:
            users.write("\n".join(lines) + "\n")
            users.flush()
            # Interleaved rounds, so that other work on the machine weighs on each run alike.
            for _ in range(args.rounds):
                for mode in ("bare", "review", "mark"):
                    before = VerdictChange.objects.count()
                    run = wrk(
                        port,
                        mode,
                        Path(users.name),
                        editors=args.editors,
                        seconds=args.seconds // args.rounds,
                    )
                    run["recorded"] = VerdictChange.objects.count() - before
                    results[mode] = combine(results.get(mode), run)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, args, out_of_step=out_of_step_with_history())


def report(results: dict, args, *, out_of_step: int) -> None:
    print(
        f"\n{args.editors} editors, {args.seconds} s each in {args.rounds} rounds, "
        f"gunicorn --workers {args.workers}, "
        f"{os.cpu_count()} cores\n"
    )
    print(f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    names = {"bare": "bare view (/health/)", "review": "review page", "mark": "verdict (htmx)"}
    for mode, r in results.items():
        rate = r["requests"] / r["seconds"]
        r["rate"] = rate
        print(
            f"{names[mode]:28} {rate:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
            f"{r['errors']:7d}"
        )
    mark = results["mark"]
    ratio = mark["rate"] / results["bare"]["rate"]
    print(f"\nverdict throughput / bare view: {ratio:.2f}×")
    print(
        f"verdicts accepted (200): {mark['accepted']}, new history entries: {mark['recorded']} "
        "(the difference: requests still in flight when wrk stopped)"
    )
    print(f"claims whose verdict is not their latest history entry: {out_of_step}")
    errors = sum(r["errors"] for r in results.values())
    # wrk stops with requests in flight: the server may record up to one per connection and
    # round more.
    in_flight = args.editors * args.rounds
    complete = mark["accepted"] <= mark["recorded"] <= mark["accepted"] + in_flight
    if errors or not complete or out_of_step:
        sys.exit("FAILED: errors, or accepted verdicts missing from the history")


if __name__ == "__main__":
    main()
