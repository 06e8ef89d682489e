from __future__ import annotations

import itertools
import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts.roles import ensure_roles
from articles import services
from articles.models import Article
from claims.models import Claim


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The production hasher takes a few hundred milliseconds a password, on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached permissions and login checks under way must not leak from one test to the next.
    cache.clear()


class InProcessQueue:
    """The embedded default's annotation thread, run when a test says so: on the test's own
    connection, inside its transaction, instead of racing the test from another thread."""

    def __init__(self) -> None:
        self.article_ids: list[int] = []

    def submit(self, run, task, article_id: int) -> None:
        self.article_ids.append(article_id)
        self.task = task

    def run(self) -> None:
        while self.article_ids:
            self.task.apply(args=[self.article_ids.pop(0)])


@pytest.fixture(autouse=True)
def in_process_queue(monkeypatch) -> InProcessQueue:
    queue = InProcessQueue()
    monkeypatch.setattr(services, "_in_process", queue)
    return queue


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (/usr/bin/chromium), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # test body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def session_lookups(settings) -> int:
    """Queries a logged-in request spends on its session: none where sessions are cached."""
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


@pytest.fixture
def roles(db) -> None:
    # The data migration made them, but a transactional test's flush empties the tables.
    ensure_roles()


def user_with_role(django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(username, password="correct horse battery")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(django_user_model, roles):
    return user_with_role(django_user_model, "amira", "editor")


@pytest.fixture
def other_editor(django_user_model, roles):
    return user_with_role(django_user_model, "second-editor", "editor")


@pytest.fixture
def viewer(django_user_model, roles):
    return user_with_role(django_user_model, "vera", "viewer")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def htmx_headers():
    return {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def make_article(editor):
    counter = itertools.count(1)

    def make(**fields) -> Article:
        sources = fields.pop("sources", [])
        n = next(counter)
        defaults = {
            "title": f"Article {n}",
            "outlet": "The Daily Test",
            "body": "The council approved the budget on Monday. It is a bold and welcome step.",
            "uploaded_by": editor,
            "status": Article.Status.READY,
        }
        article = Article.objects.create(**{**defaults, **fields})
        article.sources.set(sources)
        return article

    return make


@pytest.fixture
def make_long_article(make_article):
    """An article of `claims` one-sentence claims, each suggested sourced at 50 %: more than
    the review desk lists at first."""

    def make(claims: int) -> Article:
        sentences = [f"Claim {n} says the council met on day {n}." for n in range(1, claims + 1)]
        article = make_article(title="A long article", body=" ".join(sentences))
        start, rows = 0, []
        for n, text in enumerate(sentences, start=1):
            rows.append(
                Claim(
                    article=article,
                    position=n,
                    start=start,
                    end=start + len(text),
                    text=text,
                    suggested_label="sourced",
                    confidence=0.5,
                    reason_code="matches-source",
                )
            )
            start += len(text) + 1
        Claim.objects.bulk_create(rows)
        return article

    return make


@pytest.fixture
def make_claim():
    def make(article: Article, **fields) -> Claim:
        position = fields.pop("position", article.claims.count() + 1)
        text = fields.pop("text", None)
        if text is None:
            start = fields.pop("start", 0)
            end = fields.pop("end", len(article.body))
            text = article.body[start:end]
        else:
            start = article.body.index(text)
            end = start + len(text)
        defaults = {
            "suggested_label": "sourced",
            "confidence": 0.8,
            "reason_code": "matches-source",
            "reason": "A source sentence says the same.",
        }
        claim = Claim.objects.create(
            article=article,
            position=position,
            start=start,
            end=end,
            text=text,
            **{**defaults, **fields},
        )
        article.recount_claims()  # as claims.services does after storing suggestions
        return claim

    return make
