# The PyTorch peer: the same small CNN, SGD lr 0.1 wd 1e-3, batch 32, one epoch of Fashion-MNIST + a test
# pass, data held in memory as tensors (the fastest way in PyTorch, no DataLoader workers on 2 cores).
# Prints one line of JSON like the other peers.
# Two ways (issue 28), chosen by a last argument:
#   (none)  as a user writes it: the textbook CNN (conv -> ReLU -> pool, NCHW), SGD and zero_grad with their defaults;
#   --best  at its best (--best=OPT,OPT: some of them), with PyTorch's own fast options: Loom's graph (pool before ReLU, the features channels-last,
#           back to NCHW before the second ReLU), torch.optim's foreach=True, zero_grad(set_to_none=True), and for
#           its environment (set by bench/epoch/run.py) glibc's malloc tuned and ATEN_CPU_CAPABILITY=avx512.
# The BLAS: Debian's torch calls libblas.so.3, here OpenBLAS 0.3.21 (openmp), which picks its kernels by CPU features
# (OPENBLAS_VERBOSE=2 prints "Core: Cooperlake" on this Zen 4: its AVX-512 kernels already); run.py prints it.
import gzip, json, sys, time
import numpy as np
import torch
from torch import nn

# --best: every option below; --best=a,b: only those (to see what each buys).
OPTIONS = ("pool_relu", "channels_last", "foreach", "set_to_none")
flags = [a for a in sys.argv if a.startswith("--best")]
sys.argv = [a for a in sys.argv if not a.startswith("--best")]
chosen = set(OPTIONS if flags == ["--best"] else flags[0].split("=", 1)[1].split(",") if flags else ())
if chosen - set(OPTIONS):
    raise SystemExit(f"--best: unknown option(s) {sorted(chosen - set(OPTIONS))}, expected some of {OPTIONS}")
root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
torch.set_num_threads(threads)
torch.manual_seed(42)

def images(name):
    with gzip.open(f"{root}/{name}") as f:
        raw = f.read()
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=16).copy()).reshape(-1, 1, 28, 28).float() / 255

def labels(name):
    with gzip.open(f"{root}/{name}") as f:
        raw = f.read()
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=8).copy()).long()

# argv[4]: the first N training and test samples only (Loom's `data.limit=N`).
limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
train_x, train_y = images("train-images-idx3-ubyte.gz")[:limit], labels("train-labels-idx1-ubyte.gz")[:limit]
test_x, test_y = images("t10k-images-idx3-ubyte.gz")[:limit], labels("t10k-labels-idx1-ubyte.gz")[:limit]
mean, std = train_x.mean(), train_x.std()
train_x, test_x = (train_x - mean) / std, (test_x - mean) / std

# argv[3]: the model of Loom's `model=` group: cnn (default), mlp (conf/model/mlp.yaml: 2 hidden layers of 256) or
# resnet18 (TorchVision's, adapted as Loom adapts it to 1×28×28: a stride-1 3×3 stem, no max-pool).
model_name = sys.argv[3] if len(sys.argv) > 3 else "cnn"
if model_name == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
elif model_name == "resnet18":
    import torchvision
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(1, 64, 3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
else:
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    if chosen & {"pool_relu", "channels_last"}:
        class LoomGraph(nn.Module):
            """Loom's SmallCnn: the same layers (so the same initial weights), pool before ReLU and/or channels-last features."""
            def __init__(self, m):
                super().__init__()
                self.m = m
            def forward(self, x):
                m = self.m
                if "channels_last" in chosen:
                    x = x.contiguous(memory_format=torch.channels_last)
                x = m[1](m[2](m[0](x))) if "pool_relu" in chosen else m[2](m[1](m[0](x)))
                x = m[5](m[3](x)) if "pool_relu" in chosen else m[5](m[4](m[3](x)))
                x = x.contiguous()                 # NCHW again before the second ReLU / the flatten, as Loom
                if "pool_relu" in chosen:
                    x = m[4](x)
                return m[9](m[8](m[7](m[6](x))))   # flatten, fc1, ReLU, fc2
        model = LoomGraph(model.to(memory_format=torch.channels_last) if "channels_last" in chosen else model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-3, **({"foreach": True} if "foreach" in chosen else {}))
batch, n = 32, train_x.shape[0]

start = time.perf_counter()
model.train()
perm = torch.randperm(n)
loss_sum = 0.0
for i in range(0, n, batch):
    idx = perm[i:i + batch]
    x, y = train_x[idx], train_y[idx]
    optimizer.zero_grad(set_to_none="set_to_none" in chosen)
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    loss_sum += loss.item() * len(y)
train_seconds = time.perf_counter() - start
model.eval()
correct = 0
with torch.no_grad():
    for i in range(0, test_x.shape[0], 256):
        correct += (model(test_x[i:i + 256]).argmax(1) == test_y[i:i + 256]).sum().item()
epoch_seconds = time.perf_counter() - start
print(json.dumps({"samples_per_second": round(n / train_seconds, 1), "epoch_seconds": round(epoch_seconds, 2),
                  "train_loss": round(loss_sum / n, 4), "test_accuracy": correct / test_x.shape[0]}))
