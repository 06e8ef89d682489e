"""Exports of claims and verdicts: CSV for spreadsheets, ClaimReview and Web Annotation JSON-LD.

Everything streams in constant memory. On PostgreSQL the database itself writes the CSV
(`COPY … TO STDOUT`) and the bytes pass straight through; elsewhere Python's csv module writes
it. Both give the same bytes for the same rows, so the SQL below mirrors every formatting
choice of the Python path: quoting, `\\n` line ends, neutralised formulas, two-decimal
confidence, UTC timestamps.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Greatest, NullIf, Substr
from django.urls import reverse

from claims.models import Label, VerdictChange
from claims.reasons import finding_expression

HEADER = [
    "article id",
    "article title",
    "outlet",
    "article url",
    "claim position",
    "start",
    "end",
    "claim text",
    "suggested label",
    "confidence",
    "reason",
    "evidence",
    "verdict",
    "note",
    "editor",
    "decided at",
    # The suggestion in words: a disputed one is either contradicted or not in the sources.
    "suggested finding",
]
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode()
# Big enough that a million rows are a few hundred writes, small enough to stay constant.
CHUNK_BYTES = 64 * 1024


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def confidence_cell(value: float) -> str:
    # Two decimals from whole hundredths, as the SQL path computes them: (value * 100)::int
    # rounds half to even like round(), and integers print fast in PostgreSQL (numeric doesn't).
    hundredths = round(value * 100)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def iso_utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def csv_chunks(*, claims: QuerySet, bom: bool = False) -> Iterator[bytes]:
    """The claims as UTF-8 CSV, in chunks of about CHUNK_BYTES."""
    if bom:
        yield BOM
    if connections[claims.db].vendor == "postgresql":
        yield from copy_csv(claims)
    else:
        yield from writer_csv(claims)


def writer_csv(claims: QuerySet) -> Iterator[bytes]:
    """The CSV written by Python's csv module, on any database."""
    return _in_chunks(line.encode() for line in _csv_lines(claims))


def copy_csv(claims: QuerySet) -> Iterator[bytes]:
    """The same CSV written by PostgreSQL's COPY."""
    return _in_chunks(_copy_out(claims), first=_csv_line(HEADER).encode())


def _in_chunks(pieces: Iterable[bytes], *, first: bytes = b"") -> Iterator[bytes]:
    buffer = bytearray(first)
    for piece in pieces:
        buffer += piece
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


class _Echo:
    def write(self, value: str) -> str:
        return value


_writer = csv.writer(_Echo())


def _csv_line(cells: list) -> str:
    # COPY can only end a row with \n. Writing with the default \r\n and then swapping the
    # ending keeps the csv module quoting a cell that holds a lone \r, as COPY does.
    return _writer.writerow(cells)[:-2] + "\n"


def _csv_lines(claims: QuerySet) -> Iterator[str]:
    yield _csv_line(HEADER)
    rows = claims.order_by("article_id", "position").values_list(
        "article_id",
        "article__title",
        "article__outlet",
        "article__url",
        "position",
        "start",
        "end",
        "text",
        "suggested_label",
        "confidence",
        "reason",
        KT("evidence__0__text"),
        "verdict",
        "note",
        "decided_by__username",
        "decided_at",
        finding_expression(),
    )
    for row in rows.iterator(chunk_size=2000):
        (article_id, title, outlet, url, position, start, end, text, suggested) = row[:9]
        (confidence, reason, evidence, verdict, note, editor, decided_at, finding) = row[9:]
        yield _csv_line(
            [
                article_id,
                safe_cell(title),
                safe_cell(outlet),
                safe_cell(url),
                position,
                start,
                end,
                safe_cell(text),
                suggested,
                confidence_cell(confidence),
                safe_cell(reason),
                safe_cell(evidence),
                verdict,
                safe_cell(note),
                safe_cell(editor),
                iso_utc(decided_at),
                finding,
            ]
        )


