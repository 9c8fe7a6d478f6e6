"""How a training checkpoint is saved safely in PyTorch (the peer's side of both checkpoint benches): torch.save to a
temporary file, fsync, rename over the target, fsync the folder."""
import os
import torch


def atomic_save(obj, path):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
