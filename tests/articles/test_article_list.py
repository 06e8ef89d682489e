from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

URL = reverse("articles:list")


def test_list_shows_every_article_with_status_and_review_progress(
    editor_client, make_article, make_claim, editor
):
    article = make_article(title="Budget story", body="One. Two. Three.")
    first = make_claim(article, text="One.")
    make_claim(article, text="Two.")
    make_claim(article, text="Three.")
    first.set_verdict(label="sourced", note="", editor=editor)
    make_article(title="Fresh upload", status=Article.Status.QUEUED)

    response = editor_client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Budget story" in page and "Fresh upload" in page
    assert "1 of 3 claims decided" in page
    assert "Queued" in page and "Ready" in page


def test_list_polls_only_while_an_article_is_being_annotated(editor_client, make_article):
    article = make_article(status=Article.Status.ANNOTATING)
    assert 'hx-trigger="every 2s"' in editor_client.get(URL).content.decode()
    article.mark_ready()
    assert "hx-trigger" not in editor_client.get(URL).content.decode()


def test_htmx_request_gets_only_the_table(editor_client, make_article, htmx_headers):
    make_article(title="Budget story")
    response = editor_client.get(URL, **htmx_headers)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Budget story" in response.content
    assert "HX-Request" in response["Vary"]


def test_list_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_list_rejects_post(editor_client):
    assert editor_client.post(URL).status_code == 405


@pytest.mark.parametrize("articles", [3, 60])
def test_list_query_count_does_not_grow_with_articles(
    editor_client, make_article, make_claim, session_lookups, django_assert_num_queries, articles
):
    for _ in range(articles):
        make_claim(make_article())
    # Session (unless cached), user, the role's permissions, the count, the page's ids, its
    # rows with their uploaders, the uploader filter's names. No claim is read.
    with django_assert_num_queries(session_lookups + 6):
        response = editor_client.get(URL, {"q": "council", "progress": "untouched"})
    assert response.status_code == 200
