#!/usr/bin/env python3
"""./sihui bench life (part): how long serve.py takes to serve the calendar feed (.ics) of a year of
events (figure life.ics_year_ms, goal under 100 ms). A year around today: 8 recurring series (weekly
clubs and clinic duty, the monthly festival) with moved and called-off occurrences, 200 one-off
events, 52 class sessions and two canteen sittings a day. The server keeps a public snapshot (as it
does every --snapshot-every ops), so a feed is the native tool reading that snapshot plus the ops
after it. Each timed request follows a new op, so the cache cannot answer it; the cached answer is
timed too. Prints "name value unit" lines and rewrites the life-ics section of docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "server"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_serve import INDEX, PYTHON, SERVE, Server, write  # noqa: E402
from sync_bench import machine, request  # noqa: E402

TOOL = os.path.join(TOP, "build", "release", "src", "tools", "sihui_snapshot")
GOAL_MS = 100
RUNS = 15
SH = datetime.timezone(datetime.timedelta(hours=8))
DAY = 86_400_000


def local(d: datetime.date, hh: int, mm: int = 0) -> int:
    return int(datetime.datetime(d.year, d.month, d.day, hh, mm, tzinfo=SH).timestamp() * 1000)


def op(kind: str, payload: dict) -> dict:
    return {"id": secrets.token_hex(16), "kind": kind, "author": "x", "made_at": int(time.time() * 1000),
            "payload": payload}


def year_of_events(start: datetime.date) -> list[dict]:
    ops = [op("community.init", {"name": "仓南街社区", "admin_name": "bench"})]
    t0 = local(start, 9)
    series = [("clinic", "道德门诊值班", "FREQ=WEEKLY;BYDAY=TU", "clinic"),
              ("fest", "月月仓南节", "FREQ=MONTHLY;BYDAY=2SA", "festival")]
    for i, name in enumerate(("乒乓球队", "游泳队", "声乐队", "舞蹈队", "象棋队", "太极拳队")):
        series.append((f"club{i}", name + "训练", f"FREQ=WEEKLY;BYDAY={('MO','WE','TH','FR','SA','SU')[i]}", "club"))
    for sid, title, rule, cat in series:
        ops.append(op("event.add", {"id": sid, "title": title, "starts_at": t0, "duration_min": 120, "rrule": rule,
                                    "category": cat, "place": "仓南街社区活动中心", "access_note": "无台阶通道"}))
    ops.append(op("course.add", {"id": "ms", "title": "面塑公益课", "teacher": "p-bench"}))
    for n in range(52):
        ops.append(op("session.add", {"id": f"s{n}", "course": "ms", "number": n + 1, "starts_at": t0 + (7 * n + 5) * DAY,
                                      "duration_min": 120, "seats": 20, "theme": f"作品{n + 1}"}))
    for i in range(200):
        ops.append(op("event.add", {"id": f"one{i}", "title": f"社区活动{i}", "starts_at": t0 + (i * 365 // 200) * DAY + 5 * 3_600_000,
                                    "duration_min": 90, "category": ("meeting", "other", "festival", "class")[i % 4],
                                    "place": "社区广场"}))
    for d in range(365):
        day = start + datetime.timedelta(days=d)
        ops.append(op("canteen.sitting.add", {"id": f"l{d}", "starts_at": local(day, 11, 30), "meal": "lunch"}))
        ops.append(op("canteen.sitting.add", {"id": f"d{d}", "starts_at": local(day, 17, 30), "meal": "dinner"}))
    return ops


def exceptions(start: datetime.date) -> list[dict]:
    """Moved and called-off occurrences of the weekly series (every 5th week)."""
    ops = []
    days = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
    weekly = [("clinic", "TU")] + [(f"club{i}", d) for i, d in enumerate(("MO", "WE", "TH", "FR", "SA", "SU"))]
    for sid, wd in weekly:
        first = start + datetime.timedelta(days=(days[wd] - start.weekday()) % 7)
        for w in range(2, 50, 5):
            occ = local(first + datetime.timedelta(weeks=w), 9)
            if w % 2:
                ops.append(op("event.cancel", {"event": sid, "occurrence": occ, "reason": "场地维修"}))
            else:
                ops.append(op("event.override", {"event": sid, "occurrence": occ, "starts_at": occ + DAY, "place": "二楼"}))
    return ops


def get(port: int, path: str) -> tuple[float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    dt = time.perf_counter() - t0
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"bench: GET {path} answered {resp.status}: {body[:200]!r}")
    return dt * 1000, body


def update_doc(md: list[str]) -> None:
    path = os.path.join(TOP, "docs", "benchmarks.md")
    doc = open(path, encoding="utf-8").read()
    start, end = "<!-- bench:life-ics:start -->", "<!-- bench:life-ics:end -->"
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    block = (f"{start}\n## life: calendar feed\n\nMeasured {when} on {machine()}; load average {load} "
             f"(a machine shared with other builds).\n\n" + "\n".join(md) + f"\n{end}")
    i, j = doc.find(start), doc.find(end)
    doc = doc[:i] + block + doc[j + len(end):] if i >= 0 and j > i else doc.rstrip() + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)


def main() -> int:
    if not os.access(TOOL, os.X_OK):
        raise SystemExit(f"bench: {TOOL} is missing (./sihui bench life builds it)")
    tmp = tempfile.mkdtemp(prefix="sihui-ics-bench-")
    try:
        root, data = os.path.join(tmp, "root"), os.path.join(tmp, "data")
        write(os.path.join(root, "index.html"), INDEX)
        subprocess.run([PYTHON, SERVE, "admin", "create-staff", "--data", data, "--login", "bench", "--person", "p-bench",
                        "--name", "bench"], input="bench password\n", text=True, check=True, capture_output=True)
        server = Server(root, data, ["--quiet", "--snapshot-every", "500", "--snapshot-tool", TOOL]).start()
        try:
            doc = request(server.port, "POST", "/api/v1/login", {"login": "bench", "password": "bench password",
                                                                  "device": "dev-bench"})
            h = {"Authorization": f"Bearer {doc['token']}", "X-Sihui-Device": "dev-bench",
                 "Content-Type": "application/json"}
            start = datetime.datetime.now(SH).date() - datetime.timedelta(days=180)
            ops = year_of_events(start) + exceptions(start)
            for i in range(0, len(ops), 500):
                request(server.port, "POST", "/api/v1/ops", {"ops": ops[i:i + 500]}, h)
            deadline = time.time() + 120
            while True:  # the public snapshot the feed starts from
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("GET", "/api/v1/snapshot")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200 or time.time() > deadline:
                    break
                time.sleep(0.2)
            cold, warm = [], []
            body = b""
            for i in range(RUNS):
                request(server.port, "POST", "/api/v1/ops", {"ops": [op("event.update", {"event": "one0", "place": f"广场{i}"})]}, h)
                ms, body = get(server.port, "/api/v1/feeds/all.ics")
                cold.append(ms)
                warm.append(get(server.port, "/api/v1/feeds/all.ics")[0])
            events = body.count(b"BEGIN:VEVENT")
        except SystemExit:
            print(server.stderr(), file=sys.stderr)
            raise
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cold.sort()
    warm.sort()
    med, p95, hit = cold[len(cold) // 2], cold[int(len(cold) * 0.95)], warm[len(warm) // 2]
    print(f"life.ics_year_ms {med:.1f} ms")
    print(f"life.ics_year_ms_p95 {p95:.1f} ms")
    print(f"life.ics_cached_ms {hit:.1f} ms")
    md = [
        "| figure | value | goal |", "|---|---|---|",
        f"| `life.ics_year_ms` (median of {RUNS}, after a new op) | {med:.1f} ms | < {GOAL_MS} ms |",
        f"| `life.ics_year_ms_p95` | {p95:.1f} ms | |",
        f"| `life.ics_cached_ms` (the same feed again, from serve.py's cache) | {hit:.1f} ms | |",
        "",
        "The year (from 180 days ago): 8 series kept as RRULEs with EXDATE and RECURRENCE-ID, 200 one-off "
        f"events, 52 class sessions and 730 canteen sittings; the feed's window (92 days back, 400 ahead) "
        f"keeps {events} VEVENTs ({len(body) / 1024:.0f} KB). It is made from a public snapshot plus the ops "
        "after it by `sihui_snapshot --ics` (release build). What it costs: starting the tool, reading the "
        "snapshot, writing the feed; serve.py itself only renders the tail of the log.",
    ]
    update_doc(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
