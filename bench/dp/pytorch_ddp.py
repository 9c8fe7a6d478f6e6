# The PyTorch DDP peer of `loom train -d N`: the same small CNN, SGD lr 0.1 wd 1e-3, one epoch over the first
# LIMIT Fashion-MNIST images, each rank a disjoint share (indices[rank::W]) of every global batch, gloo backend,
# 1 thread per rank. Ranks are started by run.py with RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT (Debian's
# torchrun is broken under Python 3.11). Rank 0 prints one JSON line: global training samples per second.
# A 4th argument "best" runs it as PyTorch's performance guide would tune it (issue 28's "peer at its best"):
# SGD's foreach kernels, gradients as views of DDP's buckets (no copy in or out), channels_last activations.
import gzip, json, os, sys, time
import numpy as np
import torch
import torch.distributed as dist
from torch import nn

root, per_rank, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
best = len(sys.argv) > 4 and sys.argv[4] == "best"
torch.set_num_threads(1)
torch.manual_seed(42)
dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()

def read(name, offset):
    with gzip.open(f"{root}/{name}") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset).copy()

x = torch.from_numpy(read("train-images-idx3-ubyte.gz", 16)).reshape(-1, 1, 28, 28)[:limit].float() / 255
y = torch.from_numpy(read("train-labels-idx1-ubyte.gz", 8))[:limit].long()
x = (x - x.mean()) / x.std()

if best:
    x = x.contiguous(memory_format=torch.channels_last)
network = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
if best:
    network = network.to(memory_format=torch.channels_last)
model = nn.parallel.DistributedDataParallel(network, gradient_as_bucket_view=best)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-3, foreach=best)
batch, n = per_rank * world, x.shape[0]
perm = torch.randperm(n, generator=torch.Generator().manual_seed(1))
dist.barrier()
start = time.perf_counter()
model.train()
for i in range(0, n - batch + 1, batch):
    idx = perm[i:i + batch][rank::world]
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
    optimizer.step()
dist.barrier()
seconds = time.perf_counter() - start
if rank == 0:
    print(json.dumps({"samples_per_second": round((n // batch) * batch / seconds, 1)}))
dist.destroy_process_group()
