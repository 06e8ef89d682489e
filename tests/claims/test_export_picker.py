"""The export page's article filter is the search picker: it never lists every article."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("claims:export")


def test_the_export_page_lists_no_articles_until_searched(viewer_client, make_article):
    make_article(title="Never listed")
    page = viewer_client.get(URL).content.decode()
    assert "Never listed" not in page
    assert "None chosen: every article" in page


def test_articles_are_found_by_search_and_kept_ticked(viewer_client, make_article):
    chosen = make_article(title="Chosen story")
    found = make_article(title="Budget story")
    page = viewer_client.get(URL, {"article": [chosen.pk], "source_q": "budget"}).content.decode()
    assert f'name="article" value="{chosen.pk}" checked' in page
    assert f'name="article" value="{found.pk}">' in page


def test_the_picker_search_partial_uses_the_article_field(viewer_client, make_article):
    article = make_article(title="Budget story")
    response = viewer_client.get(
        reverse("articles:source_search"),
        {"source_q": "budget", "picker_field": "article"},
        HTTP_HX_REQUEST="true",
    )
    assert f'name="article" value="{article.pk}"' in response.content.decode()


@pytest.mark.parametrize("articles", [2, 40])
def test_export_page_query_count_does_not_grow(
    viewer_client, make_article, session_lookups, django_assert_num_queries, articles
):
    for _ in range(articles):
        make_article()
    # Session (unless cached), user, permissions, the editor filter's users.
    with django_assert_num_queries(session_lookups + 3):
        assert viewer_client.get(URL).status_code == 200


def test_an_unknown_article_id_is_refused_in_the_filter(viewer_client):
    response = viewer_client.get(URL, {"article": ["999999"], "format": "csv"})
    assert response.status_code == 400
    assert "999999" in response.content.decode()
