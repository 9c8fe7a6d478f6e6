"""Reads the JSON lines of both sides and prints bench/search/run.sh's table and verdict."""
import json
import statistics
import sys

CHECKPOINTS = (25, 50, 100)
SAMPLERS = ("loom-tpe", "optuna-tpe", "random")


def quartiles(xs):
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault((r["function"], r["sampler"]), []).append(r["best"])

functions = sorted({f for f, _ in runs})
print(f"{'function':<18} {'sampler':<11} " + " ".join(f"{'best@' + str(c) + ' median [q1, q3]':>34}" for c in CHECKPOINTS) + "  seeds")
as_good = better = 0
for f in functions:
    stats = {}
    for s in SAMPLERS:
        curves = runs[(f, s)]
        stats[s] = [quartiles([c[k - 1] for c in curves]) for k in CHECKPOINTS]
        cells = " ".join(f"{m:>12.4f} [{q1:>9.4f}, {q3:>9.4f}]" for q1, m, q3 in stats[s])
        print(f"{f:<18} {s:<11} {cells}  {len(curves)}")
    loom, optuna, rand = (stats[s][-1] for s in SAMPLERS)
    # Minimizing. "At least as good": Loom's median within Optuna's spread (at most its upper quartile);
    # "better than random": Loom's median below random's.
    as_good += loom[1] <= optuna[2]
    better += loom[1] < rand[1]
print(f"search: loom-tpe at least as good as optuna-tpe on {as_good} of {len(functions)} functions; "
      f"better than random on {better} of {len(functions)}")
