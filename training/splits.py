"""The fixed train / dev / test split of every item we learn from or measure on.

An item's part is a hash of its normalised claim (or sentence), never of its position, so
the same claim is in the same part in every file (Climate-FEVER claims are in both
``tune.jsonl`` and ``verify.jsonl``) and the split never moves when files are reordered or
grow. Fixed before any tuning: models learn on ``train``, choices are made on ``dev``, and
only ``test`` figures are reported.
"""

from __future__ import annotations

import hashlib

PARTS = ("train", "dev", "test")
# Percentages of the hash space: 60 train, 20 dev, 20 test.
_BOUNDS = (60, 80)


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def part_of(text: str) -> str:
    digest = hashlib.sha256(normalise(text).encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    if bucket < _BOUNDS[0]:
        return "train"
    return "dev" if bucket < _BOUNDS[1] else "test"
