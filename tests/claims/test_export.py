from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from claims.export import HEADER, safe_cell

pytestmark = pytest.mark.django_db

URL = reverse("claims:export")


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


@pytest.fixture
def two_articles(make_article, make_claim, editor):
    budget = make_article(title="Budget", body="The council approved it. It is a bold step.")
    decided = make_claim(
        budget,
        text="The council approved it.",
        reason="Matches.",
        evidence=[{"article_id": 1, "start": 0, "end": 9, "text": "Approved.", "score": 0.9}],
    )
    make_claim(budget, text="It is a bold step.", suggested_label="opinion", confidence=0.654)
    decided.set_verdict(label="sourced", note="Checked with the clerk", editor=editor)
    other = make_article(title='=HYPERLINK("http://evil")', body="-2 people came.")
    make_claim(other, text="-2 people came.", suggested_label="disputed", reason="@risk")
    return budget, other


def test_export_page_shows_the_filters(editor_client):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert b'name="verdict"' in response.content


def test_csv_has_one_row_per_claim_with_suggestion_and_verdict(editor_client, two_articles):
    response = editor_client.get(URL, {"format": "csv"})
    rows = read_csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert rows[0] == HEADER
    budget_row = rows[1]
    assert budget_row[:8] == [
        "Budget",
        "1",
        "The council approved it.",
        "sourced",
        "0.80",
        "Matches.",
        "Approved.",
        "sourced",
    ]
    assert budget_row[8:10] == ["Checked with the clerk", "amira"]
    assert budget_row[10].endswith("+00:00")
    assert rows[2][3:5] == ["opinion", "0.65"] and rows[2][7:] == ["", "", "", ""]
    assert len(rows) == 4


def test_csv_neutralises_cells_a_spreadsheet_would_run(editor_client, two_articles):
    rows = read_csv(editor_client.get(URL, {"format": "csv"}))
    evil = rows[3]
    assert evil[0] == '\'=HYPERLINK("http://evil")'
    assert evil[2] == "'-2 people came."
    assert evil[5] == "'@risk"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_export_of_one_article(editor_client, two_articles):
    budget, _ = two_articles
    rows = read_csv(editor_client.get(URL, {"format": "csv", "article": budget.pk}))
    assert {row[0] for row in rows[1:]} == {"Budget"}


@pytest.mark.parametrize(
    ("filters", "texts"),
    [
        ({"verdict": "sourced"}, ["The council approved it."]),
        ({"suggested": "opinion"}, ["It is a bold step."]),
        ({"decided": "yes"}, ["The council approved it."]),
        ({"decided": "no"}, ["It is a bold step.", "'-2 people came."]),
    ],
)
def test_export_filters(editor_client, two_articles, filters, texts):
    rows = read_csv(editor_client.get(URL, {"format": "csv", **filters}))
    assert [row[2] for row in rows[1:]] == texts


@pytest.mark.parametrize(
    "filters",
    [{"article": "abc"}, {"article": "999999"}, {"verdict": "maybe"}, {"decided": "perhaps"}],
)
def test_bad_filters_show_the_form_with_a_message(editor_client, two_articles, filters):
    response = editor_client.get(URL, {"format": "csv", **filters})
    assert response.status_code == 400
    assert not response.streaming
    assert "Some filters are not valid" in response.content.decode()


def test_newlines_in_claims_survive_a_csv_round_trip(editor_client, make_article, make_claim):
    article = make_article(body='Line one\nline two, with "quotes".')
    make_claim(article, text=article.body)
    rows = read_csv(editor_client.get(URL, {"format": "csv"}))
    assert rows[1][2] == 'Line one\nline two, with "quotes".'


def test_export_needs_login(client, two_articles):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302


def test_export_rejects_post(editor_client):
    assert editor_client.post(URL).status_code == 405
