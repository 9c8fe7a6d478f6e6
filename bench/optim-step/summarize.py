"""Medians of the per-step times: per process (round), then the median over rounds with the spread (min-max
of the round medians). TorchSharp's own SGD and Loom's optimizers without their one-pass update (`_unfused`) are
compared with PyTorch's same optimizer and settings, PyTorch as a user writes it and with foreach=True."""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]


def cell(side, opt):
    medians = [statistics.median(json.load(open(f))["ms"]) for f in sorted(glob.glob(os.path.join(out, f"{side}-{opt}-*.json")))]
    return statistics.median(medians), min(medians), max(medians), len(medians)


def rounds(side, opt):
    return [statistics.median(json.load(open(f))["ms"]) for f in sorted(glob.glob(os.path.join(out, f"{side}-{opt}-*.json")))]


def per_round(a, b):
    q = [x / y for x, y in zip(a, b)]
    return f"{statistics.median(q):.2f} ({min(q):.2f}-{max(q):.2f})"


print("| optimizer | Loom ms/step (median, min-max of rounds) | PyTorch 1.13 default | PyTorch foreach=True | Loom / PyTorch default, per round | Loom / PyTorch foreach |")
print("|---|---|---|---|---|---|")
for opt in ("sgd", "sgd_momentum", "sgd_momentum_unfused", "sgd_momentum_torchsharp", "sgd_momentum_no_wd", "adam", "adam_unfused", "adamw", "adamw_unfused"):
    base = opt.removesuffix("_torchsharp").removesuffix("_unfused")
    l, p, f = cell("loom", opt), cell("pytorch", base), cell("pytorchforeach", base)
    lr, pr, fr = rounds("loom", opt), rounds("pytorch", base), rounds("pytorchforeach", base)
    print(f"| {opt} | {l[0]:.1f} ({l[1]:.1f}-{l[2]:.1f}) | {p[0]:.1f} ({p[1]:.1f}-{p[2]:.1f}) | {f[0]:.1f} ({f[1]:.1f}-{f[2]:.1f}) "
          f"| {per_round(lr, pr)} | {per_round(lr, fr)} |")
print(f"\n{l[3]} rounds; ratios of time (below 1: Loom faster), per round, median (min-max)")
