"""Medians of the per-step times: per round, then the median over rounds with the spread (min-max of the round medians)."""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]
rows = []
for opt in ("sgd_momentum", "sgd_momentum_no_wd", "adam", "adamw"):
    cells = {}
    for side in ("loom", "pytorch"):
        medians = [statistics.median(json.load(open(f))[opt]) for f in sorted(glob.glob(os.path.join(out, side + "-*.json")))]
        cells[side] = (statistics.median(medians), min(medians), max(medians), len(medians))
    rows.append((opt, cells))
print("| optimizer | Loom ms/step (median, min-max of rounds) | PyTorch 1.13 ms/step | Loom / PyTorch |")
print("|---|---|---|---|")
for opt, c in rows:
    l, p = c["loom"], c["pytorch"]
    print(f"| {opt} | {l[0]:.1f} ({l[1]:.1f}-{l[2]:.1f}) | {p[0]:.1f} ({p[1]:.1f}-{p[2]:.1f}) | {l[0] / p[0]:.2f} |")
print(f"\n{rows[0][1]['loom'][3]} rounds")
