"""The production topology as docker-compose.yml runs it, on this machine: bin/web (migrate,
collectstatic, gunicorn with DEBUG off and whitenoise) and bin/worker (Celery with beat) as
separate processes, with compose's environment, on PostgreSQL and Redis; an editor uses it in
Chromium. Each process's log is printed at teardown, which pytest shows when a test fails."""

from __future__ import annotations

import contextlib
import csv
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from articles.demo import COMMENTARY, REPORT
from bench.scratch import ensure_scratch_database

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
BOOT_SECONDS = 60  # migrate on an empty database, collectstatic, gunicorn's workers
ANNOTATE_SECONDS = 90  # the worker's start, then both articles
# What this machine supplies in place of compose's: its services' addresses, and a secret.
SUPPLIED = {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}


def services_available() -> bool:
    return (
        os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
        and os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
        and os.environ.get("CACHE_URL", "").startswith("redis://")
        and Path("/usr/bin/chromium").exists()
    )


needs_services = pytest.mark.skipif(
    not services_available(),
    reason="needs DATABASE_URL=postgres://…, CELERY_BROKER_URL and CACHE_URL=redis://… and "
    "/usr/bin/chromium (.ci/run's second pass has them)",
)


def compose_environment() -> dict[str, str]:
    """The app containers' environment in docker-compose.yml, ${NAME:-default} as its default."""
    environment = yaml.safe_load(COMPOSE.read_text())["x-app"]["environment"]
    return {
        name: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))
        for name, value in environment.items()
    }


def test_compose_and_the_image_run_the_scripts_and_environment_this_test_runs():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert services["web"]["command"] == "bin/web"
    assert services["worker"]["command"] == "bin/worker"
    assert 'CMD ["bin/web"]' in (ROOT / "Dockerfile").read_text()
    unresolved = {name for name, value in compose_environment().items() if "${" in value}
    assert unresolved <= SUPPLIED
    assert compose_environment()["DEBUG"] == "false"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def check_running(self) -> None:
        if self.popen.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.popen.returncode}")

    def stop(self) -> None:
        # Its whole process group: gunicorn's and Celery's children, and beat.
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # all gone already
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def print_log(self) -> None:
        print(f"\n===== {self.name} (exit {self.popen.returncode})\n{self.log.read_text()}")


@dataclass
class Topology:
    url: str
    username: str
    password: str
    processes: list[Process]

    def check_running(self) -> None:
        for process in self.processes:
            process.check_running()


def start(script: str, env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{Path(script).name}.log"
    with log.open("w") as output:
        popen = subprocess.Popen(
            [ROOT / script],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, to stop as one
        )
    return Process(script, popen, log)


def wait_until_serving(url: str, web: Process) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while True:
        web.check_running()
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"bin/web not serving after {BOOT_SECONDS}s") from None
        time.sleep(0.2)


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """compose's environment, with this machine's PostgreSQL (a scratch database of the test's
    own, empty) and Redis (the test run's databases, emptied) and a random secret key."""
    database = urlsplit(os.environ["DATABASE_URL"])
    database_url = database._replace(path=f"{database.path}_e2e").geturl()
    ensure_scratch_database(database_url, marker="_e2e", empty=True)
    import redis

    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        redis.Redis.from_url(os.environ[name]).flushdb()
    inherited = {k: os.environ[k] for k in ("LANG", "TMPDIR") if k in os.environ}
    return {
        **inherited,
        # A home of its own: gunicorn keeps its control socket there.
        "HOME": str(tmp_path),
        # This run's Python environment in place of the image's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",
        **compose_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "CACHE_URL": os.environ["CACHE_URL"],
        # Loopback in place of compose's published port; the collected files in a temporary
        # folder in place of the container's own.
        "BIND": f"127.0.0.1:{free_port()}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }


@pytest.fixture
def production(production_env, tmp_path) -> Iterator[Topology]:
    """bin/web serving, bin/worker started, and an editor to log in as."""
    processes: list[Process] = []
    try:
        web = start("bin/web", production_env, tmp_path)
        processes.append(web)
        url = f"http://{production_env['BIND']}"
        wait_until_serving(url, web)  # migrated, so the worker finds its tables
        processes.append(start("bin/worker", production_env, tmp_path))
        password = secrets.token_urlsafe(16)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth.models import Group, User; "
                f"User.objects.create_user('newsroom', password='{password}')"
                ".groups.add(Group.objects.get(name='editor'))",
            ],
            cwd=ROOT,
            env=production_env,
            check=True,
        )
        yield Topology(url, "newsroom", password, processes)
    finally:
        for process in processes:
            process.stop()
        for process in processes:
            process.print_log()


