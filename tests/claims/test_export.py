from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from claims.export import (
    CHUNK_BYTES,
    HEADER,
    confidence_cell,
    copy_csv,
    csv_chunks,
    safe_cell,
    writer_csv,
)
from claims.models import Claim

pytestmark = pytest.mark.django_db

URL = reverse("claims:export")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY needs PostgreSQL: run with DATABASE_URL=postgres://…",
)
COLUMN = {name: n for n, name in enumerate(HEADER)}


def content(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response).decode("utf-8"), newline="")))


def cells(row: list[str], *names: str) -> list[str]:
    return [row[COLUMN[name]] for name in names]


@pytest.fixture
def two_articles(make_article, make_claim, editor):
    budget = make_article(
        title="Budget",
        url="https://news.test/budget",
        body="The council approved it. It is a bold step.",
    )
    decided = make_claim(
        budget,
        text="The council approved it.",
        reason="Matches.",
        evidence=[{"article_id": 1, "start": 0, "end": 9, "text": "Approved.", "score": 0.9}],
    )
    make_claim(budget, text="It is a bold step.", suggested_label="opinion", confidence=0.654)
    decided.set_verdict(label="sourced", note="Checked with the clerk", editor=editor)
    other = make_article(
        title='=HYPERLINK("http://evil")', outlet="+Outlet", body="-2 people came."
    )
    make_claim(other, text="-2 people came.", suggested_label="disputed", reason="@risk")
    return budget, other


def test_export_page_shows_the_filters_and_the_three_formats(editor_client):
    response = editor_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("verdict", "suggested", "decided", "editor", "decided_from", "bom"):
        assert f'name="{name}"' in page
    assert 'name="picker_field" value="article"' in page  # articles are searched for
    assert reverse("claims:export_claimreview") in page
    assert reverse("claims:export_annotations") in page


def test_csv_has_one_flat_row_per_claim_with_suggestion_and_verdict(editor_client, two_articles):
    budget, _ = two_articles
    response = editor_client.get(URL, {"format": "csv"})
    rows = read_csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert rows[0] == HEADER
    assert rows[1][:15] == [
        str(budget.pk),
        "Budget",
        "The Daily Test",
        "https://news.test/budget",
        "1",
        "0",
        "24",
        "The council approved it.",
        "sourced",
        "0.80",
        "Matches.",
        "Approved.",
        "sourced",
        "Checked with the clerk",
        "amira",
    ]
    decided_at = Claim.objects.get(article=budget, position=1).decided_at
    assert rows[1][15] == decided_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert cells(rows[2], "suggested label", "confidence") == ["opinion", "0.65"]
    assert cells(rows[2], "evidence", "verdict", "note", "editor", "decided at") == [""] * 5
    assert len(rows) == 4


def test_csv_tells_the_two_kinds_of_disputed_apart_in_words(
    editor_client, make_article, make_claim
):
    article = make_article(body="Ten came. Nine left. It rained.")
    for text, code in [("Ten came.", "number-mismatch"), ("Nine left.", "not-in-sources")]:
        make_claim(article, text=text, suggested_label="disputed", reason_code=code)
    make_claim(article, text="It rained.")
    rows = read_csv(editor_client.get(URL, {"format": "csv"}))
    assert [row[COLUMN["suggested finding"]] for row in rows[1:]] == [
        "Contradicted by a source",
        "Not in the sources",
        "Sourced",
    ]


def test_csv_neutralises_cells_a_spreadsheet_would_run(editor_client, two_articles):
    evil = read_csv(editor_client.get(URL, {"format": "csv"}))[3]
    assert cells(evil, "article title", "outlet") == ['\'=HYPERLINK("http://evil")', "'+Outlet"]
    assert cells(evil, "claim text", "reason") == ["'-2 people came.", "'@risk"]


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


def test_export_of_chosen_articles(editor_client, two_articles, make_article, make_claim):
    budget, other = two_articles
    make_claim(make_article(title="Third"))
    rows = read_csv(editor_client.get(URL, {"format": "csv", "article": [budget.pk, other.pk]}))
    assert [row[COLUMN["article id"]] for row in rows[1:]] == [str(budget.pk)] * 2 + [str(other.pk)]


