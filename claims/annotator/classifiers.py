"""The two fine-tuned classifiers, run by onnxruntime from files shipped in the repository.

* opinion: one sentence in, P(the author's opinion) out;
* verifier: a claim and one piece of evidence read together, P(supports), P(refutes),
  P(not enough information) out.
Both are all-MiniLM-L6-v2 fine-tuned by ``python -m training.finetune`` and exported by
``python -m training.export`` (int8); ``config.json`` names their files and SHA-256. They
share the embedder's tokenizer (the same vocabulary). Nothing is downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .embed import ModelMissing, inference_session, model_paths

MODELS_DIR = Path(__file__).with_name("models")
BATCH = 32


class Classifier:
    """One ONNX sequence classifier; thread-safe; probabilities per input."""

    def __init__(self, path: Path, max_tokens: int, tokenizer_path: Path | None = None):
        from tokenizers import Tokenizer

        if not path.is_file():
            raise ModelMissing(f"model file missing: {path} (see claims/annotator/models/)")
        self.session = inference_session(path)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path or model_paths()[1]))
        self.tokenizer.enable_truncation(max_tokens, strategy="longest_first")
        self.tokenizer.no_padding()
        self._lock = threading.Lock()

    def probabilities(self, texts: Sequence[str], pairs: Sequence[str] | None = None):
        """Softmax outputs, one row per text (or per (text, pair) when pairs are given)."""
        n_out = self.session.get_outputs()[0].shape[-1]
        out = np.zeros((len(texts), n_out), dtype=np.float32)
        if not texts:
            return out
        items = list(texts) if pairs is None else list(zip(texts, pairs, strict=True))
        with self._lock:
            encodings = self.tokenizer.encode_batch(items)
            order = sorted(range(len(items)), key=lambda i: len(encodings[i].ids))
            for b in range(0, len(order), BATCH):
                idx = order[b : b + BATCH]
                width = max(len(encodings[i].ids) for i in idx)
                ids = np.zeros((len(idx), width), dtype=np.int64)
                mask = np.zeros_like(ids)
                types = np.zeros_like(ids)
                for r, i in enumerate(idx):
                    e = encodings[i]
                    ids[r, : len(e.ids)] = e.ids
                    mask[r, : len(e.ids)] = 1
                    types[r, : len(e.ids)] = e.type_ids
                feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
                logits = self.session.run(None, feed)[0]
                z = np.exp(logits - logits.max(1, keepdims=True))
                out[idx] = z / z.sum(1, keepdims=True)
        return out
