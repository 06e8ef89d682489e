"""Each fine-tuning run under ``training/runs/``, scored on the test part of the split.

    python -m training.recipes

For the record of what was tried: a run's best epoch (chosen on dev) in PyTorch fp32, the
opinion runs at the threshold chosen on dev, on the news sentences of the test part; the
verifier runs on up to 2,500 single-label test pairs (three-way macro-F1). Needs the train
extra (torch).
"""

from __future__ import annotations

import json

import numpy as np
import torch

from training import datasets as D
from training import finetune as F
from training.runs import RUNS


def main() -> None:
    torch.set_num_threads(2)
    for run in sorted(p.parent for p in RUNS.glob("*/best.pt")):
        state = torch.load(run / "best.pt", weights_only=False)
        args = state["args"]
        model = F.Classifier(state["n_out"])
        model.load_state_dict(state["model"])
        tok = F.tokenizer(int(args["max_len"]))
        if state["n_out"] == 2:
            test = D.opinion_sentences("test")
            probs = F.predict(model, F.encode(tok, [s for s, *_ in test]))[:, 1]
            t = state["dev"]["threshold"]
            score = F.macro_f1([y for _s, y, *_ in test], [int(p >= t) for p in probs], 2)
        else:
            test = [p for p in D.verifier_pairs("test") if sum(p[2]) == 1][:2500]
            probs = F.predict(model, F.encode(tok, [p[0] for p in test], [p[1] for p in test]))
            score = F.macro_f1([int(np.argmax(p[2])) for p in test], list(probs.argmax(1)), 3)
        recipe = {k: args[k] for k in ("epochs", "lr", "batch", "max_len", "extra_claims")}
        print(
            json.dumps(
                {
                    "run": run.name,
                    "recipe": recipe,
                    "best_epoch": state["dev"],
                    "test_macro_f1": round(score, 4),
                }
            )
        )


if __name__ == "__main__":
    main()
