#!/usr/bin/env python3
"""PyTorch's side of the checkpoint benchmark: the same tensors (names and shapes from Loom's ResNet-18, written by
the C# bench) saved as a training checkpoint is in PyTorch: torch.save({model, optimizer, rng}) to a temporary
file, fsync, rename, folder fsync; load = torch.load + copy into a fresh model's tensors (what load_state_dict does).
Prints one JSON line of per-round times.
    /usr/bin/python3 bench/Checkpoint/pytorch_checkpoint.py shapes.json [rounds] [folder] [warmup]
"""
import json, os, statistics, sys, tempfile, time
import torch
from torch_atomic import atomic_save

shapes = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
folder = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp()
torch.set_num_threads(2)
model = {k: torch.randn(v) for k, v in shapes.items()}
params = [t for t in model.values() if t.is_floating_point()]
optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9)
path = os.path.join(folder, "checkpoint.pt")


def save():
    atomic_save({"model": model, "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state()}, path)


def load(fresh):
    state = torch.load(path)
    with torch.no_grad():
        for k, t in fresh.items():
            t.copy_(state["model"][k])
    torch.set_rng_state(state["rng"])


warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 10
save_ms, load_ms, first = [], [], None
for r in range(-warmup, rounds):  # rounds below 0 warm up, as on Loom's side
    t = time.perf_counter(); save(); s = (time.perf_counter() - t) * 1e3
    fresh = {k: torch.empty(v) for k, v in shapes.items()}
    t = time.perf_counter(); load(fresh); l = (time.perf_counter() - t) * 1e3
    if first is None:
        first = (s, l)
    if r >= 0:
        save_ms.append(s); load_ms.append(l)
print(json.dumps({"bytes": os.path.getsize(path), "first_save_ms": first[0], "first_load_ms": first[1], "save_ms": save_ms, "load_ms": load_ms}))
