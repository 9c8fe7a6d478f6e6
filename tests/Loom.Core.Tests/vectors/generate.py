"""Generates the signature, float-repr and export vectors that Loom.Core.Tests checks, with the real
Python (json, hashlib, zlib, repr). Run from this folder: python3 generate.py. CI does not run it: the
outputs are checked in under ../data/.

Delta values are written in a tagged form so that C# rebuilds the exact Python types:
{"i": "123"} int, {"f": "<repr>"} float, {"d": [[k, v], ...]} dict, lists, strings, booleans, null."""
import base64, hashlib, json, math, random, struct, zlib

def tag(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"i": str(v)}
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, (list, tuple)):
        return [tag(x) for x in v]
    if isinstance(v, dict):
        return {"d": [[k, tag(x)] for k, x in v.items()]}
    raise TypeError(v)

def sig(delta):
    text = json.dumps(sorted(delta))
    return text, hashlib.sha1(text.encode()).hexdigest()[:8]

deltas = [
    [],
    [("model", "cnn"), ("optim.lr", 0.01)],
    [("lr", 1e-05)], [("lr", 1e-16)], [("lr", 1e16)], [("lr", 1e15)], [("lr", 123456789012345678.0)],
    [("lr", 1.5e-07)], [("lr", 0.0001)], [("lr", 0.00012345)], [("lr", 5e-324)], [("lr", 1.7976931348623157e308)],
    [("lr", 0.1 + 0.2)], [("lr", 1 / 3)], [("lr", -0.0)], [("lr", 0.0)], [("lr", 2.5)], [("lr", 100.0)],
    [("lr", float("inf"))], [("lr", float("-inf"))], [("lr", float("nan"))], [("lr", 9007199254740993.0)],
    [("lr", 1234567890123456.7)], [("lr", 12345678901234567.0)], [("lr", -1e-4)], [("lr", 3e-3)],
    [("big", 2 ** 64)], [("big", -(2 ** 70) + 1)], [("big", 2 ** 63 - 1)], [("big", -(2 ** 63))], [("big", 10 ** 30)],
    [("name", "café")], [("name", "日本語")], [("name", "emoji 😀 and 𝄞")], [("name", "\U0010ffff")],
    [("name", "tab\tnew\nline\rcr\bback\fform")], [("name", "\x00\x01\x1f\x7f")], [("name", 'quote " and \\ back')],
    [("name", "\u2028\u2029\ufeff")], [("name", "/slash' single")], [("name", "")],
    [("x", [1, 2.0, "three", None, True, [False, []], {}])],
    [("x", {"a": {"b": [1, {"c": 0.5}]}, "é": "ü"})],
    [("x", {"z": 1, "a": 2})],
    [("flag", False), ("flag2", True), ("zero", 0), ("none", None)],
    [("b", 1), ("a", 2), ("a.b", 3), ("A", 4), ("_", 5), ("a_b", 6), ("é", 7), ("😀", 8), ("\uffff", 9)],
    [("optim", "adam"), ("optim.lr", 0.001), ("model", "resnet18"), ("epochs", 2)],
    [("data.limit", 1000), ("optim.betas", [0.9, 0.99]), ("model.dropout", 0.25)],
    [("~data.limit", None), ("+tag", "x")],
]
random.seed(1234)
for _ in range(12):
    e = random.randint(-30, 30)
    deltas.append([("rand.f", random.random() * 10 ** e), ("rand.i", random.randint(-10 ** 20, 10 ** 20))])

with open("../data/signature_vectors.jsonl", "w") as out:
    for delta in deltas:
        text, s = sig(delta)
        out.write(json.dumps({"delta": [[k, tag(v)] for k, v in delta], "json": text, "sig": s}) + "\n")

# Float repr: bit patterns (so no parsing is involved on the C# side) and Python's repr.
floats = [0.0, -0.0, 1.0, 0.1, 1e-4, 1e-5, 9.999e-5, 1e16, 9999999999999998.0, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, 0.3, 2 / 3, 123.456, 1e100, 1.5e-07, 4.35, 0.000123]
for _ in range(3000):
    kind = random.random()
    if kind < 0.4:
        bits = random.getrandbits(64)
        f = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if math.isnan(f) or math.isinf(f):
            continue
    elif kind < 0.7:
        f = round(random.uniform(-1000, 1000), random.randint(0, 8)) * 10 ** random.randint(-25, 25)
    else:
        f = float(random.randint(1, 99999)) / 10 ** random.randint(0, 12)
    floats.append(f)
with open("../data/float_repr_vectors.txt", "w") as out:
    for f in floats:
        out.write("%016x %s\n" % (struct.unpack("<Q", struct.pack("<d", f))[0], repr(f)))

# Export strings (Dora): base64(zlib(json.dumps(argvs))) wrapped at 70 columns.
import textwrap
exports = [[["--b=4"]], [["optim.lr=0.01", "model=mlp"], []], [["name=café 😀"], ["+tag=[1, 2]"], ["x=" + "a" * 200]]]
with open("../data/export_vectors.jsonl", "w") as out:
    for argvs in exports:
        s = base64.b64encode(zlib.compress(json.dumps(argvs).encode())).decode()
        out.write(json.dumps({"argvs": argvs, "export": "\n".join(textwrap.wrap(s, 70))}) + "\n")
