"""The load test's own bookkeeping (the load itself is `make loadtest`, not a test)."""

from __future__ import annotations

import pytest

from bench.loadtest import combine, out_of_step_with_history
from claims.models import Claim


def test_rounds_add_up_and_keep_the_worse_latencies():
    first = {"requests": 100, "seconds": 5.0, "accepted": 90, "errors": 0, "recorded": 91}
    second = {"requests": 50, "seconds": 5.0, "accepted": 50, "errors": 1, "recorded": 50}
    latencies = ({"p50": 10.0, "p95": 30.0, "p99": 90.0}, {"p50": 20.0, "p95": 25.0, "p99": 95.0})
    total = combine(combine(None, first | latencies[0]), second | latencies[1])
    assert total == {
        "requests": 150,
        "seconds": 10.0,
        "accepted": 140,
        "errors": 1,
        "recorded": 141,
        "p50": 20.0,
        "p95": 30.0,
        "p99": 95.0,
    }


@pytest.mark.django_db
def test_a_verdict_written_around_the_history_is_caught(make_article, make_claim, editor):
    article = make_article(body="The council met on Tuesday. It voted.")
    kept = make_claim(article, text="The council met on Tuesday.")
    bypassed = make_claim(article, text="It voted.")
    kept.set_verdict(label="sourced", note="", editor=editor)
    assert out_of_step_with_history() == 0
    Claim.objects.filter(pk=bypassed.pk).update(verdict="disputed")
    assert out_of_step_with_history() == 1
    Claim.objects.filter(pk=kept.pk).update(note="changed behind the history's back")
    assert out_of_step_with_history() == 2
