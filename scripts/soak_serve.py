#!/usr/bin/env python3
"""`loom serve` under N requests on 127.0.0.1 (issue 23; docs/reliability.md, "loom serve under load").

Trains one tiny XP, starts the real `loom serve` on it (a free port), then sends N requests (default 10,000),
bounded (each with a timeout; the whole run stops by itself): the page, the snapshot, an XP's history, the event
stream opened and dropped, path-traversal attempts on every route (plain, percent-encoded, double-encoded,
backslashes, absolute), other methods, and malformed requests written on raw sockets (garbage request lines, a
bad version, a 64 KB header, NUL bytes, a request cut off mid-header). Counts the responses by status class and
fails (exit 1) on any 5xx (but the 505 that HTTP/9.9 must get), on any body holding a file from outside the outputs (a marker file written beside the
outputs folder, and /etc/passwd), on the server dying, or on its resident memory growing more than 25 % (and 20 MB)
from the first tenth of the run to the end. Then SIGTERM: the server must exit within 10 s.

    dotnet build Loom.slnx -c Release && /usr/bin/python3 scripts/soak_serve.py [N]
Standard library only: what is measured is the server, and urllib/http.client send what they are told.
"""
import http.client, json, os, random, re, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOM = os.path.join(ROOT, "src/Loom.Cli/bin/Release/net10.0/loom")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
MARKER = "loom-soak-outside-marker-7f3a"
TIMEOUT = 10


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def raw(port, payload, read=True):
    """Sends bytes on a fresh socket; returns the status code the server answered (None: it closed, which is fine)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(payload)
        if not read:
            return None
        s.shutdown(socket.SHUT_WR)
        data = b""
        try:
            while len(data) < 1 << 20:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(m.group(1)) if m else None), data


def main():
    work = tempfile.mkdtemp(prefix="loom-soak-serve-")
    outputs = os.path.join(work, "outputs")
    with open(os.path.join(work, "secret.txt"), "w") as f:  # beside the outputs folder: never to be served
        f.write(MARKER)
    env = {**os.environ, "NO_COLOR": "1", "LOOM_CACHE_DIR": "off"}
    train = subprocess.run([LOOM, "train", "model=mlp", "data.limit=300", "epochs=2", "threads=1", "progress=none",
                            f"loom.outputs={outputs}", "--conf", os.path.join(ROOT, "conf")], env=env, capture_output=True, text=True, timeout=300)
    if train.returncode != 0:
        sys.exit(f"soak_serve: training failed: {train.stderr[-1000:]}")
    sig = os.listdir(os.path.join(outputs, "xps"))[0]
    server = subprocess.Popen([LOOM, "serve", sig, "--outputs", outputs, "--port", "0", "--conf", os.path.join(ROOT, "conf")],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        server.kill()
        sys.exit(f"soak_serve: no URL from loom serve: {line!r} {server.stderr.read()[-1000:]}")
    port = int(m.group(1))

    traversal = ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/%252e%252e/etc/passwd",
                 "/xps/..%2F..%2F..%2Fetc%2Fpasswd/history.json", "/xps/../../secret.txt", "/xps/..%2F..%2Fsecret.txt/history.json",
                 "/xps/%2e%2e/history.json", "/xps/..\\..\\secret.txt/history.json", "/xps//etc/passwd/history.json",
                 "//etc/passwd", "/snapshot/../../secret.txt", "/?file=../../secret.txt", "/xps/" + sig + "/../../../secret.txt",
                 "/xps/" + "a" * 5000 + "/history.json", "/xps/%00/history.json", "/events/../../../etc/passwd"]
    good = ["/", "/snapshot", f"/xps/{sig}/history.json", "/nope", f"/xps/{sig}0000/history.json"]
    malformed = [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n", b"GET / HTTP/1.1\r\nHo",
                 b"\r\n\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                 b"POST /snapshot HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nabc",
                 b"GET /snapshot HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]
    rng = random.Random(23)
    counts, fives, leaks, samples = {}, [], [], []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    started = time.monotonic()
    for i in range(N):
        if server.poll() is not None:
            sys.exit(f"soak_serve: loom serve died at request {i} (exit {server.returncode}): {server.stderr.read()[-1000:]}")
        kind = rng.random()
        try:
            if kind < 0.10:  # malformed, raw
                payload = rng.choice(malformed)
                status, body = raw(port, payload) if payload != b"GET / HTTP/1.1\r\nHo" else (raw(port, payload, read=False), b"")
                what = payload[:40]
            elif kind < 0.12:  # the event stream, opened and dropped at once
                status, body = raw(port, b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n", read=False), b""
                what = "/events"
            else:
                method = rng.choice(["GET"] * 8 + ["POST", "DELETE", "PUT", "HEAD", "OPTIONS"])
                path = rng.choice(traversal) if kind < 0.55 else rng.choice(good)
                try:
                    conn.request(method, path)
                    r = conn.getresponse()
                    status, body = r.status, r.read()
                except (http.client.HTTPException, OSError):
                    conn.close()  # the server closed a keep-alive connection: a new one
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                    conn.request(method, path)
                    r = conn.getresponse()
                    status, body = r.status, r.read()
                what = f"{method} {path[:60]}"
        except (ConnectionResetError, BrokenPipeError, socket.timeout) as e:
            status, body, what = f"closed ({type(e).__name__})", b"", "?"
        key = f"{status // 100}xx" if isinstance(status, int) else str(status)
        counts[key] = counts.get(key, 0) + 1
        # 505 HTTP Version Not Supported is the right answer to HTTP/9.9 (RFC 9110 15.6.6), not a server error.
        if isinstance(status, int) and status >= 500 and not (status == 505 and b"HTTP/9.9" in str(what).encode()):
            fives.append(f"{status} {what!r}")
        if MARKER.encode() in body or b"root:x:0:0" in body:
            leaks.append(what)
        if i % max(1, N // 10) == 0:
            samples.append(rss_kb(server.pid))
    elapsed = time.monotonic() - started
    samples.append(rss_kb(server.pid))
    conn.close()
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        code = "did not stop within 10 s of SIGTERM"
    subprocess.run(["rm", "-rf", work])

    first, last = samples[1] if len(samples) > 1 else samples[0], samples[-1]  # after the first tenth: warmed up
    flat = last <= first * 1.25 or last - first <= 20 * 1024
    print(json.dumps({"requests": N, "seconds": round(elapsed, 1), "requests_per_s": round(N / elapsed),
                      "responses": dict(sorted(counts.items())), "5xx": len(fives), "leaks": len(leaks),
                      "rss_mb_each_tenth": [round(s / 1024, 1) for s in samples], "sigterm_exit": code}))
    problems = ([f"{len(fives)} 5xx, e.g. {fives[:3]}"] if fives else []) + ([f"files from outside served: {leaks[:3]}"] if leaks else []) \
        + ([] if flat else [f"memory grew {first // 1024} -> {last // 1024} MB"]) + ([] if code == 0 or code == -15 or code == 143 else [f"SIGTERM: {code}"])
    print(f"loom serve, {N} requests in {elapsed:.0f} s: {counts.get('2xx', 0)} 2xx, {counts.get('4xx', 0)} 4xx, "
          f"{len(fives)} 5xx (besides {counts.get('5xx', 0) - len(fives)} 505 to HTTP/9.9), {len(leaks)} leaks, RSS {first / 1024:.0f} -> {last / 1024:.0f} MB"
          + ("" if not problems else " — FAILED: " + "; ".join(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
