#!/usr/bin/env python3
"""Data parallel across two hosts: `loom train -d 2` with one rank on each of two Slurm hosts (network + UTS
namespaces made by scripts/slurm-cluster.sh --nodes 2, Open MPI over TCP between them) against PyTorch DDP (gloo,
Debian's torch) with one rank on each of the same two hosts. Same small CNN, SGD, global batch 2 x PER_RANK, one
epoch of the first LIMIT Fashion-MNIST images, 1 thread per rank; both started by `srun` in the same `sbatch -N 2
--ntasks-per-node=1 --cpus-per-task=1` job. Peers alternate within each round; the figure is each run's training
samples/s (Loom's report, PyTorch's timed loop: start-up excluded on both sides).
The same `loom train -d 2` with both ranks on node1 (`sbatch -N 1 --ntasks-per-node=2`: shared memory, the same
ranks and threads) says what crossing hosts costs; bench/allreduce's AllReduceBench times the gradient all-reduce
itself (the small CNN's 1.7 MB and ResNet-18's 46.8 MB buffers) across the hosts and on one node. As root
(namespaces), run alone:

    dotnet build src/Loom.Cli -c Release && dotnet build bench/allreduce/AllReduceBench.csproj -c Release
    /usr/bin/python3 bench/dp-hosts/run.py --rounds 5 [--limit 20000] [--per-rank 16]
"""
import argparse, json, os, re, shlex, socket, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"
LOOM = f"{ROOT}/src/Loom.Cli/bin/Release/net10.0/loom"
CLUSTER = f"{ROOT}/scripts/slurm-cluster.sh"
ALLREDUCE = f"{ROOT}/bench/allreduce/bin/Release/net10.0/AllReduceBench.dll"
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"}
# What `loom train -d N` passes to mpirun on one machine (MpiLauncher): the ring all-reduce.
RING = {"OMPI_MCA_coll_tuned_use_dynamic_rules": "1", "OMPI_MCA_coll_tuned_allreduce_algorithm": "4"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_net():
    for b in range(180, 250):  # away from the tests' 77..: a subnet no interface or route uses
        if not os.path.exists(f"/sys/class/net/loom{b}-br") and not subprocess.run(
                ["ip", "-4", "route", "show", f"10.{b}.0.0/24"], capture_output=True, text=True).stdout.strip():
            return b
    raise SystemExit("no free subnet 10.B.0.0/24")


class Ran:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def srun(env, args, mpi, nodes=2):
    """`srun` inside an `sbatch --wait` job, as Loom's Slurm scheduler runs it: the batch shell runs on node1, whose
    namespace reaches both hosts (an srun from this machine's own namespace would wait for its I/O connections).
    nodes=1: both tasks on node1."""
    out = tempfile.mktemp(prefix="loom-dp-hosts-", suffix=".out")
    step = " ".join(shlex.quote(a) for a in ["srun", f"--mpi={mpi}", "--cpus-per-task=1", *args])
    job = subprocess.run(["sbatch", "--wait", "-N", str(nodes), f"--ntasks-per-node={2 // nodes}", "--cpus-per-task=1", f"--output={out}", f"--chdir={ROOT}",
                          "--wrap", step], capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    text = open(out).read() if os.path.exists(out) else ""
    return Ran(job.returncode, text, job.stderr)


def mpi_env(net):
    return {"OMPI_MCA_btl": "self,vader,tcp", "OMPI_MCA_btl_tcp_if_include": f"10.{net}.0.0/24",
            "OMPI_MCA_oob_tcp_if_include": f"10.{net}.0.0/24", "TERM": "dumb", **RING}


def loom(env, net, per_rank, limit, nodes=2):
    out = srun({**env, **mpi_env(net)}, [LOOM, "train", "-d", "2", "epochs=1", f"batch_size={per_rank * 2}", "threads=1", f"data.limit={limit}",
                                "progress=none", "loom.tensorboard.enabled=false", f"loom.outputs={tempfile.mkdtemp()}", "--conf", f"{ROOT}/conf"], "pmix", nodes)
    found = re.search(r"samples/s\s+(\d+)", out.stdout)
    if out.returncode != 0 or not found:
        raise SystemExit(f"loom failed ({out.returncode}): {out.stdout[-1500:]}{out.stderr[-1500:]}")
    return float(found.group(1))


def allreduce(env, net, nodes, model):
    """(median ms, GB/s) of AllReduceBench's 20 timed all-reduces of `model`'s gradient buffer."""
    out = srun({**env, **mpi_env(net)}, ["dotnet", ALLREDUCE, "20", "divided", *([model] if model == "cnn" else [])], "pmix", nodes)
    found = re.search(r"median_ms=([\d.]+) .*GBps=([\d.]+)", out.stdout)
    if out.returncode != 0 or not found:
        raise SystemExit(f"all-reduce bench failed ({out.returncode}): {out.stdout[-1500:]}{out.stderr[-1500:]}")
    return float(found.group(1)), float(found.group(2))


def pytorch(env, net, per_rank, limit, tuned=False):
    # gloo binds to the interface named here (each host's end of its veth pair); rank 0 (node1, 10.B.0.2) is the master.
    rank = (f"export RANK=$SLURM_PROCID WORLD_SIZE=$SLURM_NTASKS MASTER_ADDR=10.{net}.0.2 MASTER_PORT={free_port()} "
            f"GLOO_SOCKET_IFNAME=l{net}-n$((SLURM_NODEID + 1))c OMP_NUM_THREADS=1; "
            f"exec /usr/bin/python3 {ROOT}/bench/dp/pytorch_ddp.py {DATA} {per_rank} {limit}{' best' if tuned else ''}")
    out = srun({**env, **TUNED_MALLOC}, ["bash", "-c", rank], "none")
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"pytorch ddp failed ({out.returncode}): {out.stdout[-1500:]}{out.stderr[-1500:]}")
    return json.loads(lines[-1])["samples_per_second"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--per-rank", type=int, default=16)
    a = parser.parse_args()
    state, net = tempfile.mkdtemp(prefix="loom-dp-hosts-"), free_net()
    up = subprocess.run([CLUSTER, "start", state, "--nodes", "2", "--net", str(net),
                         "--ctld-port", str(free_port()), "--slurmd-port", str(free_port())], capture_output=True, text=True)
    try:
        if up.returncode != 0:
            raise SystemExit(f"slurm-cluster.sh start failed: {up.stderr}")
        env = {**os.environ, "SLURM_CONF": f"{state}/etc/slurm.conf"}
        hosts = srun(env, ["hostname"], "none").stdout.split()
        print(f"hosts: {sorted(hosts)}; uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
        peers = {"loom -d 2 (node1 + node2)": lambda: loom(env, net, a.per_rank, a.limit),
                 "pytorch ddp gloo (node1 + node2)": lambda: pytorch(env, net, a.per_rank, a.limit)}
        peers["pytorch ddp gloo tuned (node1 + node2)"] = lambda: pytorch(env, net, a.per_rank, a.limit, tuned=True)
        one_node = "loom -d 2 (node1 only)"
        peers[one_node] = lambda: loom(env, net, a.per_rank, a.limit, nodes=1)
        reductions = {f"all-reduce {model} ({where})": (lambda nodes=nodes, model=model: allreduce(env, net, nodes, model))
                      for model in ("cnn", "resnet18") for nodes, where in ((2, "node1 + node2"), (1, "node1 only"))}
        results = {name: [] for name in peers}
        reduced = {name: [] for name in reductions}
        for r in range(a.rounds):
            # Alternate which peer goes first, so that neither always runs on the warmer (or busier) machine.
            for name in (list(peers) if r % 2 == 0 else list(peers)[::-1]):
                results[name].append(peers[name]())
                print(f"round {r + 1} {name:34s} {results[name][-1]:8.0f} samples/s", flush=True)
            for name in (list(reductions) if r % 2 == 0 else list(reductions)[::-1]):
                reduced[name].append(reductions[name]())
                print(f"round {r + 1} {name:34s} {reduced[name][-1][0]:8.2f} ms {reduced[name][-1][1]:7.3f} GB/s", flush=True)
        print(f"\n{a.per_rank} samples per rank, limit {a.limit} | samples/s median (min-max)")
        for name, v in results.items():
            print(f"| {name} | {statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f}) |")
        for name, v in reduced.items():
            ms = [t for t, _ in v]
            print(f"| {name} | {statistics.median(ms):.2f} ms ({min(ms):.2f}-{max(ms):.2f}), "
                  f"{statistics.median(g for _, g in v):.3f} GB/s |")
        across = results["loom -d 2 (node1 + node2)"]
        hosts_ratio = [p / q for p, q in zip(across, results[one_node])]
        print(f"loom across hosts / on one node, training samples/s per round: {' '.join(f'{x:.2f}' for x in hosts_ratio)}; "
              f"median {statistics.median(hosts_ratio):.2f}x")
        for model in ("cnn", "resnet18"):
            times = [p[0] / q[0] for p, q in zip(reduced[f"all-reduce {model} (node1 + node2)"], reduced[f"all-reduce {model} (node1 only)"])]
            print(f"all-reduce {model} time across hosts / on one node per round: {' '.join(f'{x:.2f}' for x in times)}; "
                  f"median {statistics.median(times):.2f}x")
        # PyTorch at its best: the faster of its two ways in each round (issue 28's rule).
        ratios = [p / max(q, t) for p, q, t in zip(across, results["pytorch ddp gloo (node1 + node2)"],
                                                   results["pytorch ddp gloo tuned (node1 + node2)"])]
        print(f"loom / pytorch ddp at its best per round: {' '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}x "
              f"(range {min(ratios):.2f}-{max(ratios):.2f}); uptime after: "
              f"{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    finally:
        subprocess.run([CLUSTER, "stop", state], capture_output=True, text=True)


if __name__ == "__main__":
    main()
