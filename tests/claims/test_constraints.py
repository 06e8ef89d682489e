"""The database itself refuses what the model rules forbid, whatever code writes to it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from claims.models import Claim, VerdictChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(make_article, make_claim) -> Claim:
    return make_claim(make_article(), text="The council approved the budget on Monday.")


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_two_claims_of_one_article_cannot_share_a_position(claim, make_claim):
    assert refused(lambda: make_claim(claim.article, text="It is a bold", position=1))


@pytest.mark.parametrize(
    "change",
    [
        {"verdict": "true"},
        {"suggested_label": "maybe"},
        {"confidence": 1.5},
        {"start": 10, "end": 10},
    ],
)
def test_a_claim_with_an_invalid_value_is_refused(claim, change):
    assert refused(lambda: Claim.objects.filter(pk=claim.pk).update(**change))


@pytest.mark.parametrize(
    "change", [{"kind": "edit"}, {"old_label": "x"}, {"new_label": "x"}, {"suggested_label": "x"}]
)
def test_a_history_entry_with_an_invalid_value_is_refused(claim, editor, change):
    claim.set_verdict(label="sourced", note="", editor=editor)
    assert refused(lambda: VerdictChange.objects.filter(claim=claim).update(**change))


def test_an_article_with_an_unknown_status_is_refused(claim):
    assert refused(lambda: Article.objects.filter(pk=claim.article_id).update(status="lost"))
