"""The demo pair: a news report and a commentary derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import ensure_roles
from articles.models import Article

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_USERNAME = "editor"
DEMO_VIEWER = "viewer"  # may read and export, not upload or mark
DEMO_PASSWORD = "factcheck-demo"  # noqa: S105 - a local demo login, printed by `make run`


@dataclass(frozen=True)
class DemoText:
    filename: str
    outlet: str
    url: str
    published_on: date | None

    def read(self) -> str:
        return (DEMO_DIR / self.filename).read_text(encoding="utf-8").strip()

    @property
    def title(self) -> str:
        return self.read().splitlines()[0].strip()


REPORT = DemoText(
    "kyiv-independent-lukashenko-apology.txt",
    outlet="The Kyiv Independent",
    url="",
    published_on=date(2025, 1, 5),
)
COMMENTARY = DemoText(
    "commentary-lukashenko-apology.txt", outlet="Commentary", url="", published_on=None
)


def load_demo() -> tuple[Article, Article]:
    """Create (or refresh) the demo logins and the demo pair; returns (report, commentary)."""
    with transaction.atomic():
        ensure_roles()
        editor = _demo_login(DEMO_USERNAME, role="editor")
        _demo_login(DEMO_VIEWER, role="viewer")
        report = _article(REPORT, editor, kind=Article.Kind.REPORT)
        commentary = _article(COMMENTARY, editor, kind=Article.Kind.ARTICLE)
        commentary.sources.set([report])
        commentary.queue_annotation()
    return report, commentary


def _demo_login(username: str, *, role: str):
    # A role and nothing more: a printed password must not open the admin.
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = False
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


def _article(text: DemoText, editor, *, kind: str) -> Article:
    article, _ = Article.objects.update_or_create(
        title=text.title,
        outlet=text.outlet,
        defaults={
            "kind": kind,
            # A source is read by the commentary, never split into claims itself.
            **({"status": Article.Status.SOURCE} if kind != Article.Kind.ARTICLE else {}),
            "body": text.read(),
            "url": text.url,
            "published_on": text.published_on,
            "uploaded_by": editor,
        },
    )
    return article
