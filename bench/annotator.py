"""Engine speed: model load time, source preparation and claims/s warm.

    python -m bench.annotator

Uses only the demo pair shipped in the repository (articles/demo), repeated to make a
~1,500-word article with 3 sources.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "articles" / "demo"


def main() -> int:
    from claims.annotator.engine import Annotator, PreparedSource

    report = (DEMO / "kyiv-independent-lukashenko-apology.txt").read_text(encoding="utf-8")
    commentary = (DEMO / "commentary-lukashenko-apology.txt").read_text(encoding="utf-8")

    t0 = time.perf_counter()
    annotator = Annotator()
    load = time.perf_counter() - t0
    print(f"engine {annotator.version}; cores={os.cpu_count()}")
    print(f"model load: {load:.2f}s")

    annotator.annotate_texts(commentary, [report])  # warm-up

    # sources: the report, and two variants of it
    sources_text = [
        report,
        report.replace("Lukashenko", "the Belarusian leader"),
        report.replace("Zelensky", "the Ukrainian president"),
    ]
    t0 = time.perf_counter()
    prepared = [annotator.prepare_source(s) for s in sources_text]
    prep = time.perf_counter() - t0
    n_src = sum(len(p.sentences) for p in prepared)
    blob = prepared[0].to_bytes()
    print(
        f"prepare 3 sources ({n_src} sentences): {prep:.2f}s; "
        f"PreparedSource bytes for the report: {len(blob)} "
        f"({len(blob) / len(prepared[0].sentences):.0f} per sentence)"
    )
    t0 = time.perf_counter()
    for _ in range(20):
        PreparedSource.from_bytes(blob)
    print(f"from_bytes: {(time.perf_counter() - t0) / 20 * 1000:.2f} ms")

    # the commentary twice (mostly opinion: the verifier reads few claims), and the report's
    # sentences three times with the commentary (mostly checkable facts: it reads most)
    articles = {
        "commentary": "\n\n".join([commentary] * 2),
        "facts": "\n\n".join([report.replace("\n", "\n\n")] * 3 + [commentary]),
    }
    # the median of 7 runs, and their range: this host's speed drifts by a third within minutes
    runs = 7
    for name, article in articles.items():
        words = len(article.split())
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            out = annotator.annotate(article, prepared)
            times.append(time.perf_counter() - t0)
        dt = statistics.median(times)
        facts = sum(s.label != "opinion" for s in out)
        print(
            f"annotate a {words}-word article, {name} ({len(out)} claims, {facts} not opinion) "
            f"against 3 prepared sources: {dt:.2f}s warm -> {len(out) / dt:.0f} claims/s "
            f"(median of {runs}; {len(out) / max(times):.0f}-{len(out) / min(times):.0f})"
        )
    t0 = time.perf_counter()
    annotator.annotate_texts(articles["facts"], sources_text)
    print(f"the facts article, sources prepared on the fly: {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
