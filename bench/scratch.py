"""Scratch PostgreSQL databases for the benchmarks, the load test and the topology test."""

from __future__ import annotations

import os
import sys


def ensure_scratch_database(url: str, *, marker: str, empty: bool = False) -> None:
    """Create the database `url` names unless it exists (with `empty`, drop it first, cutting
    off whoever is connected); refuse any whose name lacks `marker`, so a benchmark never fills
    (or empties) a real database by mistake."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"] or marker not in config["NAME"]:
        sys.exit(f"{url} must name a scratch PostgreSQL database (…{marker}…)")
    server = {k.lower(): config[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if config[k]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        if empty:
            admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not admin.execute(exists, [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django_on(url: str) -> None:
    """Set Django up on the scratch database `url`, created if missing."""
    ensure_scratch_database(url, marker="bench")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
