"""Pre-annotation within its limits: a run past one is stopped with a message the desk
shows, and nothing an editor saved is lost; an upload past one is refused at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from claims import services

pytestmark = pytest.mark.django_db

BODY = "The council met on Monday. It approved the budget. Three members voted against it."


@pytest.fixture
def decided_article(make_article, make_claim, editor):
    article = make_article(body=BODY, status=Article.Status.QUEUED)
    claim = make_claim(article, text="It approved the budget.")
    claim.set_verdict(label="sourced", note="Checked with the clerk", editor=editor)
    return article


def assert_untouched(article: Article) -> None:
    claim = article.claims.get()
    assert (claim.text, claim.verdict, claim.note) == (
        "It approved the budget.",
        "sourced",
        "Checked with the clerk",
    )


def test_an_article_with_too_many_sentences_fails_with_a_message_and_keeps_its_verdicts(
    decided_article, settings
):
    settings.ANNOTATION_MAX_CLAIMS = 2
    assert services.annotate_article(article_id=decided_article.pk)
    decided_article.refresh_from_db()
    assert decided_article.status == Article.Status.FAILED
    assert decided_article.status_message.startswith(
        "The article has more than 2 sentences to check, the most pre-annotation takes."
    )
    assert_untouched(decided_article)


def test_a_source_with_too_many_sentences_is_named_in_the_message(
    decided_article, make_article, settings
):
    decided_article.sources.set(
        [make_article(title="Council minutes", body="One. Two. Three. Four.")]
    )
    settings.ANNOTATION_MAX_CLAIMS = 3
    services.annotate_article(article_id=decided_article.pk)
    decided_article.refresh_from_db()
    assert decided_article.status == Article.Status.FAILED
    assert decided_article.status_message.startswith(
        'Source "Council minutes": The source has more than 3 sentences'
    )


def test_a_run_past_its_time_limit_on_the_embedded_thread_fails_with_a_message(
    editor_client, in_process_queue, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = ""  # the embedded default, whatever this run's broker
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("articles:upload"), {"title": "B", "text": BODY})
    assert response.status_code == 302
    settings.ANNOTATION_TIME_LIMIT = -1  # already past when the run starts
    in_process_queue.run()
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED
    assert "took longer than its time limit" in article.status_message
    assert not article.claims.exists()
    page = editor_client.get(article.get_absolute_url())
    assert "took longer than its time limit" in page.content.decode()


def test_a_run_past_its_time_limit_keeps_the_claims_and_verdicts_saved_before(
    decided_article, settings
):
    settings.ANNOTATION_TIME_LIMIT = -1
    services.annotate_article(article_id=decided_article.pk)
    decided_article.refresh_from_db()
    assert decided_article.status == Article.Status.FAILED
    assert_untouched(decided_article)


def test_an_upload_with_more_sentences_than_the_limit_is_refused_and_saves_nothing(
    editor_client, settings
):
    settings.ANNOTATION_MAX_CLAIMS = 10
    response = editor_client.post(
        reverse("articles:upload"), {"title": "Long", "text": "It rained. " * 11}
    )
    assert response.status_code == 400
    assert "may have more than 10 sentences" in response.content.decode()
    assert not Article.objects.exists()


def test_an_upload_within_the_limits_is_accepted(editor_client, settings):
    settings.ANNOTATION_MAX_CLAIMS = 10
    response = editor_client.post(reverse("articles:upload"), {"title": "Short", "text": BODY})
    assert response.status_code == 302
