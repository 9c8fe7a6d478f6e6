"""Reads a finished `loom search` (state.json and its trials' history.json) for bench/search/asha-vs-full.sh.

  before   : the epochs each trial had trained when the search ended (JSON, saved before the continuation)
  commands : one `loom train` argument line per trial that stopped short of the full budget
  report   : the two figures, each selected on the search's objective (valid.accuracy), never on test
"""
import json
import os
import sys

out, name, mode = sys.argv[1], sys.argv[2], sys.argv[3]
state = json.load(open(os.path.join(out, "searches", name, "state.json")))
EPOCHS = 9
FIXED = ["data.valid_fraction=0.1", "data.limit=10000", "threads=1", f"epochs={EPOCHS}"]


def history(sig):
    path = os.path.join(out, "xps", sig, "history.json")
    return json.load(open(path)) if os.path.exists(path) else []


def selected(h):
    """The epoch checkpoint.best keeps: the first to reach the best valid accuracy."""
    best = None
    for e in h:
        if best is None or e["valid"]["accuracy"] > best["valid"]["accuracy"]:
            best = e
    return best


trials = state["Trials"]
if mode == "before":
    json.dump({t["Sig"]: len(history(t["Sig"])) for t in trials}, sys.stdout)
elif mode == "commands":
    for t in trials:
        h = history(t["Sig"])
        if t["State"] != "Failed" and len(h) < EPOCHS:
            print(" ".join(FIXED + [f"{k}={v}" for k, v in t["Params"].items()]))
else:
    before = json.load(open(os.path.join(out, "asha.json")))
    # A trial that failed (diverged in its first epoch) fails the same way at the full budget: it costs one
    # epoch in both counts; every other trial costs what it trained, and the full budget EPOCHS.
    failed = sum(1 for t in trials if t["State"] == "Failed" and before[t["Sig"]] == 0)
    asha_epochs = sum(before.values()) + failed
    full_epochs = EPOCHS * (len(trials) - failed) + failed
    print(f"{'trial':>5} {'state':>10} {'epochs':>6} {'valid@ASHA':>10} {'valid@9':>8} {'test@9':>7}  params")
    rows = []
    for t in trials:
        h = history(t["Sig"])
        sel = selected(h) if h else None
        at_asha = selected(h[: before[t["Sig"]]]) if h and before[t["Sig"]] else None
        rows.append((t, h, sel, at_asha))
        state_text = t["State"]   # a pruned trial stopped at its epochs column
        fmt = lambda e, split: f"{e[split]['accuracy']:.4f}" if e else "-"
        print(f"{t['Number']:>5} {state_text:>10} {before[t['Sig']]:>6} {fmt(at_asha, 'valid'):>10} {fmt(sel, 'valid'):>8} {fmt(sel, 'test'):>7}  "
              + " ".join(f"{k}={v}" for k, v in t["Params"].items()))
    # The search's choice: the best complete trial on its objective, as `loom search --best` prints it.
    complete = [r for r in rows if r[0]["State"] == "Complete" and r[3]]
    asha = max(complete, key=lambda r: r[3]["valid"]["accuracy"])
    full = max((r for r in rows if r[2] and len(r[1]) == EPOCHS), key=lambda r: r[2]["valid"]["accuracy"])
    oracle = max((r for r in rows if r[2]), key=lambda r: r[2]["test"]["accuracy"])
    gap = 100 * (full[2]["test"]["accuracy"] - asha[3]["test"]["accuracy"])
    print(f"ASHA's choice: trial {asha[0]['Number']}, valid {asha[3]['valid']['accuracy']:.4f}, test {asha[3]['test']['accuracy']:.4f}")
    print(f"full budget's choice: trial {full[0]['Number']}, valid {full[2]['valid']['accuracy']:.4f}, test {full[2]['test']['accuracy']:.4f}")
    print(f"(best test of any trial at the full budget, for reference only: trial {oracle[0]['Number']}, {oracle[2]['test']['accuracy']:.4f})")
    print(f"asha: {asha_epochs} of {full_epochs} epochs ({asha_epochs / full_epochs:.2f} of the full budget), "
          f"counting each of the {failed} failed trials as one epoch in both; "
          f"test accuracy {gap:.2f} points behind the full budget's choice")
