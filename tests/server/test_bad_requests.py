"""At least 500 generated bad requests, each answered with a 4xx JSON error
{"error": {"code": "dotted.code", "message": ...}} while the server stays up."""

from __future__ import annotations

import copy
import json
import os
import random
import socket

from sync_support import SyncCase, op, with_postgres

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "assets", "schema", "ops.json")
VALID = {"id": "x-1", "string": "文字", "int": 1, "bool": True, "ids": ["a"], "strings": ["s"], "ints": [1]}
WRONG = {  # values of the wrong type for each field type
    "id": [1, True, "", "has space", "x" * 65, ["a"], {"a": 1}, "é"],
    "string": [1, False, ["a"], {"a": "b"}, 1.5],
    "int": ["1", 1.5, True, 2**63, -(2**63) - 1, 10**30, [1], None and 0],
    "bool": [1, "true", [True]],
    "enum": ["not-a-value", 1, ["repair"]],
    "ids": ["a", [1], ["bad id"], [["a"]], {"a": 1}],
    "strings": ["a", [1], [["a"]]],
    "ints": [1, ["1"], [1.5], [True], [2**64]],
}


def valid_payload(spec: dict) -> dict:
    out = {}
    for name, f in spec["payload"].items():
        if f["type"] == "enum":
            out[name] = f["values"][0]
        elif f["type"] == "int":
            out[name] = max(f.get("min", 1), min(f.get("max", 1), 1))
        else:
            out[name] = VALID[f["type"]]
    return out


