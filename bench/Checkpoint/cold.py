#!/usr/bin/env python3
"""The first checkpoint save of a process (cold), which is what a training pays once per epoch: the shipped `loom`
against PyTorch's first torch.save of the same state, alternated rounds, per-round ratios (issue 28).

Loom: the published binary (artifacts/loom/loom, README command 1's ReadyToRun build, tiering off) runs
`loom train model=resnet18 optim.momentum=0.9 epochs=1 data.limit=64`: one short epoch, then its first
`checkpoint.last` (model, SGD momentum buffers, RNG, history, config). PyTorch: bench/Checkpoint/pytorch_cold.py
(the same ResNet-18 and optimizer state after one step, torch.save + fsync + rename + folder fsync).
The same window is timed on both sides from outside, by strace (only the file calls are traced, --seccomp-bpf):
from the openat that creates the temporary file to the end of the folder's fsync after the rename. PyTorch's own
in-process timer is printed too. Run alone (builds not included):

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    /usr/bin/python3 bench/Checkpoint/cold.py --rounds 7
"""
import argparse, json, os, re, shutil, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOOM = f"{ROOT}/artifacts/loom/loom"
LINE = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(\d+\.\d+) (.*)$")


def traced(cmd, folder):
    """Runs cmd under strace; returns (its stdout, the save window in ms for the temporary file in folder)."""
    log = os.path.join(folder, "strace.log")
    out = subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-T", "-o", log,
                          "-e", "trace=openat,rename,renameat,renameat2,fsync", *cmd],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {out.stderr[-2000:]}")
    return out.stdout, window(open(log).read().splitlines())


def window(lines):
    """From the create of the first temporary checkpoint to the end of the first fsync after its rename."""
    start = renamed = None
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        t, call = float(m.group(2)), m.group(3)
        if start is None and call.startswith("openat(") and "O_CREAT" in call and (".checkpoint.last.tmp-" in call or "checkpoint.pt.tmp" in call):
            start = t
        elif start is not None and renamed is None and call.startswith("rename") and re.search(r'checkpoint\.(last|pt)"', call.split(",", 1)[-1]):
            renamed = t
        elif renamed is not None and call.startswith("fsync("):
            took = re.search(r"<(\d+\.\d+)>\s*$", call)
            return (t + (float(took.group(1)) if took else 0) - start) * 1e3
    raise SystemExit("no checkpoint save found in the trace")


def loom(folder):
    _, ms = traced([LOOM, "train", "--conf", f"{ROOT}/conf", "model=resnet18", "optim.momentum=0.9", "epochs=1",
                    "data.limit=64", "restart=true", "progress=none", f"loom.outputs={folder}"], folder)
    last = next(os.path.join(d, "checkpoint.last") for d, _, files in os.walk(folder) if "checkpoint.last" in files)
    return ms, os.path.getsize(last), None


def pytorch(folder):
    out, ms = traced(["/usr/bin/python3", f"{ROOT}/bench/Checkpoint/pytorch_cold.py", folder], folder)
    j = json.loads(out.strip().splitlines()[-1])
    return ms, j["bytes"], j["save_ms"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=7)
    a = p.parse_args()
    if not os.path.exists(LOOM):
        raise SystemExit(f"{LOOM} missing: publish it first (see the docstring)")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    rows = []
    for r in range(a.rounds):
        order = [("loom", loom), ("pytorch", pytorch)] if r % 2 == 0 else [("pytorch", pytorch), ("loom", loom)]
        got = {}
        for name, run in order:
            folder = tempfile.mkdtemp(dir=os.environ.get("BENCH_DIR"))
            try:
                got[name] = run(folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        rows.append(got)
        print(f"round {r + 1}: loom {got['loom'][0]:7.1f} ms ({got['loom'][1] / 1e6:.1f} MB)   pytorch {got['pytorch'][0]:7.1f} ms "
              f"({got['pytorch'][1] / 1e6:.1f} MB, its own timer {got['pytorch'][2]:.1f})   ratio {got['loom'][0] / got['pytorch'][0]:.2f}", flush=True)
    q = [g["loom"][0] / g["pytorch"][0] for g in rows]
    med = lambda k: statistics.median(g[k][0] for g in rows)
    print(f"\nfirst save of a process: Loom {med('loom'):.1f} ms, PyTorch {med('pytorch'):.1f} ms; "
          f"per-round ratio Loom / PyTorch (time) median {statistics.median(q):.2f} ({min(q):.2f}-{max(q):.2f}), {len(q)} rounds")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
