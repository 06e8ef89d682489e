"""Claim pre-annotation engine: strings in, dataclasses out (no Django here).

>>> from claims.annotator import annotate_texts
>>> for s in annotate_texts(article_text, [source_text]): print(s.label, s.reason_code, s.text)
"""

from .engine import (
    ENGINE_VERSION,
    LABELS,
    AnnotationLimit,
    Annotator,
    Evidence,
    Limits,
    PreparedSource,
    Suggestion,
    annotate_texts,
    get_annotator,
)
from .segment import Sentence, split_claims, split_sentences

__all__ = [
    "ENGINE_VERSION",
    "LABELS",
    "AnnotationLimit",
    "Annotator",
    "Evidence",
    "Limits",
    "PreparedSource",
    "Sentence",
    "Suggestion",
    "annotate_texts",
    "get_annotator",
    "split_claims",
    "split_sentences",
]
