from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import DEMO_PASSWORD, DEMO_USERNAME, DEMO_VIEWER, load_demo
from claims.services import annotate_article


class Command(BaseCommand):
    help = "Load the demo report and commentary, pre-annotate them, print the logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="where the app will be served"
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="load even with DEBUG off, e.g. on a staging server (the logins have a "
            "published password)",
        )

    def handle(self, *args, url: str, allow_without_debug: bool, **options) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo logins have a published "
                "password. Use DEBUG=true, or --allow-without-debug if you mean it."
            )
        report, commentary = load_demo()
        annotate_article(article_id=commentary.pk)
        commentary.refresh_from_db()
        self.stdout.write(
            f"Demo loaded: “{commentary.title}” checked against “{report.title}” "
            f"({commentary.claims.count()} claims, {commentary.get_status_display().lower()}).\n"
            f"Log in at {url} as {DEMO_USERNAME} / {DEMO_PASSWORD} "
            f"(or, read-only, as {DEMO_VIEWER} / {DEMO_PASSWORD})"
        )
