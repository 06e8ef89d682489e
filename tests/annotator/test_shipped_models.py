"""The shipped models: the files config.json and the model card name, loaded and run as the
app runs them (onnxruntime, no torch), on hand-written pairs and sentences."""

import hashlib
import json
import subprocess
import sys

import pytest

from claims.annotator.classifiers import Classifier
from claims.annotator.config import CONFIG_PATH, Config, ConfigMissing
from claims.annotator.decision import Reading, p_analysis
from claims.annotator.embed import DIM, MODELS_DIR, ModelMissing
from claims.annotator.engine import get_annotator
from claims.annotator.segment import split_claims
from training.datasets import (
    analysis_sentences,
    eval_dir,
    load_commentary,
    load_pairs,
    train_dir,
)
from training.splits import part_of

SUPPORTS, REFUTES, NEI = 0, 1, 2


def test_every_model_file_is_the_one_config_json_and_the_card_name():
    config = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    card = (MODELS_DIR / "README.md").read_text(encoding="utf-8")
    assert set(config["models"]) == {"embedder", "opinion", "verifier"}
    for entry in config["models"].values():
        data = (MODELS_DIR / entry["file"]).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        assert digest == entry["sha256"]
        assert len(data) == entry["bytes"]
        assert digest in card, f"the model card does not give the SHA-256 of {entry['file']}"


def test_the_verifier_reads_support_contradiction_and_unrelated_evidence():
    verifier = get_annotator().verifier
    source = "On Monday the city council voted to approve the budget for next year."
    pairs = [
        ("The city council approved the budget on Monday.", source, SUPPORTS),
        ("The city council rejected the budget on Monday.", source, REFUTES),
        ("The river flooded three villages after the storm.", source, NEI),
    ]
    probs = verifier.probabilities([c for c, _, _ in pairs], [e for _, e, _ in pairs])
    assert [int(p.argmax()) for p in probs] == [want for _, _, want in pairs]


def test_the_embedder_puts_a_paraphrase_nearer_than_an_unrelated_sentence():
    embedder = get_annotator().embedder
    claim, paraphrase, unrelated = embedder.encode(
        [
            "The city council approved the budget on Monday.",
            "On Monday the council voted the budget through.",
            "The river flooded three villages after the storm.",
        ]
    )
    assert claim @ paraphrase > 0.7 > 0.3 > claim @ unrelated


def test_the_opinion_model_tells_a_judgement_from_a_report():
    opinion = get_annotator().opinion
    p = opinion.probabilities(
        [
            "The council approved a budget of 10 million dollars on Monday.",
            "This shameful budget is a reckless betrayal of everyone who voted for them.",
        ]
    )[:, 1]
    assert p[0] < 0.5 < p[1]


def test_the_analysis_score_tells_a_commentators_reading_of_events_from_a_report():
    annotator = get_annotator()
    assert len(annotator.config.analysis_w) == DIM
    sentences = [
        "The regional parliament passed the water bill by 61 votes to 40 on Thursday.",
        "The vote shows how far the ruling party has drifted from the farmers it claims to serve.",
    ]
    report, analysis = (
        p_analysis(Reading(s, {}, 0.5, v, [], []), annotator.config)
        for s, v in zip(sentences, annotator.embedder.encode(sentences), strict=True)
    )
    assert report < 0.5 < analysis


def test_the_commentary_written_for_the_project_is_labelled_once_per_sentence():
    rows = load_commentary()
    assert len({s for s, _ in rows}) == len(rows) > 300
    assert {label for _, label in rows} == {0, 1}


