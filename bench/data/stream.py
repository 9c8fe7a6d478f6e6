#!/usr/bin/env python3
"""Issue 24's "larger than memory" benchmark: peak memory of `loom train data=folder data.stream=true` as the data set
grows 10x, against the in-memory folder (data.stream=false) for contrast.

Trains the default CNN one epoch on Fashion-MNIST written out as PNG files (make_folder.py): a folder of 6,000 training
(and 6,000 test) images and one of 60,000 (and 10,000). Streamed, each size runs twice: once building the cache (a cache
folder of its own, empty) and once reusing it. While loom runs, its /proc/PID/status is read every ~50 ms: RssAnon (the
process's anonymous memory: heaps, libtorch's tensors, the in-memory pixels), RssFile (file pages mapped into it: the
libraries and, streamed, the cache's pages, which are page cache the kernel may reclaim) and VmHWM (peak resident set,
both together). Prints the peaks per run, the streamed/in-memory training samples/s of the same size, and the 10x
ratios of peak RssAnon. Goal: streamed peak RssAnon flat (within ~10-20 %) as the data grows 10x. Run alone, not niced:

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    /usr/bin/python3 bench/data/stream.py
"""
import os, re, subprocess, sys, tempfile, time

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
    return {k: int(re.search(rf"^{k}:\s+(\d+) kB", text, re.M).group(1)) for k in FIELDS}


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


def main():
    print(f"loom: {LOOM}")
    print(subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip())
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="loom-stream-bench-") as scratch:
        for trained, limit in SIZES:
            folder = make_folder.folder(limit)
            cache = f"{scratch}/cache-{trained}"
            for label, stream in (("stream, builds the cache", True), ("stream, reuses the cache", True), ("in memory", False)):
                peaks, samples, wall = train(folder, stream, cache, f"{scratch}/outputs")
                rows.append((trained, label, peaks, samples, wall))
                print(f"{trained:6d} {label:26s} RssAnon {peaks['RssAnon']:7.1f} MiB  RssFile {peaks['RssFile']:7.1f} MiB  "
                      f"VmHWM {peaks['VmHWM']:7.1f} MiB  {samples:6.0f} samples/s  {wall:5.1f} s", flush=True)
    print("\n| training images | run | peak RssAnon MiB | peak RssFile MiB | VmHWM MiB | training samples/s | wall s |")
    print("|---|---|---|---|---|---|---|")
    for trained, label, peaks, samples, wall in rows:
        print(f"| {trained:,} | {label} | {peaks['RssAnon']:.1f} | {peaks['RssFile']:.1f} | {peaks['VmHWM']:.1f} | {samples:.0f} | {wall:.1f} |")
    print()
    by = {(t, l): (p, s) for t, l, p, s, _ in rows}
    (small, _), (large, _) = SIZES
    for label in ("stream, builds the cache", "stream, reuses the cache", "in memory"):
        a, b = by[(small, label)][0]["RssAnon"], by[(large, label)][0]["RssAnon"]
        print(f"peak RssAnon {label}: {large:,} / {small:,} images = {b / a:.2f}x ({b - a:+.1f} MiB)")
    for trained, _ in SIZES:
        print(f"training samples/s at {trained:,}: streamed (reusing) / in memory = "
              f"{by[(trained, 'stream, reuses the cache')][1] / by[(trained, 'in memory')][1]:.2f}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
