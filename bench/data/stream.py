#!/usr/bin/env python3
"""Issue 24's "larger than memory" benchmark: peak memory of `loom train data=folder data.stream=true` as the data set
grows 10x, against the in-memory folder (data.stream=false) for contrast.

Trains the default CNN one epoch on Fashion-MNIST written out as PNG files (make_folder.py): a folder of 6,000 training
(and 6,000 test) images and one of 60,000 (and 10,000). Streamed, each size runs twice: once building the cache (a cache
folder of its own, empty) and once reusing it. While loom runs, its /proc/PID/status is read every ~50 ms: RssAnon (the
process's anonymous memory: heaps, libtorch's tensors, the in-memory pixels), RssFile (file pages mapped into it: the
libraries and, streamed, the cache's pages, which are page cache the kernel may reclaim) and VmHWM (peak resident set,
both together). Prints the peaks per run, the streamed/in-memory training samples/s of the same size, and the 10x
ratios of peak RssAnon (medians over --rounds rounds, each round: build, reuse, in memory at each size; the peaks of
one run differ by tens of MiB, mostly glibc's heap as libtorch leaves it). Goal: streamed peak RssAnon flat (within
~10-20 %) as the data grows 10x. Run alone, not niced:

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    /usr/bin/python3 bench/data/stream.py --rounds 3
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_folder  # noqa: E402
from run import LOOM, ROOT  # noqa: E402  (the published loom, else the Release build)

SIZES = [(6000, 6000), (60000, None)]  # (training images, make_folder's --limit)
FIELDS = ("RssAnon", "RssFile", "VmHWM")


def status(pid):
    """The FIELDS of /proc/PID/status in KiB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    found = {k: re.search(rf"^{k}:\s+(\d+) kB", text, re.M) for k in FIELDS}
    return None if None in found.values() else {k: int(m.group(1)) for k, m in found.items()}  # none once it is a zombie


def train(folder, stream, cache, outputs):
    """One epoch; returns (peaks in MiB, training samples/s, wall seconds)."""
    cmd = [LOOM, "train", "data=folder", f"data.root={folder}", f"data.stream={'true' if stream else 'false'}", "epochs=1",
           "restart=true", "progress=none", f"loom.outputs={outputs}", "--conf", f"{ROOT}/conf"]
    clock = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "LOOM_CACHE_DIR": cache}, cwd=ROOT)
        peaks = dict.fromkeys(FIELDS, 0)
        while process.poll() is None:
            if (now := status(process.pid)) is not None:
                peaks = {k: max(peaks[k], now[k]) for k in FIELDS}
            time.sleep(0.05)
        wall = time.perf_counter() - clock
        out.seek(0)
        log = out.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}): {log[-2000:]}")
    cache_line = next((l for l in log.splitlines() if "data.stream:" in l), "")
    if stream and ("decoded" not in cache_line and "reusing" not in cache_line):
        raise SystemExit(f"no data.stream line in the log of {' '.join(cmd)}")
    return {k: v / 1024 for k, v in peaks.items()}, float(re.search(r"samples/s\s+(\d+)", log).group(1)), wall


RUNS = (("stream, builds the cache", True), ("stream, reuses the cache", True), ("in memory", False))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"loom: {LOOM}")
    print(subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip())
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = {(trained, label): [] for trained, _ in SIZES for label, _ in RUNS}
    folders = {trained: make_folder.folder(limit) for trained, limit in SIZES}
    with tempfile.TemporaryDirectory(prefix="loom-stream-bench-") as scratch:
        for r in range(args.rounds):
            for trained, _ in SIZES:
                cache = f"{scratch}/cache-{trained}-{r}"  # empty: the first streamed run builds it
                for label, stream in RUNS:
                    peaks, samples, wall = train(folders[trained], stream, cache, f"{scratch}/outputs")
                    results[(trained, label)].append((peaks, samples, wall))
                    print(f"round {r + 1} {trained:6d} {label:26s} RssAnon {peaks['RssAnon']:7.1f} MiB  RssFile {peaks['RssFile']:7.1f} MiB  "
                          f"VmHWM {peaks['VmHWM']:7.1f} MiB  {samples:6.0f} samples/s  {wall:5.1f} s", flush=True)

    def spread(values, digits=1):
        return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"

    print("\n| training images | run | peak RssAnon MiB | peak RssFile MiB | VmHWM MiB | training samples/s | wall s |")
    print("|---|---|---|---|---|---|---|")
    for (trained, label), runs in results.items():
        print(f"| {trained:,} | {label} | " + " | ".join(spread([p[k] for p, _, _ in runs]) for k in FIELDS)
              + f" | {spread([s for _, s, _ in runs], 0)} | {spread([w for _, _, w in runs])} |")
    print("\nmedians of peak RssAnon (MiB):")
    (small, _), (large, _) = SIZES
    for label, _ in RUNS:
        a, b = (statistics.median(p["RssAnon"] for p, _, _ in results[(n, label)]) for n in (small, large))
        print(f"  {label}: {large:,} / {small:,} images = {b / a:.2f}x ({b - a:+.1f} MiB)")
    for trained, _ in SIZES:
        ratios = [s / m for (_, s, _), (_, m, _) in zip(results[(trained, "stream, reuses the cache")], results[(trained, "in memory")])]
        print(f"training samples/s at {trained:,}: streamed (reusing) / in memory, per round: median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
