from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DEMO = Path(__file__).resolve().parents[2] / "articles" / "demo"
REPORT = str(DEMO / "kyiv-independent-lukashenko-apology.txt")
COMMENTARY = str(DEMO / "commentary-lukashenko-apology.txt")


def run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("preannotate", *args, stdout=out)
    return out.getvalue()


def test_files_are_annotated_without_touching_the_database():
    # No django_db mark: any query would fail this test.
    output = run(COMMENTARY, "--source", REPORT)
    assert "Zelensky Reveals Lukashenko’s Apology" in output
    assert "evidence: " + REPORT in output
    assert "Read the original article here" not in output


def test_json_output_gives_offsets_labels_reasons_and_evidence():
    result = json.loads(run(COMMENTARY, "--source", REPORT, "--json"))
    body = Path(COMMENTARY).read_text(encoding="utf-8").strip()
    claims = result["claims"]
    assert len(claims) > 20
    for claim in claims:
        assert body[claim["start"] : claim["end"]] == claim["text"]
        assert claim["label"] in {"sourced", "disputed", "opinion"}
        assert 0 <= claim["confidence"] <= 1 and claim["reason"] and claim["reason_text"]
    sourced = [c for c in claims if c["label"] == "sourced"]
    assert all(c["evidence"] and c["evidence"][0]["source"] == 0 for c in sourced)


def test_batch_prints_one_line_per_input_and_reports_malformed_lines(monkeypatch):
    lines = "\n".join(
        [
            json.dumps(
                {
                    "id": "a",
                    "claim": "Belarus will hold its election on Jan. 26.",
                    "source_sentences": [
                        "Belarus will be holding its next presidential election on Jan. 26."
                    ],
                }
            ),
            "{not json",
            json.dumps(
                {
                    "id": "c",
                    "article": "Ten missile systems arrive. It is shameful.",
                    "sources": ["As many as 10 missile systems will be deployed."],
                }
            ),
            json.dumps({"id": "d", "claim": ""}),
            json.dumps({"id": "e", "article": "x", "sources": "not a list"}),
            json.dumps(["an array"]),
            "",
        ]
    )
    results = [
        json.loads(line)
        for line in run("--batch", "-", stdin=lines, monkeypatch=monkeypatch).splitlines()
    ]

    assert [r["id"] for r in results] == ["a", 2, "c", "d", "e", 6]
    claim = results[0]["claims"]
    assert len(claim) == 1 and claim[0]["label"] == "sourced"
    assert claim[0]["evidence"][0]["text"].startswith("Belarus will be holding")
    assert len(results[2]["claims"]) == 2
    assert "error" in results[1] and "error" in results[3] and "error" in results[4]
    assert "JSON object" in results[5]["error"]


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read"):
        run("/nonexistent/article.txt")


def test_article_and_batch_together_are_refused():
    with pytest.raises(CommandError, match="not both"):
        run(COMMENTARY, "--batch", "-")
