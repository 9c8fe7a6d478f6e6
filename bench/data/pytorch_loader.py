#!/usr/bin/env python3
"""The peer of bench/DataLoading: torchvision 0.14's ImageFolder + DataLoader over an ImageFolder of Fashion-MNIST PNGs,
loading alone (no model): one epoch of the training folder with the augmentation (RandomCrop(28, padding=4),
RandomHorizontalFlip, ToTensor, Normalize), batch 32, shuffled, then the test folder (ToTensor, Normalize), in order.
Images are read as PIL's convert("L") (grayscale, as Loom reads a gray PNG). The clock starts before the folders are
scanned (ImageFolder's constructor) and stops after the last batch; `import torch` is outside it.
Prints one line of JSON: {"samples_per_second", "seconds", "samples", "workers"}.

    /usr/bin/python3 bench/data/pytorch_loader.py FOLDER WORKERS [THREADS=2]
"""
import json, sys, time

import torch
from PIL import Image
from torchvision import datasets, transforms

root, workers = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(42)
BATCH = 32
normalize = transforms.Normalize((0.2860,), (0.3530,))


def gray(path):
    with open(path, "rb") as f:
        return Image.open(f).convert("L")


clock = time.perf_counter()
train = datasets.ImageFolder(f"{root}/train", loader=gray, transform=transforms.Compose(
    [transforms.RandomCrop(28, padding=4), transforms.RandomHorizontalFlip(), transforms.ToTensor(), normalize]))
test = datasets.ImageFolder(f"{root}/test", loader=gray, transform=transforms.Compose([transforms.ToTensor(), normalize]))
samples = 0
for loader in (torch.utils.data.DataLoader(train, batch_size=BATCH, shuffle=True, num_workers=workers),
               torch.utils.data.DataLoader(test, batch_size=BATCH, shuffle=False, num_workers=workers)):
    for images, labels in loader:
        samples += images.shape[0]
seconds = time.perf_counter() - clock
print(json.dumps({"samples_per_second": samples / seconds, "seconds": seconds, "samples": samples, "workers": workers}))