def upload(
    page, *, title: str, outlet: str, text: str, kind: str = "article", sources: Sequence[str] = ()
) -> None:
    """Upload through the form; each source is found by typing its title into the picker."""
    page.goto("/articles/new/")
    page.select_option("#id_kind", kind)
    page.fill("#id_title", title)
    page.fill("#id_outlet", outlet)
    page.fill("#id_text", text)
    for source in sources:
        page.fill("#source-q-sources", "")
        page.locator("#source-q-sources").press_sequentially(" ".join(source.split()[:3]))
        match = page.locator("#source-results-sources label", has_text=source)
        match.locator("input[type=checkbox]").check()
    page.click("button:has-text('Upload')")
    page.wait_for_url(re.compile(r"/articles/\d+/$"))


def wait_for_claims(page, production: Topology) -> int:
    """The id of the claim selected once the worker's claims are on the page, which polls."""
    from playwright.sync_api import TimeoutError

    deadline = time.monotonic() + ANNOTATE_SECONDS
    while True:
        production.check_running()
        try:
            detail = page.wait_for_selector('#detail:not([data-claim-id=""])', timeout=1000)
            return int(detail.get_attribute("data-claim-id"))
        except TimeoutError:
            if time.monotonic() > deadline:
                raise AssertionError(f"no claims on the page after {ANNOTATE_SECONDS}s") from None


@needs_services
@pytest.mark.topology
def test_an_editor_uploads_reviews_and_exports_on_the_production_topology(browser, production):
    context = browser.new_context(base_url=production.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: console.append(message.text))
    static = []
    page.on("response", lambda r: static.append(r) if "/static/" in r.url else None)

    assert page.goto("/").status == 200  # the login page, after a redirect
    page.fill("#id_username", production.username)
    page.fill("#id_password", production.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{production.url}/")

    upload(page, title=REPORT.title, outlet=REPORT.outlet, text=REPORT.read(), kind="report")
    upload(
        page,
        title=COMMENTARY.title,
        outlet=COMMENTARY.outlet,
        text=COMMENTARY.read(),
        sources=[REPORT.title],
    )
    claim = wait_for_claims(page, production)
    page.keyboard.press("s")  # htmx posts the verdict and swaps the answer in
    page.wait_for_selector(f"#claim-{claim} >> text=Verdict: Sourced")
    page.click("details.article-actions summary")  # the desk folds the article's tools away
    with page.expect_download() as download:
        page.click("text=Export CSV")
    with open(download.value.path(), encoding="utf-8", newline="") as export:
        rows = list(csv.DictReader(export))
    not_found = page.request.get("/no-such-page/")
    not_found_text = not_found.text()
    context.close()

    assert {row["article title"] for row in rows} == {COMMENTARY.title}
    assert [row["verdict"] for row in rows].count("sourced") == 1
    assert rows[0]["verdict"] == "sourced"  # the first claim, selected first
    # The worker found evidence for them in the source.
    assert any(row["evidence"] and row["evidence"] in REPORT.read() for row in rows)
    # Static files by whitenoise, under the names collectstatic gave them.
    assert static and all(response.status == 200 for response in static)
    assert any(re.search(r"/app\.[0-9a-f]{12}\.css$", response.url) for response in static)
    # DEBUG is off, and the content security policy let htmx and the page's script run.
    assert not_found.status == 404 and "URLconf" not in not_found_text
    assert not [text for text in console if "Content Security Policy" in text]
