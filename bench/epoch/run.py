#!/usr/bin/env python3
"""Fashion-MNIST epoch (60k, batch 32, + test pass): Loom vs a plain TorchSharp loop vs PyTorch.

Peers alternate within each round (several rounds), 2 threads each; reports median and spread (min-max)
of training samples/s and peak RSS, and per-round ratios. Each peer runs two ways (issue 28):
 - "user": as a user writes it, no environment variable: the textbook CNN (conv -> ReLU -> pool, NCHW), the
   optimizer and zero_grad with their defaults;
 - "best": the same graph as Loom's (pool before ReLU, channels-last features) with the peer's own fast options:
   PyTorch: foreach=True, zero_grad(set_to_none=True), ATEN_CPU_CAPABILITY=avx512 (Debian's torch picks AVX2 here),
   glibc's malloc tuned (PyTorch's performance guide); the plain TorchSharp loop: the same graph by permute, gradients
   released, malloc tuned (TorchSharp has no foreach). Loom has one way: its defaults are its fast options (it calls
   mallopt itself). What neither peer gets: Loom's MKL vendor patch, its fused optimizer loops, its thread governor.
`--glibc-default` adds `loom-glibc-default` (Loom with the mmap threshold pinned at glibc's 128 KB: what its
mallopt buys). The BLAS each side calls is printed first (PyTorch: libblas.so.3 -> OpenBLAS and the core type it
chose; Loom and TorchSharp: libtorch's bundled MKL). Run alone:

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    dotnet build bench/PlainTorchSharp -c Release     # Loom: artifacts/loom/loom (README command 1's), else the plain build
    /usr/bin/python3 bench/epoch/run.py --rounds 5
    /usr/bin/python3 bench/epoch/run.py --rounds 5 --model mlp
    /usr/bin/python3 bench/epoch/run.py --rounds 3 --model resnet18 --limit 1000   # needs python3-torchvision
    /usr/bin/python3 bench/epoch/run.py --rounds 3 --model mlp --one-thread   # every peer at 2 and at 1 thread
    /usr/bin/python3 bench/epoch/run.py --rounds 5 --model mlp --tiered       # + Loom with tiered compilation on
    /usr/bin/python3 bench/epoch/run.py --rounds 5 --model mlp --mkl-own-choice   # + Loom with MKL's vendor dispatch
"""
import argparse, json, os, re, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"


