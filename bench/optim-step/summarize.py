"""Medians of the per-step times: per process (round), then the median over rounds with the spread (min-max
of the round medians). TorchSharp's own SGD and Loom's optimizers without their one-pass update (`_unfused`) are
compared with PyTorch's same optimizer and settings."""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]


def cell(side, opt):
    medians = [statistics.median(json.load(open(f))["ms"]) for f in sorted(glob.glob(os.path.join(out, f"{side}-{opt}-*.json")))]
    return statistics.median(medians), min(medians), max(medians), len(medians)


print("| optimizer | Loom ms/step (median, min-max of rounds) | PyTorch 1.13 ms/step | Loom / PyTorch |")
print("|---|---|---|---|")
for opt in ("sgd", "sgd_momentum", "sgd_momentum_unfused", "sgd_momentum_torchsharp", "sgd_momentum_no_wd", "adam", "adam_unfused", "adamw", "adamw_unfused"):
    l = cell("loom", opt)
    p = cell("pytorch", opt.removesuffix("_torchsharp").removesuffix("_unfused"))
    print(f"| {opt} | {l[0]:.1f} ({l[1]:.1f}-{l[2]:.1f}) | {p[0]:.1f} ({p[1]:.1f}-{p[2]:.1f}) | {l[0] / p[0]:.2f} |")
print(f"\n{l[3]} rounds")
