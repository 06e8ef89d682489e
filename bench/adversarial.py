"""Hostile text: generators of inputs that once stalled the app, and a check that the time
taken grows linearly with them.

    python -m bench.adversarial          # the time of each input at 2 MB (make bench)

The tests (tests/project/test_adversarial.py) import the generators and ``growth``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

MB = 1024 * 1024


def _repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    def make(size: int) -> str:
        return head + unit * max((size - len(head) - len(tail)) // len(unit), 1) + tail

    return make


# name -> size in characters -> text. The first five are the rows of issue #14's table.
TEXTS: dict[str, Callable[[int], str]] = {
    "no-number": _repeat("No. 5 "),
    "short-lines": _repeat("a\n"),
    "quoted-abbreviation": _repeat('"a. B '),
    "one-long-sentence": _repeat(
        "on Monday 5 more than 3,000 of the 12.5 percent the Council of Europe said and ",
        head="The minister said ",
        tail="on Friday.",
    ),
    "abbreviations": _repeat("Ab. "),
    "repeated-punctuation": _repeat("!?."),
    "dots-and-spaces": _repeat(". "),
    "open-quotes": _repeat("“a "),
    "straight-quotes": _repeat('"'),
    "closing-brackets": _repeat(".)", head="Word"),
    "digits": _repeat("1"),
    "dotted-digits": _repeat("1.2."),
    "thousands": _repeat("1,000,"),
    "blank-lines": _repeat("\n"),
    "wrapped-lines": _repeat("a,\n"),
    "spaces-between-capitals": lambda size: "Alpha" + " " * (size - 10) + "beta.",
    "capitalised-words": _repeat("Ab "),
    "long-word": _repeat("a"),
    "long-capitalised-word": _repeat("a", head="A"),
    "initials": _repeat("A.B."),
    "unicode-combining": _repeat("e\u0301\u0302 "),
    "unicode-separators": _repeat("a\u2028\u00a0"),
    "emoji-sentences": _repeat("😀 Ab. "),
    "comments": _repeat("<!---->", tail="x"),
    "unclosed-tag": _repeat("<a "),
    "nested-divs": _repeat("<div>", tail="x"),
    "paragraphs": _repeat("<p>Ab. "),
    "line-breaks": _repeat("a<br>"),
    "entities": _repeat("&amp"),
    "hidden-elements": _repeat("<b hidden>x</b>y"),
    "menus": _repeat("<nav>x</nav>y"),
}
# Markup-like ones, uploaded as .html files in the tests.
MARKUP = (
    "comments",
    "unclosed-tag",
    "nested-divs",
    "paragraphs",
    "line-breaks",
    "entities",
    "hidden-elements",
    "menus",
)


def cpu_seconds(fn: Callable[[str], object], text: str) -> float:
    """Process CPU time of one call: unlike wall time, it ignores other busy processes."""
    start = time.process_time()
    fn(text)
    return time.process_time() - start


def growth(
    fn: Callable[[str], object],
    make: Callable[[int], str],
    size: int,
    *,
    factor: int = 4,
    repeats: int = 3,
    floor: float = 0.005,
) -> float:
    """How many times longer ``fn`` takes on an input ``factor`` times larger.

    About ``factor`` for linear time, ``factor``² for quadratic. Small and large runs
    alternate and each keeps its fastest, so a noisy neighbour slows both alike; times
    under ``floor`` seconds count as ``floor``, as they are mostly noise.
    """
    small, large = make(size), make(size * factor)
    small_times, large_times = [], []
    for _ in range(repeats):
        small_times.append(cpu_seconds(fn, small))
        large_times.append(cpu_seconds(fn, large))
    return max(min(large_times), floor) / max(min(small_times), floor)


# Issue #14's table: each input at the size it was reported with.
ISSUE_SIZES = {
    "no-number": 120_000,
    "short-lines": 200_000,
    "quoted-abbreviation": 192_000,
    "one-long-sentence": 2 * MB,
    "abbreviations": 2_000_000,
}
ISSUE_ROWS = tuple(ISSUE_SIZES)


def _annotate(text: str) -> str:
    from claims.annotator import AnnotationLimit, get_annotator

    try:
        return f"{len(get_annotator().annotate(text, []))} claims"
    except AnnotationLimit as exc:
        return f"refused: {str(exc).split(' to check')[0]}"


def _upload(text: str) -> str:
    from articles.forms import ArticleUploadForm

    form = ArticleUploadForm(data={"title": "Hostile", "text": text})
    return "accepted" if form.is_valid() else "refused: " + " ".join(form.errors["__all__"])


def _timed(fn: Callable[[str], str], text: str) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, outcome) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = fn(text)
    return time.process_time() - cpu, time.perf_counter() - wall, outcome


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()
    from articles.text import decode_upload
    from claims.annotator import get_annotator
    from claims.annotator.checks import quantities
    from claims.annotator.segment import split_claims

    get_annotator()  # the model loads once per process
    print("Issue #14's table, each input at its size: the upload form, then the engine")
    worst = 0.0  # of what an editor waits for: an upload, or the engine on a 2 MB input
    for name, size in ISSUE_SIZES.items():
        text = TEXTS[name](size)
        for step, fn in (("upload", _upload), ("annotate", _annotate)):
            cpu, wall, outcome = _timed(fn, text)
            if step == "upload":
                worst = max(worst, cpu)
            print(f"{name:20} {size:>9,} {step:8} {cpu:6.2f} s CPU {wall:6.2f} s  {outcome[:70]}")

    size = 2 * MB
    print(f"\nCPU seconds at {size / MB:.0f} MB (annotate: the whole engine, no sources)")
    print(f"{'input':26} {'split_claims':>12} {'quantities':>10} {'upload':>8} {'annotate':>9}")
    for name, make in TEXTS.items():
        text = make(size)
        times = [
            cpu_seconds(split_claims, text),
            cpu_seconds(quantities, text),
            cpu_seconds(lambda t: decode_upload(t.encode(), ".html"), text),
        ]
        cpu, _, outcome = _timed(_annotate, text)
        times.append(cpu)
        worst = max(worst, times[2], cpu)
        cells = " ".join(f"{t:>{w}.2f}" for t, w in zip(times, (12, 10, 8, 9), strict=True))
        print(f"{name:26} {cells}  {outcome[:60]}", flush=True)
    print(f"slowest upload or annotation: {worst:.2f} s CPU")
    return 0 if worst < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
