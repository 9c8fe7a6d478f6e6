"""PyTorch side of the optimizer-step benchmark: same parameter shapes (from shapes.json), same settings,
one optimizer per process. Usage: /usr/bin/python3 bench.py <optimizer>[_foreach] <steps> shapes.json
_foreach: torch.optim's multi-tensor implementation (foreach=True), PyTorch's fast option; without it, its default
(single-tensor on the CPU in 1.13)."""
import json
import sys
import time

import torch

torch.set_num_threads(2)
torch.manual_seed(0)
name, steps, shapes = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
foreach = name.endswith("_foreach")
name = name.removesuffix("_foreach")
fast = {"foreach": True} if foreach else {}
params = [torch.nn.Parameter(torch.randn(s)) for s in shapes]
for p in params:
    p.grad = torch.randn_like(p) * 1e-3

make = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=1e-3, **fast),
    "sgd_momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-4, **fast),
    "sgd_momentum_no_wd": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, **fast),
    "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3, **fast),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=1e-3, weight_decay=1e-2, **fast),
}[name]
opt = make(params)
for _ in range(5):
    opt.step()
times = []
for _ in range(steps):
    t = time.perf_counter()
    opt.step()
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"optimizer": name + ("_foreach" if foreach else ""), "ms": times}))
