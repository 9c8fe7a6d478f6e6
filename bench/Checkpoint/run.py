#!/usr/bin/env python3
"""Checkpoint save and load, Loom against PyTorch in the same run: processes alternate (Loom, PyTorch, Loom, ...),
each doing 10 untimed warm-up saves and loads, then --inner timed ones, of ResNet-18's state (~45 MB) into the
same folder; reports the median over all
rounds and the spread of the per-process medians. Run alone:

    dotnet build bench/Checkpoint -c Release
    /usr/bin/python3 bench/Checkpoint/run.py --rounds 5 --inner 5
"""
import argparse, json, os, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def last_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--inner", type=int, default=5)
    a = p.parse_args()
    folder = tempfile.mkdtemp(dir=os.environ.get("BENCH_DIR"))
    shapes = os.path.join(folder, "shapes.json")
    dll = f"{ROOT}/bench/Checkpoint/bin/Release/net10.0/Checkpoint.dll"
    res = {"loom": [], "pytorch": []}
    sizes = {}
    for r in range(a.rounds):
        order = ["loom", "pytorch"] if r % 2 == 0 else ["pytorch", "loom"]
        for peer in order:
            if peer == "loom":
                j = last_json(["dotnet", dll, str(a.inner), folder, shapes])
            else:
                j = last_json(["/usr/bin/python3", f"{ROOT}/bench/Checkpoint/pytorch_checkpoint.py", shapes, str(a.inner), folder])
            sizes[peer] = j["bytes"]
            res[peer].append(j)
            print(f"round {r + 1} {peer:8s} save {statistics.median(j['save_ms']):6.1f} ms  load {statistics.median(j['load_ms']):6.1f} ms", flush=True)
    print()
    print(f"file: Loom {sizes['loom'] / 1e6:.1f} MB, PyTorch {sizes['pytorch'] / 1e6:.1f} MB; {a.rounds} processes each, {a.inner} saves and loads per process")
    print("| operation | Loom ms median (min–max of process medians) | PyTorch ms | Loom / PyTorch (time) |")
    print("|---|---|---|---|")
    for op in ("save_ms", "load_ms"):
        med = {}
        spread = {}
        for peer in res:
            per = [statistics.median(j[op]) for j in res[peer]]
            med[peer] = statistics.median([x for j in res[peer] for x in j[op]])
            spread[peer] = (min(per), max(per))
        print(f"| {op[:-3]} | {med['loom']:.1f} ({spread['loom'][0]:.1f}–{spread['loom'][1]:.1f}) | "
              f"{med['pytorch']:.1f} ({spread['pytorch'][0]:.1f}–{spread['pytorch'][1]:.1f}) | {med['loom'] / med['pytorch']:.2f} |")
    for op in ("first_save_ms", "first_load_ms"):
        med = {peer: statistics.median([j[op] for j in res[peer]]) for peer in res}
        print(f"| {op[:-3].replace('_', ' ')} of a process (median) | {med['loom']:.1f} | {med['pytorch']:.1f} | {med['loom'] / med['pytorch']:.2f} |")
    extra = {k: statistics.median([x for j in res["loom"] for x in j[k]]) for k in ("memcpy_ms", "write_fsync_ms")}
    print(f"\nfor scale, same bytes: memcpy {extra['memcpy_ms']:.1f} ms, plain write + fsync {extra['write_fsync_ms']:.1f} ms")


if __name__ == "__main__":
    main()
