"""Bench helper: put a log of ops (JSON lines, as `sihui_snapshot --demo N` prints them) straight
into a serve.py SQLite data folder, keeping each op's author (the API would stamp the pusher as
author). Only for benchmarks that need a big community fast; the API path is measured elsewhere.

    /usr/bin/python3 tests/bench/seed_log.py --data DIR < ops.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import serve  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    schema = serve.OpSchema.load(serve.SCHEMA_FILE)
    os.makedirs(args.data, exist_ok=True)
    store = serve.open_store(None, args.data, schema.version)
    rows = []
    for seq, line in enumerate(sys.stdin, start=1):
        op = json.loads(line)
        payload = json.dumps(op["payload"], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        body = f"{op['kind']}\n{op['device']}\n{op['made_at']}\n{payload}".encode("utf-8")  # as commit_ops
        rows.append((seq, op["id"], op["kind"], op["author"], op["device"], "seed", op["made_at"], op["made_at"],
                     op["made_at"], payload, hashlib.sha256(body).hexdigest()))
    with store.write() as q:
        q.many("INSERT INTO ops (seq, id, kind, author, device, account, made_at, client_made_at,"
               " received_at, payload, body_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        q.run("UPDATE meta SET head = ? WHERE id = 1", (len(rows),))
    print(len(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
