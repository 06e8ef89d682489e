from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.demo import load_demo
from articles.models import Article
from claims import services
from claims.annotator import LABELS, get_annotator

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    report, commentary = load_demo()
    services.annotate_article(article_id=commentary.pk)
    commentary.refresh_from_db()
    return report, commentary


def test_demo_commentary_is_split_into_claims_whose_offsets_match_the_text(demo):
    _, commentary = demo
    claims = list(commentary.claims.all())
    assert commentary.status == Article.Status.READY
    assert len(claims) > 20
    for claim in claims:
        assert commentary.body[claim.start : claim.end] == claim.text
    assert [c.position for c in claims] == list(range(1, len(claims) + 1))
    assert all(a.end <= b.start for a, b in zip(claims, claims[1:], strict=False))
    assert not any("Read the original article" in c.text for c in claims)


def test_every_claim_gets_a_label_confidence_reason_and_source_evidence(demo):
    report, commentary = demo
    claims = list(commentary.claims.all())
    assert {c.suggested_label for c in claims} <= set(LABELS)
    assert len({c.suggested_label for c in claims}) == 3
    assert all(0 <= c.confidence <= 1 and c.reason for c in claims)
    sourced = [c for c in claims if c.suggested_label == "sourced"]
    assert sourced and all(c.evidence for c in sourced)
    for claim in sourced:
        best = claim.evidence[0]
        assert best["article_id"] == report.pk
        assert report.body[best["start"] : best["end"]] == best["text"]


def test_rerunning_replaces_suggestions_and_keeps_verdicts_and_history(demo, editor):
    _, commentary = demo
    claim = commentary.claims.get(position=3)
    claim.set_verdict(label="opinion", note="Loaded wording", editor=editor)
    Article.objects.filter(pk=commentary.pk).update(status=Article.Status.QUEUED)
    commentary.claims.update(reason="stale")

    assert services.annotate_article(article_id=commentary.pk)

    claim.refresh_from_db()
    assert (claim.verdict, claim.note, claim.decided_by) == ("opinion", "Loaded wording", editor)
    assert claim.changes.count() == 1
    assert not commentary.claims.filter(reason="stale").exists()


def test_claims_an_editor_touched_survive_a_different_split(make_article, make_claim, editor):
    article = make_article(
        body="First sentence here. Second one here.", status=Article.Status.QUEUED
    )
    odd = make_claim(article, start=0, end=12)  # a span the engine never produces
    untouched = make_claim(article, start=13, end=20)
    odd.set_verdict(label="disputed", note="", editor=editor)

    services.annotate_article(article_id=article.pk)

    spans = list(article.claims.values_list("start", "end", "verdict"))
    assert (0, 12, "disputed") in spans
    assert not article.claims.filter(pk=untouched.pk).exists()


def test_a_source_is_embedded_once_and_reused(demo):
    report, commentary = demo
    report.refresh_from_db()
    assert report.prepared_version == get_annotator().version
    stored = bytes(report.prepared_source)
    Article.objects.filter(pk=commentary.pk).update(status=Article.Status.QUEUED)
    services.annotate_article(article_id=commentary.pk)
    report.refresh_from_db()
    assert bytes(report.prepared_source) == stored


def test_an_unreadable_stored_source_is_prepared_again(demo):
    report, commentary = demo
    Article.objects.filter(pk=report.pk).update(prepared_source=b"garbage")
    Article.objects.filter(pk=commentary.pk).update(status=Article.Status.QUEUED)
    assert services.annotate_article(article_id=commentary.pk)
    report.refresh_from_db()
    assert bytes(report.prepared_source) != b"garbage"


def test_only_one_run_claims_an_article(make_article):
    article = make_article(status=Article.Status.QUEUED)
    five_minutes = timedelta(minutes=5)
    assert Article.claim_for_annotation(article.pk, task_id="first", stale_after=five_minutes)
    assert not Article.claim_for_annotation(article.pk, task_id="copy", stale_after=five_minutes)
    assert not services.annotate_article(article_id=article.pk, task_id="another")


def test_a_run_whose_worker_died_can_be_taken_over(make_article):
    article = make_article(
        status=Article.Status.ANNOTATING,
        annotation_started_at=timezone.now() - timedelta(minutes=10),
        annotation_task_id="lost",
    )
    assert Article.claim_for_annotation(article.pk, task_id="new", stale_after=timedelta(minutes=5))


def test_the_redelivered_task_takes_over_its_own_run_at_once(make_article):
    article = make_article(
        status=Article.Status.ANNOTATING,
        annotation_started_at=timezone.now(),
        annotation_task_id="task-1",
    )
    five_minutes = timedelta(minutes=5)
    assert not Article.claim_for_annotation(article.pk, task_id="", stale_after=five_minutes)
    assert not Article.claim_for_annotation(article.pk, task_id="task-2", stale_after=five_minutes)
    assert Article.claim_for_annotation(article.pk, task_id="task-1", stale_after=five_minutes)


def test_a_failing_engine_marks_the_article_failed_with_a_readable_message(
    make_article, monkeypatch
):
    class BrokenAnnotator:
        version = "broken"

        def annotate(self, text, sources):
            raise RuntimeError("model file missing")

    monkeypatch.setattr(services, "get_annotator", BrokenAnnotator)
    article = make_article(status=Article.Status.QUEUED)
    with pytest.raises(RuntimeError):
        services.annotate_article(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.status_message == "Pre-annotation failed: RuntimeError: model file missing"


def test_load_demo_twice_keeps_one_pair_and_the_editors_verdicts(demo, editor):
    _, commentary = demo
    claim = commentary.claims.first()
    claim.set_verdict(label="sourced", note="", editor=editor)
    load_demo()
    assert Article.objects.count() == 2
    claim.refresh_from_db()
    assert claim.verdict == "sourced"


def test_load_demo_command_leaves_the_commentary_ready_the_report_a_source_and_prints_logins():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    statuses = dict(Article.objects.values_list("kind", "status"))
    assert statuses == {"article": Article.Status.READY, "report": Article.Status.SOURCE}
    assert "Log in at http://127.0.0.1:8000/ as editor / factcheck-demo" in out.getvalue()


def test_load_demo_prints_where_make_run_serves_the_app():
    out = io.StringIO()
    call_command("load_demo", url="http://127.0.0.1:8123/", stdout=out)
    assert "Log in at http://127.0.0.1:8123/ as editor" in out.getvalue()
