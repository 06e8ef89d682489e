"""Pre-annotate files or a JSONL batch without touching the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.text import HTML_EXTENSIONS, UnreadableText, decode_upload
from claims.annotator import AnnotationLimit, Annotator, Suggestion, get_annotator


class Command(BaseCommand):
    help = (
        "Pre-annotate ARTICLE_FILE against --source files and print each claim, or run a JSONL "
        'batch (--batch IN.jsonl, "-" for stdin) printing one JSON line per input line.'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("article", nargs="?", help="a .txt, .md or .html article")
        parser.add_argument("--source", action="append", default=[], help="a source article file")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
        parser.add_argument("--batch", help='a JSONL file of inputs, or "-" for stdin')

    def handle(
        self,
        *args,
        article: str | None,
        source: list[str],
        json: bool,
        batch: str | None,
        **options,
    ) -> None:
        if batch and (article or source):
            raise CommandError("Give either --batch or an article with its sources, not both.")
        if batch:
            lines = sys.stdin if batch == "-" else _open_lines(batch)
            for result in run_batch(lines, get_annotator()):
                self.stdout.write(_json_line(result))
            return
        if not article:
            raise CommandError("Give an article file (or --batch IN.jsonl).")
        text = read_article(article)
        try:
            suggestions = get_annotator().annotate_texts(
                text, [read_article(path) for path in source]
            )
        except AnnotationLimit as exc:
            raise CommandError(f"{article}: {exc}") from exc
        claims = [suggestion_dict(s) for s in suggestions]
        if json:
            self.stdout.write(_json_line({"article": article, "sources": source, "claims": claims}))
        else:
            self.stdout.write(format_claims(claims, source))


def read_article(path: str) -> str:
    file = Path(path)
    try:
        return decode_upload(
            file.read_bytes(),
            file.suffix.lower() if file.suffix.lower() in HTML_EXTENSIONS else ".txt",
        )
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
    except UnreadableText as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _open_lines(path: str) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            yield from lines
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc


def run_batch(lines: Iterable[str], annotator: Annotator) -> Iterator[dict]:
    """One result per non-blank input line; a malformed line gets an error and the batch goes on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            item_id = item.get("id", number)
            yield {
                "id": item_id,
                "claims": [suggestion_dict(s) for s in annotate_item(item, annotator)],
            }
        except (ValueError, TypeError) as exc:
            yield {"id": item_id if item_id is not None else number, "error": str(exc)}


def annotate_item(item: dict, annotator: Annotator) -> list[Suggestion]:
    sources = _sources(item)
    if "claim" in item:
        claim = _text(item["claim"], "claim")
        return [annotator.annotate_claim(claim, [annotator.prepare_source(s) for s in sources])]
    if "article" in item:
        return annotator.annotate_texts(_text(item["article"], "article"), sources)
    raise ValueError('each line needs "article" or "claim"')


def _sources(item: dict) -> list[str]:
    if "source_sentences" in item:
        sentences = item["source_sentences"]
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            raise ValueError('"source_sentences" must be a list of strings')
        # One sentence a line, so segmentation keeps them apart even without a full stop.
        return ["\n".join(s.strip() for s in sentences)]
    sources = item.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError('"sources" must be a list of strings')
    return sources


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f'"{name}" must be a non-empty string')
    return value


def suggestion_dict(s: Suggestion) -> dict:
    return {
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "label": s.label,
        "confidence": round(s.confidence, 3),
        "reason": s.reason_code,
        "reason_text": s.reason,
        "evidence": [
            {
                "source": e.source_index,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "score": round(e.score, 3),
            }
            for e in s.evidence
        ],
    }


def format_claims(claims: list[dict], sources: list[str]) -> str:
    lines = []
    for number, claim in enumerate(claims, start=1):
        label = f"{claim['label']} {claim['confidence']:.2f} {claim['reason']}"
        lines.append(f"{number:>3}. [{claim['start']}:{claim['end']}] {label}")
        lines.append(f"     {claim['text']}")
        lines.append(f"     {claim['reason_text']}")
        for evidence in claim["evidence"][:1]:
            where = f"{sources[evidence['source']]} [{evidence['start']}:{evidence['end']}]"
            lines.append(f"     evidence: {where} {evidence['text']}")
    return "\n".join(lines)


def _json_line(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
