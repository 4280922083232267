#!/usr/bin/env python3
"""./sihui bench sync: server ops accepted per second, 20 concurrent clients pushing
batches over loopback, on SQLite and on PostgreSQL (a throwaway cluster, fsync on).

Prints "name value unit" lines and rewrites the sync section of docs/benchmarks.md
(the same style as tests/bench/run.mjs). Standard library only, like serve.py.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "server"))
from test_serve import INDEX, PYTHON, SERVE, Server, write  # noqa: E402

CLIENTS = 20
BATCH = 100
BATCHES_PER_CLIENT = 15  # 20 x 15 x 100 = 30,000 ops per run
GOAL = 5000
PASSWORD = "bench password"


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process from /proc (clock ticks to seconds)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pg_cpu_seconds() -> float:
    total = 0.0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() in ("postgres", "postmaster"):
                        total += cpu_seconds(int(pid))
            except OSError:
                pass
    return total


def report_op(i: int) -> dict:
    return {"id": secrets.token_hex(16), "kind": "report.file", "author": "x", "made_at": 1_700_000_000_000 + i,
            "payload": {"id": f"rep-{secrets.token_hex(6)}", "category": "repair", "subtype": "leak",
                        "compound": "c1", "description": f"楼道灯坏了 {i}", "priority": 2}}


def request(port: int, method: str, path: str, body: dict | None, headers: dict | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(method, path, json.dumps(body).encode() if body is not None else None, headers or {})
    resp = conn.getresponse()
    doc = json.loads(resp.read())
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"bench: {method} {path} answered {resp.status}: {doc}")
    return doc


def run_backend(name: str, db_args: list[str], tmp: str) -> dict:
    root, data = os.path.join(tmp, "root"), os.path.join(tmp, "data-" + name)
    write(os.path.join(root, "index.html"), INDEX)
    subprocess.run([PYTHON, SERVE, "admin", "create-staff", "--data", data, *db_args, "--login", "bench",
                    "--person", "p-bench", "--name", "bench"], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    server = Server(root, data, ["--quiet", *db_args]).start()
    try:
        tokens = []
        for c in range(CLIENTS):
            doc = request(server.port, "POST", "/api/v1/login", {"login": "bench", "password": PASSWORD,
                                                                  "device": f"dev-{c}"})
            tokens.append({"Authorization": f"Bearer {doc['token']}", "X-Sihui-Device": f"dev-{c}",
                           "Content-Type": "application/json"})
        request(server.port, "POST", "/api/v1/ops", {"ops": [
            {"id": secrets.token_hex(16), "kind": "community.init", "made_at": 1, "author": "x",
             "payload": {"name": "bench", "admin_name": "bench"}}]}, tokens[0])
        bodies = [[json.dumps({"ops": [report_op(i) for i in range(BATCH)]}, ensure_ascii=False).encode()
                   for _ in range(BATCHES_PER_CLIENT)] for _ in range(CLIENTS)]
        latencies: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(CLIENTS + 1)
        failures: list[str] = []

        def client(c: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            barrier.wait()
            for body in bodies[c]:
                t0 = time.perf_counter()
                conn.request("POST", "/api/v1/ops", body, tokens[c])
                resp = conn.getresponse()
                data = resp.read()
                dt = time.perf_counter() - t0
                if resp.status != 200:
                    failures.append(data[:200].decode("utf-8", "replace"))
                    return
                with lock:
                    latencies.append(dt)
            conn.close()

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        cpu0, pg0 = cpu_seconds(server.proc.pid), pg_cpu_seconds()
        barrier.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        cpu, pg = cpu_seconds(server.proc.pid) - cpu0, pg_cpu_seconds() - pg0
        if failures:
            raise SystemExit(f"bench: a push failed: {failures[0]}")
        total = CLIENTS * BATCHES_PER_CLIENT * BATCH
        latencies.sort()
        return {"ops_per_s": total / wall, "ops": total, "wall_s": wall, "server_cpu": cpu / wall,
                "server_cpu_us_per_op": cpu / total * 1e6, "pg_cpu": pg / wall,
                "p50_ms": latencies[len(latencies) // 2] * 1000,
                "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000}
    finally:
        server.stop()


def fsync_ms(folder: str) -> float:
    """Median time of one small write + fsync in the folder (what each commit waits for)."""
    path = os.path.join(folder, "fsync-probe")
    times = []
    with open(path, "wb") as f:
        for _ in range(30):
            f.write(b"x" * 4096)
            t0 = time.perf_counter()
            f.flush()
            os.fsync(f.fileno())
            times.append(time.perf_counter() - t0)
    os.unlink(path)
    return sorted(times)[len(times) // 2] * 1000


def machine() -> str:
    model = "CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} × {model}, {mem:.0f} GiB, {sys.platform}"


def update_doc(md: list[str]) -> None:
    path = os.path.join(TOP, "docs", "benchmarks.md")
    doc = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    start, end = "<!-- bench:sync:start -->", "<!-- bench:sync:end -->"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = f"{start}\n## sync\n\nMeasured {when} on {machine()}.\n\n" + "\n".join(md) + f"\n{end}"
    i, j = doc.find(start), doc.find(end)
    doc = doc[:i] + block + doc[j + len(end):] if i >= 0 and j > i else doc.rstrip() + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)


def limits(r: dict, fsync: float) -> str:
    commits_per_s = r["ops_per_s"] / BATCH
    text = (f"What limits it: pushes are serialised (one seq lock, one transaction and one fsync per batch: "
            f"{commits_per_s:,.0f} commits/s, and one fsync of 4 KiB takes {fsync:.1f} ms here), and serve.py is "
            f"one Python process, so at most one core (the GIL); it used {r['server_cpu'] * 100:.0f}% of one, "
            f"{r['server_cpu_us_per_op']:.0f} µs per op (JSON parsing, the schema check, hashing, SQLite inserts). ")
    if r["server_cpu"] > 0.85:
        text += "Here the CPU of that one process is the limit; "
    else:
        text += "Here the server waits more than it computes: commit latency (fsync) is the limit; "
    return text + "the 20 Python clients share the same 2 cores."


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="sihui-sync-bench-")
    results = {}
    fsync = fsync_ms(tmp)
    try:
        results["sqlite"] = run_backend("sqlite", [], tmp)
        pg_dir = tempfile.mkdtemp(prefix="sihui-bench-pg-")  # top level: the postgres user must reach it
        cluster = os.path.join(TOP, "tests", "server", "pg_cluster.sh")
        try:
            url = subprocess.run([cluster, "start", pg_dir], capture_output=True, text=True, check=True).stdout.strip()
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"bench: no PostgreSQL cluster ({exc}); sync.ops_per_s_postgres skipped", file=sys.stderr)
        else:
            try:
                results["postgres"] = run_backend("postgres", ["--database", url], tmp)
            finally:
                subprocess.run([cluster, "stop", pg_dir], check=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, r in results.items():
        print(f"sync.ops_per_s_{name} {r['ops_per_s']:.0f} ops/s")
    rows = [f"| {name} | {r['ops_per_s']:,.0f} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
            f"{r['server_cpu'] * 100:.0f}% | {r['server_cpu_us_per_op']:.0f} µs |"
            + (f" {r['pg_cpu'] * 100:.0f}% |" if name == "postgres" else " – |")
            for name, r in results.items()]
    sqlite = results["sqlite"]["ops_per_s"]
    md = [
        f"{CLIENTS} clients on loopback, each pushing {BATCHES_PER_CLIENT} batches of {BATCH} `report.file` ops "
        f"(one serve.py process; fsync on: SQLite WAL with synchronous=FULL, PostgreSQL defaults). "
        f"Goal: at least {GOAL:,} ops/s on SQLite.",
        "",
        "| database | ops accepted / s | batch p50 | batch p95 | serve.py CPU | serve.py CPU per op | PostgreSQL CPU |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"sync.ops_per_s_sqlite {sqlite:,.0f} ops/s ({'meets' if sqlite >= GOAL else 'misses'} the goal)"
        + (f"; sync.ops_per_s_postgres {results['postgres']['ops_per_s']:,.0f} ops/s" if "postgres" in results else ""),
        "",
        limits(results["sqlite"], fsync),
    ]
    update_doc(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
