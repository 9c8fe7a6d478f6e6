#!/usr/bin/env python3
"""Sums oneDNN's verbose `exec` lines by primitive kind and propagation kind (ms, count), from standard input.

Reads both formats: libtorch 2.10's oneDNN 3.7 (`onednn_verbose,v1,primitive,exec,cpu,KIND,IMPL,PROP,...,MS`, with
ONEDNN_VERBOSE=profile_exec) and PyTorch 1.13's oneDNN 2.6 (`dnnl_verbose,exec,cpu,KIND,IMPL,PROP,...,MS`, with
DNNL_VERBOSE=1). Compares where two runs of the same model spend their oneDNN time (docs/benchmarks.md):

    ONEDNN_VERBOSE=profile_exec artifacts/loom/loom train model=resnet18 data.limit=320 epochs=1 restart=true | python3 bench/epoch/onednn_profile.py
    DNNL_VERBOSE=1 OMP_NUM_THREADS=2 python3 bench/epoch/pytorch_epoch.py /usr/share/datasets/fashion-mnist 2 resnet18 320 | python3 bench/epoch/onednn_profile.py
"""
import collections, sys

total, count = collections.Counter(), collections.Counter()
for line in sys.stdin:
    if "verbose" not in line or ",exec," not in line:
        continue
    fields = line.strip().split(",")
    try:
        ms = float(fields[-1])
    except ValueError:
        continue
    kind, prop = (fields[5], fields[7]) if fields[1] == "v1" else (fields[3], fields[5])
    total[f"{kind} {prop}"] += ms
    count[f"{kind} {prop}"] += 1
for key, ms in total.most_common():
    print(f"{ms:9.1f} ms  {count[key]:5d}  {key}")
print(f"{sum(total.values()):9.1f} ms total")
