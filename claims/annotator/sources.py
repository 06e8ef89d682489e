"""Source articles, prepared once: split into sentences, embedded, and their lexical facts."""

from __future__ import annotations

import json
import struct
import threading
import zlib
from collections.abc import Sequence

import numpy as np

from . import checks as C
from .embed import DIM, MODEL_ID
from .segment import Sentence

# Bump FORMAT when PreparedSource bytes or the splitting of sources change.
FORMAT = 3
ENGINE_VERSION = f"factcheck-annotator/{FORMAT}+{MODEL_ID}"
_MAGIC = b"FCPS"
_CLOSING = tuple(".!?:;\"'”’)…")


class PreparedSource:
    """A source article split into sentences and embedded once (float16 vectors)."""

    def __init__(self, sentences: list[Sentence], embeddings: np.ndarray):
        self.sentences = list(sentences)
        self.embeddings = np.asarray(embeddings, dtype=np.float16).reshape(-1, DIM)
        if len(self.sentences) != self.embeddings.shape[0]:
            raise ValueError("one embedding per sentence expected")
        self._facts: list[dict] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<PreparedSource {len(self.sentences)} sentences>"

    @property
    def has_title(self) -> bool:
        """Whether the first line is a title: no closing punctuation, with a body after it.
        A title summarises; it is not quoted as evidence when the body can be."""
        return len(self.sentences) >= 3 and not self.sentences[0].text.rstrip().endswith(_CLOSING)

    @property
    def matrix(self) -> np.ndarray:
        m = getattr(self, "_matrix", None)
        if m is None:
            m = self._matrix = self.embeddings.astype(np.float32)
        return m

    def facts(self) -> list[dict]:
        """Per-sentence lexical facts, computed lazily and cached in memory (not stored)."""
        if self._facts is None:
            with self._lock:
                if self._facts is None:
                    self._facts = [sentence_facts(s.text) for s in self.sentences]
        return self._facts

    def to_bytes(self) -> bytes:
        header = json.dumps(
            {"v": ENGINE_VERSION, "s": [[s.start, s.end, s.text] for s in self.sentences]},
            ensure_ascii=True,
            separators=(",", ":"),
        ).encode()
        body = zlib.compress(header, 6)
        vecs = self.embeddings.astype("<f2").tobytes()
        payload = struct.pack("<II", len(body), len(self.sentences)) + body + vecs
        return _MAGIC + struct.pack("<HI", FORMAT, zlib.crc32(payload)) + payload

    @classmethod
    def from_bytes(cls, data: bytes) -> PreparedSource:
        try:
            data = bytes(data)
            if data[:4] != _MAGIC:
                raise ValueError("not a prepared source")
            fmt, crc = struct.unpack_from("<HI", data, 4)
            payload = data[10:]
            if fmt != FORMAT:
                raise ValueError(f"prepared source format {fmt}, engine expects {FORMAT}")
            if zlib.crc32(payload) != crc:
                raise ValueError("prepared source is corrupt (checksum)")
            blen, n = struct.unpack_from("<II", payload, 0)
            header = json.loads(zlib.decompress(payload[8 : 8 + blen]).decode())
            if header.get("v") != ENGINE_VERSION:
                raise ValueError(f"prepared by {header.get('v')!r}, engine is {ENGINE_VERSION!r}")
            vecs = np.frombuffer(payload[8 + blen :], dtype="<f2")
            if vecs.size != n * DIM or len(header["s"]) != n:
                raise ValueError("prepared source is truncated")
            sentences = [Sentence(int(a), int(b), str(t)) for a, b, t in header["s"]]
            return cls(sentences, vecs.reshape(n, DIM).copy())
        except ValueError:
            raise
        except Exception as exc:  # struct.error, zlib.error, KeyError, JSON errors...
            raise ValueError(f"prepared source is unreadable: {exc}") from exc


def sentence_facts(text: str) -> dict:
    return {
        "stems": C.content_stems(text),
        "quantities": C.quantities(text),
        "dates": C.dates(text),
        "entities": C.entity_tokens(text),
        "refute": C.refutes(text),
        "answer": C.answer(text),
        "lower": text.lower(),
    }


class SourceIndex:
    """Aggregates over all the sources of one annotate() call, computed once."""

    def __init__(self, sources: Sequence[PreparedSource]):
        facts = [f for src in sources for f in src.facts()]
        self.stems: set[str] = set().union(*(f["stems"] for f in facts)) if facts else set()
        self.entities: set[str] = set().union(*(f["entities"] for f in facts)) if facts else set()
        self.lower = [f["lower"] for f in facts]
        self.lower_blob = " ".join(self.lower)
        self.prefixes = {w[:5] for w in self.stems if len(w) >= 5}
        self.quantities = [q for f in facts for q in f["quantities"]]
        self.dates = {(d.kind, d.value) for f in facts for d in f["dates"]}
        # Sentence by sentence: each is at most Limits.claim_chars long, so the cost is linear.
        # {surname: {role: mention}}: every title the sources give each person
        self.roles: dict[str, dict[str, str]] = {}
        self.realised: set[str] = set()
        for src in sources:
            for sentence in src.sentences:
                for surname, (role, mention) in C.role_mentions(sentence.text).items():
                    self.roles.setdefault(surname, {}).setdefault(role, mention)
                self.realised |= C.realised_events(sentence.text)