def timed(cmd, env=None):
    """Runs cmd under GNU time; returns (stdout, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile() as rss:
        out = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd, capture_output=True, text=True,
                             env={**os.environ, **(env or {})}, cwd=ROOT)
        if out.returncode != 0:
            raise SystemExit(f"{cmd[0]} failed: {out.stderr[-2000:]}")
        return out.stdout, int(open(rss.name).read().split()[-1]) / 1024


# Loom as the README installs it (the ReadyToRun publish of command 1), else the plain build.
PUBLISHED = f"{ROOT}/artifacts/loom/loom"
LOOM = PUBLISHED if os.path.exists(PUBLISHED) else f"{ROOT}/src/Loom.Cli/bin/Release/net10.0/loom"

# glibc's malloc tuned as PyTorch's performance guide advises (what Loom does itself with mallopt).
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"}


def loom(outputs, env=None, model="cnn", limit=None, threads=None):
    """threads=None: as a user runs it (the config's default); a number: pinned (threads=N adaptive_threads=false)."""
    out, rss = timed([LOOM, "train", "epochs=1", "restart=true", "progress=none",
                      f"model={model}", f"loom.outputs={outputs}", "--conf", f"{ROOT}/conf"]
                     + ([f"data.limit={limit}"] if limit else [])
                     + ([f"threads={threads}", "adaptive_threads=false"] if threads else []), env=env)
    return float(re.search(r"samples/s\s+(\d+)", out).group(1)), rss


# PyTorch's best: ATen's AVX-512 kernels (Debian's torch 1.13 reports "CPU capability usage: AVX2" on this Zen 4).
PYTORCH_BEST = {**TUNED_MALLOC, "ATEN_CPU_CAPABILITY": "avx512"}


def plain(model="cnn", threads=2, best=True, limit=None):
    out, rss = timed(["dotnet", f"{ROOT}/bench/PlainTorchSharp/bin/Release/net10.0/PlainTorchSharp.dll", DATA, str(threads), model,
                      "best" if best else "user"] + ([str(limit)] if limit else []), env=TUNED_MALLOC if best else None)
    return json.loads(out.strip().splitlines()[-1])["samples_per_second"], rss


def pytorch(model="cnn", limit=None, threads=2, best=True, env=None, options=None):
    """best: --best (or --best=options) and PYTORCH_BEST's environment (or env)."""
    out, rss = timed(["/usr/bin/python3", f"{ROOT}/bench/epoch/pytorch_epoch.py", DATA, str(threads), model] + ([str(limit)] if limit else [])
                     + ([f"--best={options}" if options else "--best"] if best else []),
                     env={"OMP_NUM_THREADS": str(threads), **((env or PYTORCH_BEST) if best else {})})
    return json.loads(out.strip().splitlines()[-1])["samples_per_second"], rss


def blas():
    """Which BLAS and kernels PyTorch uses here (issue 28: OpenBLAS's kernel choice checked, not assumed)."""
    probe = subprocess.run(["/usr/bin/python3", "-c", "import torch; a = torch.randn(256, 256); (a @ a).sum();"
                            "import re; s = torch.__config__.show(); print(re.search(r'CPU capability usage: \\S+', s).group(0), re.search(r'BLAS_INFO=[^,]+', s).group(0))"],
                           capture_output=True, text=True, env={**os.environ, "OPENBLAS_VERBOSE": "2"})
    core = re.search(r"Core: (\S+)", probe.stdout + probe.stderr)
    lib = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(f"pytorch: libblas.so.3 -> {lib}; OpenBLAS core: {core.group(1) if core else '?'}; {probe.stdout.strip()}")
    print(f"pytorch-best: {PYTORCH_BEST}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="cnn", help="cnn (all four peers), mlp (no glibc-default run) or resnet18 (Loom and PyTorch only)")
    parser.add_argument("--limit", type=int, help="the first N training (and test) samples only (Loom: data.limit=N, of which it holds out its validation split)")
    parser.add_argument("--pytorch-ablation", action="store_true",
                        help="also run pytorch-best without ATEN_CPU_CAPABILITY=avx512 (pytorch-best-avx2) and without channels-last "
                             "(pytorch-best-nchw): is each of its options a gain here?")
    parser.add_argument("--glibc-default", action="store_true", help="also run loom-glibc-default (cnn only)")
    parser.add_argument("--one-thread", action="store_true",
                        help="also run every peer pinned at 1 thread (peers named *-1t): is 2 threads each one's best?")
    parser.add_argument("--tiered", action="store_true",
                        help="also run Loom with .NET's tiered compilation forced on (loom-tiered): what its runtimeconfig's off buys")
    parser.add_argument("--mkl-own-choice", action="store_true",
                        help="also run Loom with MKL's own kernel choice (loom-mkl-own-choice: MKL_ENABLE_INSTRUCTIONS=AVX2, "
                             "so Loom leaves MKL's vendor check alone): what MklCpuDispatch buys on an AMD CPU with AVX-512")
    args = parser.parse_args()
    print(f"loom: {LOOM}")
    blas()
    m, lim = args.model, args.limit
    peers = {"loom": lambda: loom(tempfile.mkdtemp(), model=m, limit=lim),
             "plain-user": lambda: plain(m, best=False, limit=lim), "plain-best": lambda: plain(m, limit=lim),
             "pytorch-user": lambda: pytorch(m, lim, best=False), "pytorch-best": lambda: pytorch(m, lim)}
    if m not in ("cnn", "mlp"):   # the plain loop has the cnn and the mlp only
        del peers["plain-user"], peers["plain-best"]
    if args.pytorch_ablation:
        peers["pytorch-best-avx2"] = lambda: pytorch(m, lim, env=TUNED_MALLOC)
        if m == "cnn":
            peers["pytorch-best-nchw"] = lambda: pytorch(m, lim, options="pool_relu,foreach,set_to_none")
    if args.glibc_default and m == "cnn":
        peers["loom-glibc-default"] = lambda: loom(tempfile.mkdtemp(), {"MALLOC_MMAP_THRESHOLD_": "131072"})
    if args.one_thread:
        m = args.model
        peers["loom-1t"] = lambda: loom(tempfile.mkdtemp(), model=m, limit=args.limit, threads=1)
        if m in ("cnn", "mlp"):
            peers["plain-best-1t"] = lambda: plain(m, 1, limit=args.limit)
        peers["pytorch-best-1t"] = lambda: pytorch(m, args.limit, 1)
    if args.tiered:
        peers["loom-tiered"] = lambda: loom(tempfile.mkdtemp(), {"DOTNET_TieredCompilation": "1"}, model=args.model, limit=args.limit)
    if args.mkl_own_choice:
        peers["loom-mkl-own-choice"] = lambda: loom(tempfile.mkdtemp(), {"MKL_ENABLE_INSTRUCTIONS": "AVX2"}, model=args.model, limit=args.limit)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = {name: [] for name in peers}
    for r in range(args.rounds):
        for name, run in peers.items():
            sps, rss = run()
            results[name].append((sps, rss))
            print(f"round {r + 1} {name:18s} {sps:8.0f} samples/s  peak RSS {rss:6.0f} MB", flush=True)
    print()
    print("| peer | samples/s median (min–max) | peak RSS MB median (min–max) |")
    print("|---|---|---|")
    med = {}
    for name, rows in results.items():
        sps = [s for s, _ in rows]; rss = [m for _, m in rows]
        med[name] = statistics.median(sps)
        print(f"| {name} | {statistics.median(sps):.0f} ({min(sps):.0f}–{max(sps):.0f}) | {statistics.median(rss):.0f} ({min(rss):.0f}–{max(rss):.0f}) |")
    print()
    ratios = lambda a, b: [x[0] / y[0] for x, y in zip(results[a], results[b])]
    pairs = [("loom", "pytorch-user"), ("loom", "pytorch-best"), ("loom", "plain-user"), ("loom", "plain-best"),
             ("pytorch-best", "pytorch-user"), ("plain-best", "plain-user"), ("pytorch-best", "pytorch-best-avx2"),
             ("pytorch-best", "pytorch-best-nchw"), ("loom", "loom-glibc-default"),
             ("loom", "pytorch-best-1t"), ("loom-1t", "pytorch-best-1t"), ("loom-1t", "plain-best-1t"), ("loom-1t", "loom"),
             ("loom", "loom-tiered"), ("loom", "loom-mkl-own-choice")]
    for a, b in [(a, b) for a, b in pairs if a in results and b in results]:
        r = ratios(a, b)
        best = max(x[0] for x in results[a]) / max(y[0] for y in results[b])
        print(f"{a} / {b}: per-round median {statistics.median(r):.2f}x (min {min(r):.2f}, max {max(r):.2f}); best round against best round {best:.2f}x")


if __name__ == "__main__":
    main()
