"""Optuna's side of bench/search/run.sh: the same functions, modes and output as Program.cs."""
import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(v):
    x, y = v
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - 1e-4 * P[i][j]) ** 2 for j in range(6))) for i in range(4))


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v * v + 5 * v for v in x)


FUNCTIONS = [("branin", [(-5, 10), (0, 15)], branin),
             ("hartmann6", [(0.0, 1.0)] * 6, hartmann6),
             ("styblinski_tang10", [(-5.0, 5.0)] * 10, styblinski_tang)]


def objective(box, f):
    return lambda trial: f([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(box)])


def quality(seeds, budget):
    for name, box, f in FUNCTIONS:
        for seed in range(seeds):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(objective(box, f), n_trials=budget)
            best, curve = math.inf, []
            for t in study.trials:
                best = min(best, t.value)
                curve.append(best)
            print(json.dumps({"sampler": "optuna-tpe", "function": name, "seed": seed, "best": curve}), flush=True)


def timing(n):
    name, box, f = FUNCTIONS[1]
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    cpu, wall = 0.0, 0.0
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        trial = study.ask()
        x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(box)]
        cpu += time.process_time() - start_cpu
        wall += time.perf_counter() - start
        study.tell(trial, f(x))
    print(cpu, wall)


if __name__ == "__main__":
    if sys.argv[1] == "quality":
        quality(int(sys.argv[2]), int(sys.argv[3]))
    else:
        timing(int(sys.argv[2]))