class BadRequestTests(SyncCase):
    def bad_requests(self) -> list[tuple[str, str, bytes, dict]]:
        """(label, method+path, body, extra headers): every one must get a 4xx JSON error."""
        rng = random.Random(5)
        with open(SCHEMA, encoding="utf-8") as f:
            kinds = json.load(f)["kinds"]
        out: list[tuple[str, str, bytes, dict]] = []

        def push(label, doc_or_bytes, headers=None):
            body = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes).encode()
            out.append((label, "POST /api/v1/ops", body, headers or {}))

        base = op("report.file", {"id": "r1", "category": "repair", "subtype": "leak"})
        good = json.dumps({"ops": [base]}).encode()
        # Malformed JSON: truncations and random bytes.
        for cut in sorted(rng.sample(range(1, len(good) - 1), 40)):
            push(f"truncated at {cut}", good[:cut])
        for i in range(20):
            push(f"random bytes {i}", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))))
        for text in (b"", b"null", b"[]", b"1", b'"ops"', b"{}", b'{"ops": null}', b'{"ops": {}}',
                     b'{"ops": "x"}', b'{"ops": []}', b'{"ops": [1]}', b'{"ops": [null]}', b'{"ops": [[]]}',
                     b"NaN", b'{"ops": [NaN]}', b"\xef\xbb\xbf{}", b'{"ops": [' + b'{"a":1},' * 3 + b"]}"):
            push(f"shape {text[:20]!r}", text)
        # Invalid UTF-8 and lone surrogates.
        push("invalid utf-8", good.replace(b"leak", b"\xff\xfe\xfd"))
        push("overlong utf-8", good.replace(b"leak", b"\xc0\xaf"))
        push("lone surrogate in a string", good.replace(b'"leak"', b'"\\ud800"').replace(b'"subtype"', b'"description"'))
        # Deep nesting and huge numbers.
        for depth in (1000, 100000):
            push(f"nested {depth}", b'{"ops": ' + b"[" * depth + b"]" * depth + b"}")
            push(f"nested payload {depth}", good.replace(b'"leak"', b'"leak", "x": ' + b"[" * depth + b"]" * depth))
        for big in (b"1" * 5000, b"1e400", b"-1e400", b"18446744073709551616", b"-1", b"1.0", b"true"):
            push(f"made_at {big[:12]!r}", good.replace(b'"made_at": 1700000000000', b'"made_at": ' + big))
            push(f"priority {big[:12]!r}", good.replace(b'"subtype"', b'"priority": ' + big + b', "subtype"'))
        # Oversized body and batch.
        push("body over 2 MiB", {"ops": [dict(base, pad="x" * (2 * 1024 * 1024))]})
        push("501 ops", {"ops": [op("report.file", {"id": f"r{i}", "category": "repair", "subtype": "a"})
                                for i in range(501)]})
        # Bad op ids, unknown kinds, missing envelope fields.
        for bad_id in ("", "ABCDEF0123456789ABCDEF0123456789", "0123", "g" * 32, 12, None, ["x"], "0" * 33):
            push(f"op id {bad_id!r}", {"ops": [dict(base, id=bad_id)]})
        for kind in ("", "report", "report.file.x", "REPORT.FILE", 7, None, "x" * 100, "unknown.kind"):
            push(f"kind {kind!r}", {"ops": [dict(base, kind=kind)]})
        for name in ("id", "kind", "made_at", "payload"):
            push(f"no {name}", {"ops": [{k: v for k, v in base.items() if k != name}]})
        for payload in (None, [], "x", 1):
            push(f"payload {payload!r}", {"ops": [dict(base, payload=payload)]})
        # Per kind and field: missing required, wrong types, too long, too many, unknown fields.
        for spec in kinds:
            payload = valid_payload(spec)
            for name, f in spec["payload"].items():
                if f.get("required"):
                    p = {k: v for k, v in payload.items() if k != name}
                    push(f"{spec['kind']} without {name}", {"ops": [op(spec["kind"], p)]})
                for wrong in WRONG[f["type"]][: 2 if len(kinds) > 20 else None]:
                    if f["type"] == "id" and wrong == "é":
                        continue
                    p = dict(payload, **{name: wrong})
                    push(f"{spec['kind']}.{name} = {str(wrong)[:20]}", {"ops": [op(spec["kind"], p)]})
                if f["type"] in ("string", "strings"):
                    long = "字" * (f.get("max_len", 200) + 1)
                    p = dict(payload, **{name: long if f["type"] == "string" else [long]})
                    push(f"{spec['kind']}.{name} too long", {"ops": [op(spec["kind"], p)]})
                if f["type"] in ("ids", "strings", "ints"):
                    item = VALID[f["type"]][0]
                    p = dict(payload, **{name: [item] * (f.get("max_items", 50) + 1)})
                    push(f"{spec['kind']}.{name} too many", {"ops": [op(spec["kind"], p)]})
                if "min" in f:
                    push(f"{spec['kind']}.{name} below min", {"ops": [op(spec["kind"], dict(payload, **{name: f["min"] - 1}))]})
                if "max" in f:
                    push(f"{spec['kind']}.{name} above max", {"ops": [op(spec["kind"], dict(payload, **{name: f["max"] + 1}))]})
            push(f"{spec['kind']} unknown field", {"ops": [op(spec["kind"], dict(payload, surprise="x"))]})
        # A good op followed by a bad one (all or nothing).
        push("good then bad", {"ops": [base, dict(copy.deepcopy(base), id="0" * 32, kind="nope")]})
        # Pull with bad queries.
        for q in ("after=-1", "after=abc", "after=", "limit=0", "limit=5001", "limit=1.5", "after=99999999999999999999",
                  "after=%ff", "limit=-3", "after=1e3"):
            out.append((f"pull {q}", f"GET /api/v1/ops?{q}", b"", {}))
        # Accounts: malformed login, register, claim bodies.
        for path, fields in (("/api/v1/login", {"login": "admin", "password": "x", "device": "d"}),
                             ("/api/v1/register", {"name": "n", "phone": "1", "birth_year": 1950, "unit": "u1",
                                                   "device": "d"}),
                             ("/api/v1/claim", {"code": "ABCD", "device": "d"})):
            out.append((f"{path} not JSON", f"POST {path}", b"{", {}))
            out.append((f"{path} array", f"POST {path}", b"[]", {}))
            for name in fields:
                for wrong in (None, 1, [], "", "x" * 300, "\ud800"):
                    if name == "phone" and wrong == "":
                        continue  # no phone is fine
                    body = json.dumps(dict(fields, **{name: wrong})).encode()
                    out.append((f"{path} {name}={str(wrong)[:10]!r}", f"POST {path}", body, {}))
        # Bad tokens and devices.
        for auth, device in (("Bearer", "d"), ("Basic abc", "d"), ("Bearer x", ""), ("Bearer x", "bad device"),
                             ("Bearer " + "x" * 500, "d"), (f"Bearer {self.staff.token}", "dev-other")):
            out.append((f"auth {auth[:12]!r} {device!r}", "POST /api/v1/ops", good,
                        {"Authorization": auth, "X-Sihui-Device": device}))
        return out

    def send_raw(self, method_path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        method, path = method_path.split(" ", 1)
        head = [f"{method} {path} HTTP/1.1", "Host: test", f"Content-Length: {len(body)}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as s:
            s.sendall(data)
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        raw = b"".join(chunks)
        status = int(raw.split(b" ", 2)[1])
        return status, raw.partition(b"\r\n\r\n")[2]

    def test_every_bad_request_gets_a_4xx_json_error(self):
        cases = self.bad_requests()
        self.assertGreaterEqual(len(cases), 500)
        print(f"{len(cases)} bad requests", end=" ", flush=True)
        auth = {"Authorization": f"Bearer {self.staff.token}", "X-Sihui-Device": self.staff.device}
        head_before = self.pull_all()["last_seq"]
        codes = {}
        for label, method_path, body, headers in cases:
            with self.subTest(label):
                status, raw = self.send_raw(method_path, body, {**auth, **headers})
                self.assertTrue(400 <= status < 500, (status, raw[:300]))
                err = json.loads(raw)["error"]
                self.assertRegex(err["code"], r"^[a-z_]+\.[a-z_.]+$")
                self.assertTrue(err["message"].endswith("."), err)
                codes[err["code"]] = codes.get(err["code"], 0) + 1
        status, doc, _ = self.call("GET", "/api/v1/health")
        self.assertEqual(status, 200)
        self.assertIsNone(self.server.proc.poll())
        self.assertEqual(self.pull_all()["last_seq"], head_before)  # nothing bad was stored
        self.assertNotIn("Traceback", self.server.stderr())
        self.assertNotIn("internal error", self.server.stderr())
        for code in ("request.invalid_json", "op.invalid", "op.unknown_kind", "batch.too_large", "request.too_large",
                     "request.invalid_query", "auth.invalid_token", "auth.device_mismatch"):
            self.assertIn(code, codes)


with_postgres(globals(), BadRequestTests)