def _sql_text(expression) -> NullIf:
    # COPY writes NULL as nothing but an empty string as "", where the csv module writes nothing.
    return NullIf(expression, Value(""), output_field=TextField())


# safe_cell() in SQL: a simple CASE, so ascii() runs once per cell ('' gives 0, NULL stays NULL).
SQL_SAFE_CELL = " ".join(
    [
        "CASE ascii(%(expressions)s) WHEN 0 THEN NULL",
        *(f"WHEN {ord(c)} THEN '''' || %(expressions)s" for c in FORMULA_TRIGGERS),
        "ELSE %(expressions)s END",
    ]
)


def _sql_safe(column: str | Func) -> Func:
    return Func(column, template=SQL_SAFE_CELL, output_field=TextField())


def _sql_rows(claims: QuerySet) -> QuerySet:
    # Every column is an expression so that SELECT keeps this order (Django puts plain
    # fields before expressions, and only reorders them for values_list() in Python).
    return claims.order_by("article_id", "position").values_list(
        F("article_id"),
        _sql_safe("article__title"),
        _sql_safe("article__outlet"),
        _sql_safe("article__url"),
        F("position"),
        F("start"),
        F("end"),
        _sql_safe("text"),
        F("suggested_label"),
        Func(
            "confidence",
            template="((%(expressions)s * 100)::int / 100)::text || '.' || "
            "lpad(mod((%(expressions)s * 100)::int, 100)::text, 2, '0')",
            output_field=TextField(),
        ),
        _sql_safe("reason"),
        # Written out, not KT(): a parameter can't repeat with the CASE operand.
        _sql_safe(Func("evidence", template="(%(expressions)s -> 0 ->> 'text')")),
        _sql_text(F("verdict")),
        _sql_safe("note"),
        _sql_safe("decided_by__username"),
        Func(
            "decided_at",
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            """'YYYY-MM-DD"T"HH24:MI:SS"Z"')""",
            output_field=TextField(),
        ),
        finding_expression(),
    )


def _copy_out(claims: QuerySet) -> Iterator[memoryview]:
    """The rows as PostgreSQL writes them with COPY, one row per piece."""
    sql, params = _sql_rows(claims).query.sql_with_params()
    connection = connections[claims.db]
    # Runs when the response is iterated, after the view returned: the request's connection
    # is still open then (Django closes it when the response is closed, after the last chunk).
    connection.ensure_connection()
    # A download closed early cancels the COPY (psycopg), and the cancelled statement would
    # abort a transaction the caller is in: inside its own savepoint only that is rolled back.
    with (
        transaction.atomic(using=claims.db),
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        yield from copy


RATINGS = {
    Label.SOURCED: {"ratingValue": 5, "alternateName": "Supported by source"},
    Label.DISPUTED: {"ratingValue": 1, "alternateName": "Disputed"},
}


# Stands in a JSON document for the list json_document() streams in its place.
ITEMS = "\x00items"


def json_document(document: dict, items: Iterable[dict]) -> Iterator[str]:
    """`document` with its one ITEMS value replaced by the list of `items`, written lazily."""
    head, tail = json.dumps(document, ensure_ascii=False).split(json.dumps(ITEMS))
    yield head + "["
    for n, item in enumerate(items):
        yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]" + tail


