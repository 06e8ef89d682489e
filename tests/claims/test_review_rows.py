"""The claim list of a long article: its first rows, "Show more", and never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

CLAIMS = 150


@pytest.fixture
def long_article(make_long_article) -> Article:
    return make_long_article(CLAIMS)


def review(client, article, query: str = "", **headers):
    response = client.get(f"{reverse('claims:review', args=[article.pk])}?{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def listed(page: str) -> int:
    return page.count('class="row ')


def more_link(page: str) -> dict[str, list[str]]:
    href = page.split('id="show-more" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return parse_qs(urlsplit(href).query)


def test_the_list_shows_the_first_100_claims_and_the_text_shows_every_claim(
    editor_client, long_article
):
    page = review(editor_client, long_article)
    assert listed(page) == 100
    assert page.count('<a id="span-') == CLAIMS
    assert "150 of 150, first 100 listed" in page
    assert more_link(page)["rows"] == ["200"]


def test_show_more_lists_the_next_rows_and_disappears_when_all_are_listed(
    editor_client, long_article
):
    page = review(editor_client, long_article, "rows=200")
    assert listed(page) == CLAIMS
    assert 'id="show-more"' not in page


def test_a_selected_claim_beyond_the_first_rows_is_still_listed(editor_client, long_article):
    chosen = long_article.claims.get(position=130)
    page = review(editor_client, long_article, f"claim={chosen.pk}")
    assert f'<li id="claim-{chosen.pk}"' in page
    assert listed(page) == 130
    assert more_link(page)["rows"] == ["230"]
    assert more_link(page)["claim"] == [str(chosen.pk)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [("-5", 100), ("0", 100), ("ten", 100), ("1.5", 100), ("9" * 30, CLAIMS), ("9" * 5000, 100)],
)
def test_bad_rows_values_are_clamped_never_an_error(editor_client, long_article, rows, expected):
    assert listed(review(editor_client, long_article, f"rows={rows}")) == expected


def test_show_more_keeps_the_filters(editor_client, long_article):
    page = review(editor_client, long_article, "state=undecided&sort=confidence")
    query = more_link(page)
    assert query["state"] == ["undecided"] and query["sort"] == ["confidence"]
    assert query["rows"] == ["200"]
    assert 'hx-select="#claim-list &gt; li"' in page or 'hx-select="#claim-list > li"' in page


def test_show_more_for_htmx_answers_the_review_partial_with_the_longer_list(
    editor_client, long_article, htmx_headers
):
    page = review(
        editor_client, long_article, "rows=200", HTTP_HX_TARGET="claim-list", **htmx_headers
    )
    assert "<html" not in page
    assert listed(page) == CLAIMS


def test_a_verdict_on_a_claim_not_listed_leaves_its_row_out(
    editor_client, long_article, htmx_headers
):
    claim = long_article.claims.get(position=140)
    url = reverse("claims:mark", args=[claim.pk])
    page = editor_client.post(
        url, {"label": "sourced", "version": 0, "unlisted": "on"}, **htmx_headers
    ).content.decode()
    assert f'<a id="span-{claim.pk}"' in page
    assert f'<li id="claim-{claim.pk}"' not in page
    page = editor_client.post(url, {"label": "opinion", "version": 1}, **htmx_headers)
    assert f'<li id="claim-{claim.pk}"' in page.content.decode()
