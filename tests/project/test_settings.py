"""Settings come from the environment; with none, the app runs on SQLite with in-process tasks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], not s.CELERY_BROKER_URL, s.DEBUG, s.ALLOWED_HOSTS)"
)


def settings_under(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_is_sqlite_with_in_process_tasks():
    result = settings_under(DEBUG="true")
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "True",
        "['127.0.0.1',",
        "'localhost']",
    ]


def test_database_and_broker_urls_switch_to_postgres_and_redis():
    result = settings_under(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@db:5432/f",
        CELERY_BROKER_URL="redis://r:6379/0",
        ALLOWED_HOSTS="news.example",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "False",
        "['news.example']",
    ]


def test_production_without_secret_key_refuses_to_start():
    result = settings_under()
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = settings_under(DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr


def test_a_visibility_timeout_within_the_task_time_limit_is_refused():
    # Redis would hand a task still running to a second worker.
    result = settings_under(
        DEBUG="true", CELERY_TASK_TIME_LIMIT="300", CELERY_VISIBILITY_TIMEOUT="200"
    )
    assert "CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT" in result.stderr


def test_a_malformed_number_is_refused():
    result = settings_under(DEBUG="true", SECURE_HSTS_SECONDS="a year")
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr
