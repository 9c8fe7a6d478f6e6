#!/usr/bin/env python3
"""Training speed when the cores are shared: `loom train` solo, two at once, and beside a busy process.

Scenarios (each measured for every variant, variants alternated within a round):
  solo    one `loom train`
  pair    two `loom train` started together (each one's speed / solo)
  beside  one `loom train` while another process keeps one core busy (a Python spin loop)
Variants are settings given to Loom: UPPER_CASE=value an environment variable, lower.case=value an override
(none = Loom as a user runs it). `fixed-threads` is Loom before it adapted its thread count to the free cores
(`adaptive_threads=false`). Run alone:

    dotnet publish src/Loom.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/loom
    /usr/bin/python3 bench/contention/run.py --rounds 3     # artifacts/loom/loom (README command 1's), else the plain build
    /usr/bin/python3 bench/contention/run.py --rounds 1 --variant spin1k=GOMP_SPINCOUNT=1000,adaptive_threads=false   # explore
"""
import argparse, os, re, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Loom as the README installs it (the ReadyToRun publish of command 1), else the plain build.
PUBLISHED = f"{ROOT}/artifacts/loom/loom"
LOOM = PUBLISHED if os.path.exists(PUBLISHED) else f"{ROOT}/src/Loom.Cli/bin/Release/net10.0/loom"


def start(variant, limit, model):
    outputs = tempfile.mkdtemp()
    env = {k: v for k, v in variant.items() if k.isupper()}
    overrides = [f"{k}={v}" for k, v in variant.items() if not k.isupper()]
    cmd = [LOOM, "train", "epochs=1", f"data.limit={limit}", f"model={model}", "restart=true", "progress=none",
           f"loom.outputs={outputs}", "--conf", f"{ROOT}/conf"] + overrides
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, **env})


def speed(proc):
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"loom failed: {err[-2000:]}")
    return float(re.search(r"samples/s\s+(\d+)", out).group(1))


def solo(env, a):
    return [speed(start(env, a.limit, a.model))]


def pair(env, a):
    procs = [start(env, a.limit, a.model) for _ in range(2)]
    return [speed(p) for p in procs]


def beside(env, a):
    spinner = subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"])
    try:
        return [speed(start(env, a.limit, a.model))]
    finally:
        spinner.kill(); spinner.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=12000)
    parser.add_argument("--model", default="cnn")
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=KEY=VALUE[,KEY=VALUE] (default: loom and fixed-threads)")
    parser.add_argument("--scenarios", default="solo,pair,beside")
    a = parser.parse_args()
    variants = {"loom": {}, "fixed-threads": {"adaptive_threads": "false"}}
    if a.variant:
        variants = {}
        for v in a.variant:
            name, _, rest = v.partition("=")
            variants[name] = dict(kv.split("=", 1) for kv in rest.split(",") if kv)
    scenarios = {s: {"solo": solo, "pair": pair, "beside": beside}[s] for s in a.scenarios.split(",")}
    res = {(v, s): [] for v in variants for s in scenarios}
    for r in range(a.rounds):
        for s, run in scenarios.items():
            # ABBA order: a variant that always ran second would carry any drift of the machine within a round.
            for v, env in (list(variants.items()) if r % 2 == 0 else list(variants.items())[::-1]):
                sps = run(env, a)
                res[(v, s)].append(sps)
                print(f"round {r + 1} {v:14s} {s:7s} " + " ".join(f"{x:6.0f}" for x in sps) + " samples/s", flush=True)
    print()
    print(f"model={a.model} data.limit={a.limit}; each figure: median samples/s (min–max) over rounds; ratio = / solo of the same variant and round")
    if set(scenarios) != {"solo", "pair", "beside"}:
        print("| variant | scenario | samples/s |\n|---|---|---|")
        for (v, s), rows in res.items():
            xs = [x for row in rows for x in row]
            print(f"| {v} | {s} | {statistics.median(xs):.0f} ({min(xs):.0f}–{max(xs):.0f}) |")
        return
    print("| variant | solo | pair (each) | pair / solo (worst) | beside a busy core | beside / solo |")
    print("|---|---|---|---|---|---|")
    for v in variants:
        so = [x[0] for x in res[(v, "solo")]]
        pa = [x for row in res[(v, "pair")] for x in row]
        worst = [min(row) / s for row, s in zip(res[(v, "pair")], so)]
        be = [x[0] for x in res[(v, "beside")]]
        bratio = [b / s for b, s in zip(be, so)]
        f = lambda xs, d=0: f"{statistics.median(xs):.{d}f} ({min(xs):.{d}f}–{max(xs):.{d}f})"
        print(f"| {v} | {f(so)} | {f(pa)} | {f(worst, 2)} | {f(be)} | {f(bratio, 2)} |")


if __name__ == "__main__":
    main()