def claim_reviews(*, claims: QuerySet, site: str, organisation: dict) -> Iterator[dict]:
    """schema.org ClaimReview of each decided sourced or disputed claim.

    Opinions are left out: they are not checkable facts. `site` is the scheme and host the
    review page URLs start with.
    """
    rows = (
        claims.filter(verdict__in=RATINGS)
        .order_by("article_id", "position")
        .values(
            "pk",
            "text",
            "verdict",
            "decided_at",
            "article_id",
            "article__url",
            "article__outlet",
            "article__published_on",
        )
    )
    author = {"@type": "Organization", **organisation}
    for row in rows.iterator(chunk_size=2000):
        claim = {"@type": "Claim"}
        if row["article__outlet"]:
            claim["author"] = {"@type": "Organization", "name": row["article__outlet"]}
        if row["article__published_on"]:
            claim["datePublished"] = row["article__published_on"].isoformat()
        if row["article__url"]:
            claim["appearance"] = [{"@type": "CreativeWork", "url": row["article__url"]}]
        yield {
            "@type": "ClaimReview",
            "url": _claim_url(site, row["article_id"], row["pk"]),
            "claimReviewed": row["text"],
            "itemReviewed": claim,
            "author": author,
            "datePublished": row["decided_at"].date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                **RATINGS[row["verdict"]],
                "bestRating": 5,
                "worstRating": 1,
            },
        }


def claim_review_document(*, claims: QuerySet, site: str) -> Iterator[bytes]:
    """The ClaimReviews as one JSON-LD document, published by FACTCHECK_ORGANISATION."""
    organisation = {
        "name": settings.FACTCHECK_ORGANISATION,
        "url": settings.FACTCHECK_ORGANISATION_URL,
    }
    reviews = claim_reviews(claims=claims, site=site, organisation=organisation)
    document = {"@context": "https://schema.org", "@graph": ITEMS}
    return _in_chunks(piece.encode() for piece in json_document(document, reviews))


def annotation_collection(*, claims: QuerySet, site: str, collection_id: str) -> Iterator[bytes]:
    """The Web Annotations as one AnnotationCollection holding a single page."""
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Factcheck verdicts",
        "total": claims.exclude(verdict="").count(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": ITEMS},
    }
    annotations = web_annotations(claims=claims, site=site)
    return _in_chunks(piece.encode() for piece in json_document(document, annotations))


# Characters of text kept before and after a claim to find it again (TextQuoteSelector).
QUOTE_CONTEXT = 32


def web_annotations(*, claims: QuerySet, site: str) -> Iterator[dict]:
    """A W3C Web Annotation of each decided claim, assessing its span of the article's text."""
    prefix_from = Greatest(F("start") - QUOTE_CONTEXT, Value(0))
    first_decided = VerdictChange.objects.filter(claim=OuterRef("pk")).order_by("created_at")
    rows = (
        claims.exclude(verdict="")
        .order_by("article_id", "position")
        .values(
            "pk",
            "start",
            "end",
            "text",
            "verdict",
            "note",
            "decided_at",
            "article_id",
            "article__url",
            "decided_by__username",
            prefix=Substr("article__body", prefix_from + 1, F("start") - prefix_from),
            suffix=Substr("article__body", F("end") + 1, QUOTE_CONTEXT),
            created=Subquery(first_decided.values("created_at")[:1]),
        )
    )
    for row in rows.iterator(chunk_size=2000):
        page = _claim_url(site, row["article_id"], row["pk"])
        body = [{"type": "TextualBody", "purpose": "assessing", "value": row["verdict"]}]
        if row["note"]:
            body.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": row["note"],
                    "format": "text/plain",
                }
            )
        annotation = {
            "id": page,
            "type": "Annotation",
            "motivation": "assessing",
            "created": iso_utc(row["created"] or row["decided_at"]),
            "modified": iso_utc(row["decided_at"]),
            "body": body,
            "target": {
                # Offsets count characters of the article's text as stored (HTML reduced to text).
                "source": row["article__url"] or page.partition("#")[0],
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": row["text"],
                        "prefix": row["prefix"],
                        "suffix": row["suffix"],
                    },
                    {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
                ],
            },
        }
        if row["decided_by__username"]:
            annotation["creator"] = {"type": "Person", "nickname": row["decided_by__username"]}
        yield annotation


def _claim_url(site: str, article_id: int, claim_id: int) -> str:
    return f"{site}{reverse('claims:review', args=[article_id])}#claim-{claim_id}"
