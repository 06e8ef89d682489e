"""The two fine-tuned classifiers, run by onnxruntime from files shipped in the repository.

* opinion: one sentence in, P(the author's opinion) out;
* verifier: a claim and one piece of evidence read together, P(supports), P(refutes),
  P(not enough information) out.
Both are all-MiniLM-L6-v2 fine-tuned by ``python -m training.finetune`` and exported by
``python -m training.export`` (int8); ``config.json`` names their files and SHA-256. They
share the embedder's tokenizer (the same vocabulary). Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .embed import inference_session, run_each, tokenizer_path


class Classifier:
    """One ONNX sequence classifier; thread-safe; probabilities per input."""

    def __init__(self, path: Path, max_tokens: int):
        from tokenizers import Tokenizer

        self.session = inference_session(path)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(max_tokens, strategy="longest_first")
        self.tokenizer.no_padding()

    def probabilities(self, texts: Sequence[str], pairs: Sequence[str] | None = None):
        """Softmax outputs, one row per text (or per (text, pair) when pairs are given)."""
        n_out = self.session.get_outputs()[0].shape[-1]
        out = np.zeros((len(texts), n_out), dtype=np.float32)
        if not texts:
            return out
        items = list(texts) if pairs is None else list(zip(texts, pairs, strict=True))
        for i, logits in enumerate(run_each(self.session, self.tokenizer.encode_batch(items))):
            z = np.exp(logits - logits.max())
            out[i] = z / z.sum()
        return out