@pytest.mark.parametrize(
    ("filters", "texts"),
    [
        ({"verdict": "sourced"}, ["The council approved it."]),
        ({"suggested": "opinion"}, ["It is a bold step."]),
        ({"decided": "yes"}, ["The council approved it."]),
        ({"decided": "no"}, ["It is a bold step.", "'-2 people came."]),
        ({"editor": "amira"}, ["The council approved it."]),
        ({"editor": "second-editor"}, []),
        ({"decided_from": "2000-01-01"}, ["The council approved it."]),
        ({"decided_to": "2000-01-01"}, []),
    ],
)
def test_export_filters(editor_client, other_editor, two_articles, filters, texts):
    rows = read_csv(editor_client.get(URL, {"format": "csv", **filters}))
    assert [row[COLUMN["claim text"]] for row in rows[1:]] == texts


def test_date_range_includes_both_days_of_decision(editor_client, two_articles):
    budget, _ = two_articles
    Claim.objects.filter(article=budget, position=1).update(
        decided_at=datetime(2026, 3, 2, 23, 59, tzinfo=UTC)
    )
    day = {"format": "csv", "decided_from": "2026-03-02", "decided_to": "2026-03-02"}
    assert len(read_csv(editor_client.get(URL, day))) == 2
    after = {"format": "csv", "decided_from": "2026-03-03"}
    assert len(read_csv(editor_client.get(URL, after))) == 1


@pytest.mark.parametrize(
    "filters",
    [
        {"article": "abc"},
        {"article": "999999"},
        {"verdict": "maybe"},
        {"decided": "perhaps"},
        {"editor": "nobody"},
        {"decided_from": "yesterday"},
        {"decided_from": "2026-03-02", "decided_to": "2026-03-01"},
    ],
)
def test_bad_filters_show_the_form_with_a_message(editor_client, two_articles, filters):
    response = editor_client.get(URL, {"format": "csv", **filters})
    assert response.status_code == 400
    assert not response.streaming
    assert "Some filters are not valid" in response.content.decode()


def test_newlines_and_quotes_in_claims_survive_a_csv_round_trip(
    editor_client, make_article, make_claim
):
    article = make_article(body='Line one\nline two, with "quotes".\rAnd a lone return.')
    make_claim(article, text=article.body)
    rows = read_csv(editor_client.get(URL, {"format": "csv"}))
    assert rows[1][COLUMN["claim text"]] == article.body


def test_rows_end_with_a_newline_and_accents_are_utf8(editor_client, make_article, make_claim):
    make_claim(make_article(title="Café Zürich"))
    data = content(editor_client.get(URL, {"format": "csv"}))
    assert data.count(b"\n") == 2 and b"\r" not in data
    assert "Café Zürich".encode() in data and not data.startswith(b"\xef\xbb\xbf")


def test_bom_option_marks_the_csv_as_utf8_for_excel(editor_client, two_articles):
    data = content(editor_client.get(URL, {"format": "csv", "bom": "1"}))
    assert data.startswith(b"\xef\xbb\xbfarticle id,")
    assert data.count(b"\xef\xbb\xbf") == 1


def test_large_export_streams_in_bounded_chunks(make_article, make_claim):
    article = make_article(body="x" * 400)
    Claim.objects.bulk_create(
        Claim(
            article=article,
            position=n,
            start=0,
            end=400,
            text="x" * 400,
            suggested_label="sourced",
            confidence=0.5,
            reason_code="r",
            reason="r",
        )
        for n in range(1, 501)
    )
    chunks = list(csv_chunks(claims=Claim.objects.all()))
    assert len(chunks) > 2
    assert all(len(chunk) < CHUNK_BYTES + 1000 for chunk in chunks)


def test_export_needs_login(client, two_articles):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 302


def test_export_rejects_post(editor_client):
    assert editor_client.post(URL).status_code == 405


TRICKY_TEXTS = [
    "Plain claim.",
    'Quote "inside", and a comma.',
    "Line one\nline two.",
    "Carriage\rreturn.",
    "Windows\r\nline.",
    "=SUM(A1:A9)",
    "+1 more",
    "-2 people",
    "@user said",
    "\tTabbed.",
    "\rReturn first.",
    "Accents: café, naïve — “quotes” 🚀",
    "  Leading spaces.",
    "\\.",
    "'Already quoted.",
]


