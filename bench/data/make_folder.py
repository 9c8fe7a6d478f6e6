#!/usr/bin/env python3
"""Writes Fashion-MNIST (Debian's IDX files) out as PNG files in torchvision's ImageFolder layout, once:

    DEST/train/<label>-<name>/<index>.png   (60,000, or the first N with --limit N)
    DEST/test/<label>-<name>/<index>.png    (10,000, or the first N)

8-bit grayscale PNGs written by PIL (its default compression). The first N of each IDX split are those `loom train
data.limit=N` reads, so a --limit folder holds the same images as the limited IDX set. Written into DEST.partial, then
renamed: a folder that exists is complete, and a rerun reuses it. Prints DEST.

    /usr/bin/python3 bench/data/make_folder.py [--limit N] [--cache /var/tmp/loom-bench-data]
"""
import argparse, gzip, os, shutil, sys

import numpy as np
from PIL import Image

DATA = "/usr/share/datasets/fashion-mnist"
CLASSES = ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def idx(name, offset):
    with gzip.open(f"{DATA}/{name}") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def write_split(dest, split, images, labels):
    for label, name in enumerate(CLASSES):
        os.makedirs(f"{dest}/{split}/{label}-{name}")
    for i, (image, label) in enumerate(zip(images, labels)):
        Image.fromarray(image, "L").save(f"{dest}/{split}/{label}-{CLASSES[label]}/{i:05d}.png")


def folder(limit=None, cache="/var/tmp/loom-bench-data"):
    """The folder's path, written if it is not there yet."""
    dest = f"{cache}/fashion-mnist-png" + (f"-{limit}" if limit else "")
    if os.path.isdir(dest):
        return dest
    partial = dest + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = idx(f"{prefix}-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        labels = idx(f"{prefix}-labels-idx1-ubyte.gz", 8)
        n = min(limit or len(labels), len(labels))
        print(f"writing {n} {split} PNGs into {partial}", file=sys.stderr, flush=True)
        write_split(partial, split, images[:n], labels[:n])
    os.rename(partial, dest)
    return dest


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, help="the first N training and test images only")
    parser.add_argument("--cache", default="/var/tmp/loom-bench-data")
    args = parser.parse_args()
    print(folder(args.limit, args.cache))
