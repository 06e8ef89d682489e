"""The library page: search, filters, order and pages, all held in the URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

URL = reverse("articles:list")


def titles(response) -> list[str]:
    return re.findall(r'<td><a href="/articles/\d+/">([^<]*)</a></td>', response.content.decode())


@pytest.fixture
def library(make_article):
    return {
        "budget": make_article(title="Council approves budget", outlet="Daily Test"),
        "river": make_article(
            title="Flood warning", outlet="River Post", body="The river rose past the bridge."
        ),
        "report": make_article(
            title="Audit report",
            kind=Article.Kind.REPORT,
            status=Article.Status.SOURCE,
            body="The auditors found the budget balanced.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("budget", ["Council approves budget"]),  # title
        ("river post", ["Flood warning"]),  # outlet
        ("bridge", ["Flood warning"]),  # text
        ("COUNCIL Budget", ["Council approves budget"]),  # every word, any case
        ("nothing-like-this", []),
    ],
)
def test_search_finds_articles_by_title_outlet_and_text(editor_client, library, query, expected):
    response = editor_client.get(URL, {"q": query})
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_list_shows_articles_to_check_and_sources_apart(editor_client, library):
    assert "Audit report" not in titles(editor_client.get(URL))
    assert titles(editor_client.get(URL, {"kind": "sources"})) == ["Audit report"]
    assert titles(editor_client.get(URL, {"kind": "report"})) == ["Audit report"]
    assert len(titles(editor_client.get(URL, {"kind": "all"}))) == 3
    sources = editor_client.get(URL, {"kind": "sources", "q": "budget"})
    assert titles(sources) == ["Audit report"]
    assert "Source: not reviewed" in sources.content.decode()


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "a & | !", "(", "*", "%", "_", "\\", ":*", '"unclosed', "!!!", "<->"]
)
def test_search_syntax_of_sql_regex_or_full_text_is_just_text(editor_client, library, query):
    response = editor_client.get(URL, {"q": query})
    assert response.status_code == 200
    assert titles(response) == []  # none of these words is in the library


def test_every_word_must_match(editor_client, library):
    assert titles(editor_client.get(URL, {"q": "budget bridge"})) == []


@pytest.mark.parametrize(
    ("page", "shown"),
    [("1", 1), ("2", 2), ("-1", 1), ("0", 1), ("999999", 2), ("two", 1), ("", 1), ("1e3", 1)],
)
def test_a_bad_page_number_shows_the_nearest_page(editor_client, make_article, page, shown):
    for _ in range(30):
        make_article()
    response = editor_client.get(URL, {"page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()
    assert len(titles(response)) == (25 if shown == 1 else 5)


def test_page_links_keep_the_search_and_filters(editor_client, make_article):
    for n in range(30):
        make_article(title=f"Budget {n}")
    page = editor_client.get(URL, {"q": "budget", "sort": "title"}).content.decode()
    assert 'href="?q=budget&amp;sort=title&amp;page=2"' in page


def test_filters_by_status_progress_uploader_and_date(
    editor_client, make_article, make_claim, editor, other_editor
):
    started = make_article(title="Started")
    make_claim(started, text="The council approved the budget on Monday.")
    make_claim(started, text="It is a bold and welcome step.").set_verdict(
        label="opinion", note="", editor=editor
    )
    untouched = make_article(title="Untouched", uploaded_by=other_editor)
    make_claim(untouched)
    make_article(title="Queued", status=Article.Status.QUEUED)
    make_article(title="Old", uploaded_at=timezone.now() - timedelta(days=40))

    assert titles(editor_client.get(URL, {"status": "queued"})) == ["Queued"]
    assert titles(editor_client.get(URL, {"progress": "started"})) == ["Started"]
    assert titles(editor_client.get(URL, {"progress": "untouched"})) == ["Untouched"]
    assert titles(editor_client.get(URL, {"uploader": other_editor.username})) == ["Untouched"]
    since = (timezone.now() - timedelta(days=10)).date().isoformat()
    assert "Old" not in titles(editor_client.get(URL, {"uploaded_from": since}))
    assert titles(editor_client.get(URL, {"uploaded_to": since})) == ["Old"]


def test_done_means_every_claim_decided(editor_client, make_article, make_claim, editor):
    article = make_article(title="Done")
    make_claim(article).set_verdict(label="sourced", note="", editor=editor)
    make_article(title="No claims")
    assert titles(editor_client.get(URL, {"progress": "done"})) == ["Done"]


def test_sort_orders(editor_client, make_article):
    make_article(title="Bravo", published_on="2024-01-01")
    make_article(title="Alpha", published_on="2025-01-01")
    make_article(title="Charlie")
    assert titles(editor_client.get(URL)) == ["Charlie", "Alpha", "Bravo"]
    assert titles(editor_client.get(URL, {"sort": "oldest"})) == ["Bravo", "Alpha", "Charlie"]
    assert titles(editor_client.get(URL, {"sort": "title"})) == ["Alpha", "Bravo", "Charlie"]
    assert titles(editor_client.get(URL, {"sort": "published"})) == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"sort": "'; DROP TABLE articles_article; --"},
        {"uploader": "nobody"},
        {"uploaded_from": "yesterday"},
        {"q": "x" * 500},
        {"kind": "article'"},
    ],
)
def test_a_bad_filter_is_reported_and_left_out(editor_client, library, params):
    response = editor_client.get(URL, params)
    assert response.status_code == 200
    assert "Some filters were left out" in response.content.decode()
    assert "Council approves budget" in titles(response)


def test_the_search_form_is_a_get_form_holding_the_query(editor_client, library):
    page = editor_client.get(URL, {"q": "flood", "status": "ready"}).content.decode()
    assert '<form method="get" action="/"' in page
    assert 'value="flood"' in page
    assert '<option value="ready" selected>' in page


def test_polling_keeps_the_query(editor_client, make_article):
    make_article(title="Flood", status=Article.Status.QUEUED)
    page = editor_client.get(URL, {"q": "flood"}).content.decode()
    assert 'hx-get="/?q=flood"' in page


def test_empty_search_offers_a_way_back(editor_client, library):
    page = editor_client.get(URL, {"q": "zebra"}).content.decode()
    assert "Nothing matches" in page and "Clear the search" in page