@pytest.fixture
def tricky_claims(make_article, make_claim, editor, django_user_model):
    odd_editor = django_user_model.objects.create_user("@bob", password="x")
    article = make_article(
        title="=Evil, title", outlet="", url="https://x.test/a?b=1,2", body=" | ".join(TRICKY_TEXTS)
    )
    plain = make_article(title="Plain", outlet="@Outlet", body="Short.")
    make_claim(plain, text="Short.", reason="", confidence=0.0)
    confidences = [1.0, 0.125, 0.285, 0.655, 0.005, 0.015, 0.994999999, 1e-7]
    evidences = [[], [{"text": "=evil"}], [{"text": ""}], [{"start": 0}], [{"text": "Fine."}]]
    for n, text in enumerate(TRICKY_TEXTS):
        claim = make_claim(
            article,
            text=text,
            confidence=confidences[n % len(confidences)],
            reason=TRICKY_TEXTS[-n - 1],
            evidence=evidences[n % len(evidences)],
        )
        if n % 3:
            claim.set_verdict(
                label=["sourced", "disputed", "opinion"][n % 3],
                note=TRICKY_TEXTS[n - 1] if n % 2 else "",
                editor=odd_editor if n % 4 else editor,
            )
    # Microseconds near a second's end, in a non-UTC zone: both paths must truncate alike.
    late = datetime(2026, 3, 3, 1, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Kyiv"))
    Claim.objects.filter(position=2).update(decided_at=late)
    return Claim.objects.all()


@postgres_only
def test_copy_and_csv_writer_give_identical_bytes(tricky_claims):
    by_copy = b"".join(copy_csv(tricky_claims))
    by_writer = b"".join(writer_csv(tricky_claims))
    assert by_copy == by_writer
    rows = list(csv.reader(io.StringIO(by_copy.decode(), newline="")))
    assert [row[COLUMN["claim text"]] for row in rows[1:-1]] == [safe_cell(t) for t in TRICKY_TEXTS]


@postgres_only
def test_copy_and_csv_writer_give_identical_bytes_for_filtered_claims(tricky_claims, editor):
    decided_by_editor = tricky_claims.filter(decided_by=editor).exclude(verdict="opinion")
    assert b"".join(copy_csv(decided_by_editor)) == b"".join(writer_csv(decided_by_editor))


@postgres_only
def test_the_view_streams_the_copy_output(editor_client, tricky_claims):
    response = editor_client.get(URL, {"format": "csv", "bom": "1"})
    assert content(response) == b"\xef\xbb\xbf" + b"".join(writer_csv(tricky_claims))


@postgres_only
def test_an_abandoned_download_leaves_the_connection_usable(tricky_claims):
    # Enough rows (about 2.5 MB) that PostgreSQL is still sending when the client goes away,
    # so closing cancels the COPY: the caller's transaction must survive that.
    Claim.objects.bulk_create(
        Claim(
            article_id=tricky_claims[0].article_id,
            position=1000 + n,
            start=0,
            end=5,
            text="x" * 500,
            suggested_label="sourced",
            confidence=0.5,
            reason_code="r",
            reason="r",
        )
        for n in range(4000)
    )
    chunks = copy_csv(Claim.objects.all())
    assert next(chunks)
    chunks.close()  # what the server does when the client goes away
    assert Claim.objects.count() == 4001 + len(TRICKY_TEXTS)


@postgres_only
def test_copy_rounds_confidence_as_python_does(make_article):
    rng = random.Random(5)
    values = [0.0, 1.0, 0.125, 0.135, 0.285, 0.655, 0.005, 0.045, 1e-9, 0.994999999999]
    values += [rng.random() for _ in range(3000)] + [round(rng.random(), 3) for _ in range(2000)]
    article = make_article(body="x")
    Claim.objects.bulk_create(
        Claim(
            article=article,
            position=n,
            start=0,
            end=1,
            text="x",
            suggested_label="sourced",
            confidence=value,
            reason_code="r",
            reason="r",
        )
        for n, value in enumerate(values, start=1)
    )
    by_copy = b"".join(copy_csv(Claim.objects.all())).decode()
    rows = list(csv.reader(io.StringIO(by_copy, newline="")))[1:]
    assert [row[COLUMN["confidence"]] for row in rows] == [confidence_cell(v) for v in values]
    assert confidence_cell(0.125) == "0.12" and confidence_cell(0.135) == "0.14"


def test_timestamps_are_utc_to_the_second(editor_client, two_articles):
    budget, _ = two_articles
    at = datetime(2026, 3, 2, 14, 0, 1, 999999, tzinfo=ZoneInfo("Europe/Kyiv"))
    Claim.objects.filter(article=budget, position=1).update(decided_at=at)
    rows = read_csv(editor_client.get(URL, {"format": "csv", "decided": "yes"}))
    assert rows[1][COLUMN["decided at"]] == "2026-03-02T12:00:01Z"
