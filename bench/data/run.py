#!/usr/bin/env python3
"""Issue 24's data benchmarks over Fashion-MNIST written out as PNG files (make_folder.py, cached under /var/tmp):

 (a) loading alone (decode + augment + batch, no model): Loom's folder loader (bench/DataLoading, `data.workers`
     0 and 2) against torchvision 0.14's ImageFolder + DataLoader (bench/data/pytorch_loader.py, num_workers 0, 1, 2;
     Debian's /usr/bin/python3), the same augmentation (random crop with padding 4, horizontal flip, normalize),
     batch 32, one epoch of train/ then test/, both at 2 threads on the same cores. Samples/s = images loaded per
     second from the folder scan to the last batch. Goal: Loom >= 1.5x PyTorch at its best worker count.
 (b) training the default CNN one epoch from the PNG folder (`loom train data=folder data.root=FOLDER`) against the
     in-memory IDX set (`loom train data.limit=N`, the same first N images). Reported two ways: Loom's own training
     samples/s (the steps only) and trained samples per second of the whole process (start-up and, for the folder,
     its decode included). Goal: folder >= 0.9x IDX.

Peers alternate within each round (several rounds); median and min-max of samples/s, and per-round ratios (for (a):
each Loom run against the best PyTorch worker count of the same round). --limit N takes the first N training and test
images (a folder of its own, made once), so that a round stays short on 2 cores. Run alone:

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    dotnet build bench/DataLoading -c Release
    /usr/bin/python3 bench/data/run.py --rounds 5 --limit 10000        # both parts
    /usr/bin/python3 bench/data/run.py --rounds 3 --part loading        # the whole 70,000 PNGs
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_folder  # noqa: E402

PUBLISHED = f"{ROOT}/artifacts/loom/loom"
LOOM = PUBLISHED if os.path.exists(PUBLISHED) else f"{ROOT}/src/Loom.Cli/bin/Release/net10.0/loom"
LOADER = f"{ROOT}/bench/DataLoading/bin/Release/net10.0/DataLoading.dll"
# PyTorch at its best (its performance guide; bench/epoch/run.py): glibc's malloc tuned. Loom calls mallopt itself.
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456", "OMP_NUM_THREADS": "2"}


def run(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}): {(out.stderr or out.stdout)[-2000:]}")
    return out.stdout


def loom_loader(folder, workers):
    return json.loads(run(["dotnet", LOADER, folder, str(workers)]).strip().splitlines()[-1])["samples_per_second"]


def pytorch_loader(folder, workers):
    return json.loads(run(["/usr/bin/python3", f"{HERE}/pytorch_loader.py", folder, str(workers)], TUNED_MALLOC)
                      .strip().splitlines()[-1])["samples_per_second"]


def loom_train(extra, trained):
    """(Loom's training samples/s, trained samples per wall second of the whole process)."""
    clock = time.perf_counter()
    out = run([LOOM, "train", "epochs=1", "restart=true", "progress=none", f"loom.outputs={tempfile.mkdtemp()}",
               "--conf", f"{ROOT}/conf"] + extra)
    wall = time.perf_counter() - clock
    return float(re.search(r"samples/s\s+(\d+)", out).group(1)), trained / wall


def table(results, unit="samples/s"):
    print(f"| peer | {unit} median (min–max) |")
    print("|---|---|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f}) |")
    print()


def ratio_line(label, ratios):
    print(f"{label}: per-round median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f})")


def loading(folder, rounds):
    peers = {"loom-w0": lambda: loom_loader(folder, 0), "loom-w2": lambda: loom_loader(folder, 2),
             "pytorch-w0": lambda: pytorch_loader(folder, 0), "pytorch-w1": lambda: pytorch_loader(folder, 1),
             "pytorch-w2": lambda: pytorch_loader(folder, 2)}
    results = {name: [] for name in peers}
    for r in range(rounds):
        for name, peer in peers.items():
            results[name].append(peer())
            print(f"round {r + 1} {name:12s} {results[name][-1]:8.0f} samples/s", flush=True)
    print("\n(a) loading alone: decode + augment + batch 32, train/ then test/\n")
    table(results)
    best_pytorch = [max(results[p][r] for p in ("pytorch-w0", "pytorch-w1", "pytorch-w2")) for r in range(rounds)]
    for loom in ("loom-w0", "loom-w2"):
        ratio_line(f"{loom} / pytorch at its best worker count of the round", [a / b for a, b in zip(results[loom], best_pytorch)])
    print()


def training(folder, limit, rounds):
    n = limit or 60000
    trained = n - round(n * 0.1)  # the default valid_fraction holds 10 % out
    peers = {"loom-idx": lambda: loom_train([f"data.limit={n}"] if limit else [], trained),
             "loom-folder": lambda: loom_train(["data=folder", f"data.root={folder}"], trained)}
    results = {name: [] for name in peers}
    for r in range(rounds):
        for name, peer in peers.items():
            results[name].append(peer())
            steps, wall = results[name][-1]
            print(f"round {r + 1} {name:12s} {steps:8.0f} samples/s (training)  {wall:8.0f} samples/s (whole process)", flush=True)
    print(f"\n(b) training the default CNN one epoch ({trained} training samples)\n")
    table({name: [s for s, _ in rows] for name, rows in results.items()}, "training samples/s")
    table({name: [w for _, w in rows] for name, rows in results.items()}, "trained samples per second of the whole process")
    for k, label in ((0, "training samples/s"), (1, "whole process")):
        ratio_line(f"loom-folder / loom-idx, {label}", [a[k] / b[k] for a, b in zip(results["loom-folder"], results["loom-idx"])])
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, help="the first N training and test images (a folder of their own)")
    parser.add_argument("--part", choices=["loading", "training", "both"], default="both")
    args = parser.parse_args()
    folder = make_folder.folder(args.limit)
    print(f"folder: {folder}\nloom: {LOOM}\nloader: {LOADER}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    if args.part in ("loading", "both"):
        loading(folder, args.rounds)
    if args.part in ("training", "both"):
        training(folder, args.limit, args.rounds)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
