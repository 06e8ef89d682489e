"""The article's stored review progress follows every way a claim or verdict changes."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from articles.models import Article
from claims.annotator import Suggestion
from claims.services import replace_suggestions
from claims.verdicts import accept_suggestions, merge_with_next, split_claim, undo_last

pytestmark = pytest.mark.django_db

BODY = "The council approved the budget on Monday. It is a bold and welcome step."


def counts(article: Article) -> tuple[int, int, int, int, int]:
    article.refresh_from_db()
    return (
        article.claim_count,
        article.decided_count,
        article.sourced_count,
        article.disputed_count,
        article.opinion_count,
    )


@pytest.fixture
def article(make_article, make_claim):
    article = make_article(body=BODY)
    make_claim(article, text="The council approved the budget on Monday.", confidence=0.9)
    make_claim(article, text="It is a bold and welcome step.", confidence=0.5)
    return article


def test_a_verdict_moves_the_counters_in_step(article, editor):
    first, second = article.claims.order_by("position")
    assert counts(article) == (2, 0, 0, 0, 0)
    first.set_verdict(label="sourced", note="", editor=editor)
    assert counts(article) == (2, 1, 1, 0, 0)
    first.set_verdict(label="disputed", note="", editor=editor)
    assert counts(article) == (2, 1, 0, 1, 0)
    second.set_verdict(label="opinion", note="", editor=editor)
    first.set_verdict(label="", note="", editor=editor)
    assert counts(article) == (2, 1, 0, 0, 1)


def test_a_note_alone_changes_no_counter(article, editor):
    first = article.claims.first()
    first.set_verdict(label="sourced", note="", editor=editor)
    first.set_verdict(label="sourced", note="Checked twice.", editor=editor)
    assert counts(article) == (2, 1, 1, 0, 0)


def test_bulk_accept_and_its_undo(article, editor):
    accept_suggestions(article=article, editor=editor, min_confidence=0.1)
    assert counts(article) == (2, 2, 2, 0, 0)
    undo_last(article=article, editor=editor)
    assert counts(article) == (2, 0, 0, 0, 0)


def test_merge_and_split_recount(article, editor):
    first, second = article.claims.order_by("position")
    second.set_verdict(label="opinion", note="", editor=editor)
    merged = merge_with_next(claim=first, editor=editor, seen_version=first.version)
    assert counts(article) == (1, 0, 0, 0, 0)
    merged.refresh_from_db()
    split_claim(claim=merged, at=BODY.index("It is"), editor=editor, seen_version=merged.version)
    assert counts(article) == (2, 0, 0, 0, 0)


def test_fresh_suggestions_recount(article, editor):
    article.claims.first().set_verdict(label="disputed", note="", editor=editor)
    suggestions = [
        Suggestion(
            start=0,
            end=len(BODY),
            text=BODY,
            label="sourced",
            confidence=0.5,
            reason_code="r",
            reason="r",
            evidence=(),
        )
    ]
    replace_suggestions(article=article, suggestions=suggestions, sources=[])
    # The decided claim is kept (its span vanished), the untouched one dropped, one is new.
    assert counts(article) == (2, 1, 0, 1, 0)


def test_the_data_migration_counts_existing_claims(article, editor):
    article.claims.first().set_verdict(label="opinion", note="", editor=editor)
    Article.objects.update(claim_count=0, decided_count=0, opinion_count=0)
    migration = importlib.import_module("articles.migrations.0004_article_kind_archive_counters")
    migration.fill_counters(apps, None)
    assert counts(article) == (2, 1, 0, 0, 1)
