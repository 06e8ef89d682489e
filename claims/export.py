"""CSV export of claims and verdicts, streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

HEADER = [
    "article",
    "claim position",
    "claim text",
    "suggestion",
    "confidence",
    "reason",
    "evidence",
    "verdict",
    "note",
    "editor",
    "decided at",
]
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(claims: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    rows = claims.values_list(
        "article__title",
        "position",
        "text",
        "suggested_label",
        "confidence",
        "reason",
        "evidence",
        "verdict",
        "note",
        "decided_by__username",
        "decided_at",
    ).order_by("article_id", "position")
    for (
        title,
        position,
        text,
        suggested,
        confidence,
        reason,
        evidence,
        verdict,
        note,
        editor,
        at,
    ) in rows.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                safe_cell(title),
                position,
                safe_cell(text),
                suggested,
                f"{confidence:.2f}",
                safe_cell(reason),
                safe_cell(evidence[0]["text"] if evidence else ""),
                verdict,
                safe_cell(note),
                safe_cell(editor),
                at.isoformat() if at else "",
            ]
        )
