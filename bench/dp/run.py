#!/usr/bin/env python3
"""Data parallel on this machine: `loom train -d 2` (2 ranks x 1 thread, Open MPI) against `loom train` (1 process,
2 threads), 1 rank x 1 thread (the scaling baseline), and PyTorch 1.13 DDP with gloo (2 ranks x 1 thread, and
1 x 1), at 16 and 32 samples per rank; one epoch of the first LIMIT Fashion-MNIST images, small CNN, SGD.
Peers alternate within each round; every peer with glibc's malloc tuned (Loom does it itself). Run alone:

    dotnet build src/Loom.Cli -c Release
    apt-get install python3-torch libopenblas0-openmp openmpi-bin
    /usr/bin/python3 bench/dp/run.py --rounds 3 [--limit 20000]
"""
import argparse, json, os, re, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"
LOOM = f"{ROOT}/src/Loom.Cli/bin/Release/net10.0/loom"
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"}


def loom(ranks, threads, per_rank, limit):
    d = ["-d", str(ranks)] if ranks > 1 else []
    out = subprocess.run([LOOM, "train", *d, "epochs=1", f"batch_size={per_rank * ranks}", f"threads={threads}", f"data.limit={limit}",
                          "progress=none", "loom.tensorboard.enabled=false", f"loom.outputs={tempfile.mkdtemp()}", "--conf", f"{ROOT}/conf"],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"loom failed: {out.stderr[-2000:]}")
    return float(re.search(r"samples/s\s+(\d+)", out.stdout).group(1))


def pytorch(ranks, per_rank, limit, port=29517):
    env = {**os.environ, **TUNED_MALLOC, "OMP_NUM_THREADS": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "WORLD_SIZE": str(ranks)}
    procs = [subprocess.Popen(["/usr/bin/python3", f"{ROOT}/bench/dp/pytorch_ddp.py", DATA, str(per_rank), str(limit)],
                              env={**env, "RANK": str(r)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for r in range(ranks)]
    outs = [p.communicate() for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit(f"pytorch ddp failed: {outs[0][1][-2000:]}")
    return json.loads(outs[0][0].strip().splitlines()[-1])["samples_per_second"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=20000)
    a = parser.parse_args()
    for per_rank in (16, 32):
        peers = {
            "loom -d 2 (2x1 thread)": lambda: loom(2, 1, per_rank, a.limit),
            "loom 1 process x 2 threads": lambda: loom(1, 2, per_rank * 2, a.limit),
            "loom 1 rank x 1 thread": lambda: loom(1, 1, per_rank, a.limit),
            "pytorch ddp gloo (2x1 thread)": lambda: pytorch(2, per_rank, a.limit),
            "pytorch 1 rank x 1 thread": lambda: pytorch(1, per_rank, a.limit),
        }
        results = {name: [] for name in peers}
        for r in range(a.rounds):
            for name, run in peers.items():
                results[name].append(run())
                print(f"{per_rank}/rank round {r + 1} {name:32s} {results[name][-1]:8.0f} samples/s", flush=True)
        print(f"\n{per_rank} samples per rank | samples/s median (min-max)")
        for name, v in results.items():
            print(f"| {name} | {statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f}) |")
        ratio = lambda x, y: statistics.median([p / q for p, q in zip(results[x], results[y])])
        print(f"loom -d 2 / pytorch ddp: {ratio('loom -d 2 (2x1 thread)', 'pytorch ddp gloo (2x1 thread)'):.2f}x; "
              f"loom scaling 1x1 -> 2x1: {ratio('loom -d 2 (2x1 thread)', 'loom 1 rank x 1 thread'):.2f}x; "
              f"pytorch scaling: {ratio('pytorch ddp gloo (2x1 thread)', 'pytorch 1 rank x 1 thread'):.2f}x; "
              f"loom -d 2 / loom 1x2 threads: {ratio('loom -d 2 (2x1 thread)', 'loom 1 process x 2 threads'):.2f}x\n", flush=True)


if __name__ == "__main__":
    main()
