"""What the versions page shows: the texts an article has had and what changed between them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django import forms
from django.db.models import Count
from django.http import QueryDict

from articles.forms import VersionForm
from articles.models import Article

# Words with the spacing after them, so the joined pieces give the text back.
TOKEN = re.compile(r"\S+\s*|\s+")
# Unchanged stretches longer than this many words are cut to CONTEXT words either side.
LONG = 40
CONTEXT = 12


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed", "added" or "skipped" (an unchanged stretch cut short)
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """What changed from `old` to `new`, word by word; long unchanged stretches shortened."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    # Compared without trailing spaces, so a re-wrapped line is not a change.
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b])
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.extend(_same(b[j1:j2], first=not pieces, last=j2 == len(b)))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces


def _same(words: list[str], *, first: bool, last: bool) -> list[Piece]:
    if len(words) <= LONG:
        return [Piece("same", "".join(words))]
    head = [] if first else words[:CONTEXT]
    tail = [] if last else words[-CONTEXT:]
    pieces = [Piece("same", "".join(head))] if head else []
    pieces.append(Piece("skipped", f"{len(words) - len(head) - len(tail)} words unchanged"))
    return [*pieces, Piece("same", "".join(tail))] if tail else pieces


class ShownVersionForm(forms.Form):
    v = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


def versions_context(article: Article, data: QueryDict, *, form: VersionForm | None = None) -> dict:
    """The versions, the chosen one (?v=, else the latest) against the one before, and the
    claims corrections dropped, with their verdicts."""
    versions = list(article.versions.select_related("uploaded_by"))
    chosen = ShownVersionForm(data)
    number = chosen.cleaned_data["v"] if chosen.is_valid() else None
    shown = next((v for v in versions if v.number == number), versions[-1] if versions else None)
    before = next((v for v in versions if shown and v.number == shown.number - 1), None)
    removed = (
        article.claims(manager="with_removed")
        .filter(removed_in_version__isnull=False)
        .select_related("decided_by")
        .annotate(change_count=Count("changes"))
        .order_by("-removed_in_version", "position")
    )
    return {
        "article": article,
        "versions": versions,
        "shown": shown,
        "before": before,
        "diff": word_diff(before.body, shown.body) if before else [],
        "removed_claims": list(removed),
        "form": form or VersionForm(),
    }
