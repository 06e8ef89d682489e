from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_editor_links_sources_and_annotation_is_queued_again(
    editor_client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    report, other = make_article(title="Report"), make_article(title="Other")
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(
            reverse("articles:sources", args=[article.pk]), {"sources": [report.pk, other.pk]}
        )
    article.refresh_from_db()
    assert response.status_code == 302
    assert set(article.sources.all()) == {report, other}
    assert article.status == Article.Status.QUEUED
    assert len(callbacks) == 1


def test_an_article_cannot_be_its_own_source(editor_client, make_article):
    article = make_article()
    response = editor_client.post(
        reverse("articles:sources", args=[article.pk]), {"sources": [article.pk]}, follow=True
    )
    assert "could not be used" in response.content.decode()
    assert not article.sources.exists()


def test_clearing_sources_is_allowed(editor_client, make_article):
    report = make_article(title="Report")
    article = make_article(sources=[report])
    editor_client.post(reverse("articles:sources", args=[article.pk]), {})
    assert not article.sources.exists()


def test_rerun_requeues_a_failed_article(
    editor_client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(
        status=Article.Status.FAILED, status_message="Pre-annotation failed: boom"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(reverse("articles:reannotate", args=[article.pk]))
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.status == Article.Status.QUEUED
    assert article.status_message == ""
    assert len(callbacks) == 1


def test_rerun_does_nothing_while_annotation_runs(editor_client, make_article):
    article = make_article(status=Article.Status.ANNOTATING)
    response = editor_client.post(reverse("articles:reannotate", args=[article.pk]), follow=True)
    assert "already under way" in response.content.decode()


@pytest.mark.parametrize("name", ["articles:sources", "articles:reannotate"])
def test_article_actions_need_login_post_and_an_existing_article(
    client, editor_client, make_article, name
):
    article = make_article()
    assert client.post(reverse(name, args=[article.pk])).status_code == 302
    assert editor_client.get(reverse(name, args=[article.pk])).status_code == 405
    assert editor_client.post(reverse(name, args=[999999])).status_code == 404