def test_every_sentence_of_the_written_articles_is_labelled_as_the_engine_splits_it():
    # make train fits P(opinion) in an article on them, make eval measures it: a sentence
    # the splitter cuts otherwise would be dropped or misread
    pairs = load_pairs()
    assert len(pairs) >= 40
    kinds = {"restated", "paraphrase", "contradicted", "uncovered"}
    kinds |= {"evaluation", "speculation", "interpretation"}
    for pair in pairs:
        claims = split_claims(pair.commentary)
        assert [c.text for c in claims] == [text for text, _, _ in pair.labels], pair.name
        for _, label, kind in pair.labels:
            assert label in ("sourced", "disputed", "opinion") and kind in kinds, pair.name
            assert (label == "disputed") == (kind in ("contradicted", "uncovered")), pair.name
    parts = {part_of(pair.name) for pair in pairs}
    assert parts == {"train", "dev", "test"}


@pytest.mark.skipif(
    not (eval_dir() / "subj_tune.tsv").is_file() or not (train_dir() / "verify.jsonl").is_file(),
    reason="needs ../shared",
)
def test_the_analysis_score_learns_only_the_train_part_of_the_commentary():
    # its dev and test parts measure the engine on commentary (make train, make eval)
    learned = {s for s, _ in analysis_sentences()}
    parts = {s: part_of(s) for s, _ in load_commentary()}
    assert {s for s, part in parts.items() if part == "train"} <= learned
    held_out = {s for s, part in parts.items() if part != "train"}
    assert len(held_out) > 100 and not held_out & learned
    # and none of the article pairs (the article decision has a score of its own)
    assert not {text for pair in load_pairs() for text, _, _ in pair.labels} & learned


def test_a_missing_config_stops_the_engine_with_a_message(tmp_path):
    with pytest.raises(ConfigMissing, match="missing"):
        Config.load(tmp_path / "config.json")


@pytest.mark.parametrize(
    "part, message",
    [
        ("opinion", "opinion.article"),
        ("sourced", "sourced.article"),
        ("contradicted", "contradicted.article"),
    ],
)
def test_a_config_without_the_article_decision_says_so(part, message):
    data = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    del data[part]["article"]
    with pytest.raises(ConfigMissing, match=message):
        Config(data)


def test_an_incomplete_config_says_what_it_lacks():
    with pytest.raises(ConfigMissing, match="sourced"):
        Config({"models": {}, "opinion": {}, "contradicted": {}, "rules": {}, "calibration": {}})


def test_a_missing_model_file_stops_the_engine_with_a_message(tmp_path):
    with pytest.raises(ModelMissing, match="verifier.onnx"):
        Classifier(tmp_path / "verifier.onnx", 128)


def test_annotating_loads_neither_torch_nor_transformers():
    code = (
        "import sys; from claims.annotator import annotate_texts; "
        "annotate_texts('The council approved the budget.', ['The council approved it.']); "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False"]


def test_make_eval_runs_in_the_apps_virtualenv_without_torch():
    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None; "
        "import training.evaluate, training.train"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_a_sentence_reads_the_same_alone_as_among_others(monkeypatch):
    annotator = get_annotator()
    report = "The council approved a budget of 10 million dollars on Monday."
    judgement = "This shameful budget is a reckless betrayal of everyone who voted for them."
    others = [
        f"Sentence number {i} of a long article, about something else entirely." for i in range(9)
    ]
    alone = annotator.opinion.probabilities([report])[0]
    among = annotator.opinion.probabilities([judgement, *others, report])[-1]
    assert among.tolist() == alone.tolist()
    vector = annotator.embedder.encode([report])[0]
    assert annotator.embedder.encode([*others, report])[-1].tolist() == vector.tolist()
    # read side by side on two threads or one after another: the same numbers, in order
    monkeypatch.setenv("FACTCHECK_ANNOTATOR_THREADS", "1")
    one_by_one = annotator.opinion.probabilities([report, judgement] * 10)[:, 1]
    monkeypatch.setenv("FACTCHECK_ANNOTATOR_THREADS", "2")
    side_by_side = annotator.opinion.probabilities([report, judgement] * 10)[:, 1]
    assert side_by_side.tolist() == one_by_one.tolist()
    assert (side_by_side[0::2] < 0.5).all() and (side_by_side[1::2] > 0.5).all()
