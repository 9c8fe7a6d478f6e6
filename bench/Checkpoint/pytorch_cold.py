#!/usr/bin/env python3
"""PyTorch's side of the cold-checkpoint benchmark (bench/Checkpoint/cold.py): a fresh process builds the model Loom's
`model=resnet18` is (TorchVision's ResNet-18, a stride-1 3x3 stem, no max-pool, 1x28x28, 10 classes) with
SGD(lr=0.1, momentum=0.9, weight_decay=1e-3), trains one step on one batch of 32 (so the momentum buffers exist, as
after an epoch), then saves once, as a training checkpoint is saved in PyTorch: torch.save({model, optimizer, rng})
to a temporary file, fsync, rename, folder fsync. Prints one JSON line: the bytes and the save's milliseconds.
    /usr/bin/python3 bench/Checkpoint/pytorch_cold.py FOLDER
"""
import json, os, sys, time
import torch
import torchvision
from torch import nn
from torch_atomic import atomic_save

folder = sys.argv[1]
torch.set_num_threads(2)
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=10)
model.conv1 = nn.Conv2d(1, 64, 3, stride=1, padding=1, bias=False)
model.maxpool = nn.Identity()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
x, y = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))
nn.functional.cross_entropy(model(x), y).backward()
optimizer.step()

path = os.path.join(folder, "checkpoint.pt")
start = time.perf_counter()
atomic_save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state()}, path)
print(json.dumps({"bytes": os.path.getsize(path), "save_ms": (time.perf_counter() - start) * 1e3}))
