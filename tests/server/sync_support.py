"""Shared harness for the sync server tests: a community on a real serve.py.

Every test class runs against SQLite; when SIHUI_TEST_POSTGRES_URL names a PostgreSQL
server (./sihui test starts a throwaway cluster and sets it), each class also runs
against a fresh PostgreSQL database made for it (classes named ...Postgres).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from test_serve import INDEX, PYTHON, SERVE, Server, write

PG_ENV = "SIHUI_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery"
ADMIN = "p-admin"


def new_id() -> str:
    return secrets.token_hex(16)


def photo_name(data: bytes) -> str:
    """A photo's name on the server and in ops: the SHA-256 of its bytes (decision 0021)."""
    return hashlib.sha256(data).hexdigest()


def op(kind: str, payload: dict, made_at: int = 1_700_000_000_000, op_id: str | None = None, **extra) -> dict:
    return {"id": op_id or new_id(), "kind": kind, "author": "client-says", "made_at": made_at,
            "payload": payload, **extra}


class PgDatabase:
    """A fresh database on the test cluster, dropped at the end."""

    def __init__(self, base_url: str):
        import psycopg  # only imported when PostgreSQL tests run
        self.psycopg, self.base = psycopg, base_url
        self.name = "sihui_t_" + secrets.token_hex(6)
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.name}")
        parts = urllib.parse.urlsplit(base_url)
        self.url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, ""))

    def drop(self) -> None:
        with self.psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class Session:
    def __init__(self, token: str, device: str, person: str):
        self.token, self.device, self.person = token, device, person

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Sihui-Device": self.device}


class SyncCase(unittest.TestCase):
    """A server with a staff account (p-admin, device dev-admin) and community.init pushed.

    Places: compounds c1, c2; buildings b1 (c1), b2 (c2); units u1 (b1), u2 (b2);
    grids g1 = {c1}, g2 = {c2}.
    """

    backend = "sqlite"
    server_env: dict[str, str] = {}
    server_args: list[str] = []
    init_community = True

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.mkdtemp(prefix="sihui-sync-test-")
        cls.root = os.path.join(cls.tmp, "root")
        cls.data = os.path.join(cls.tmp, "data")
        write(os.path.join(cls.root, "index.html"), INDEX)
        cls.pg = None
        cls.db_args: list[str] = []
        if cls.backend == "postgres":
            cls.pg = PgDatabase(os.environ[PG_ENV])
            cls.db_args = ["--database", cls.pg.url]
        cls.servers: list[Server] = []
        try:
            cls.admin_cli("create-staff", "--login", "admin", "--person", ADMIN, "--name", "张霞", stdin=PASSWORD + "\n")
            cls.server = cls.start_server()
            cls.staff = cls.login("admin", PASSWORD, "dev-admin")
            if cls.init_community:
                cls.push_ok(cls.staff, [
                    op("community.init", {"name": "仓南街社区", "admin_name": "张霞"}),
                    op("place.compound.add", {"id": "c1", "name": "一号院"}),
                    op("place.compound.add", {"id": "c2", "name": "二号院"}),
                    op("place.building.add", {"id": "b1", "compound": "c1", "name": "1"}),
                    op("place.building.add", {"id": "b2", "compound": "c2", "name": "2"}),
                    op("place.unit.add", {"id": "u1", "building": "b1", "name": "1-1"}),
                    op("place.unit.add", {"id": "u2", "building": "b2", "name": "2-1"}),
                    op("grid.add", {"id": "g1", "name": "网格一", "compounds": ["c1"]}),
                    op("grid.add", {"id": "g2", "name": "网格二", "compounds": ["c2"]}),
                ])
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        for s in cls.servers:
            s.stop()
        if cls.pg:
            cls.pg.drop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- processes

    @classmethod
    def start_server(cls, env: dict[str, str] | None = None) -> Server:
        server = EnvServer(cls.root, cls.data, ["--quiet", *cls.db_args, *cls.server_args], {**cls.server_env, **(env or {})})
        cls.servers.append(server)
        return server.start()

    @classmethod
    def admin_cli(cls, *args: str, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess:
        res = subprocess.run([PYTHON, SERVE, "admin", args[0], "--data", cls.data, *cls.db_args, *args[1:]],
                             input=stdin, capture_output=True, text=True, timeout=60)
        if check and res.returncode != 0:
            raise AssertionError(f"admin {args[0]} failed: {res.stderr}")
        return res

    # -- HTTP

    @classmethod
    def call_raw(cls, method: str, path: str, body=None, session: Session | None = None,
                 headers: dict[str, str] | None = None, server: Server | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        """One request on a new connection; returns (status, the body's bytes, response)."""
        server = server or cls.server
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            h = dict(session.headers() if session else {})
            h.update(headers or {})
            if body is not None and not isinstance(body, (bytes, str)):
                body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        return resp.status, raw, resp

    @classmethod
    def call(cls, method: str, path: str, body=None, session: Session | None = None,
             headers: dict[str, str] | None = None, server: Server | None = None) -> tuple[int, object, http.client.HTTPResponse]:
        """One request on a new connection; returns (status, parsed JSON or None, response)."""
        status, raw, resp = cls.call_raw(method, path, body, session, headers, server)
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        return status, doc, resp

    @classmethod
    def login(cls, login: str, password: str, device: str) -> Session:
        status, doc, _ = cls.call("POST", "/api/v1/login", {"login": login, "password": password, "device": device})
        assert status == 200, (status, doc)
        return Session(doc["token"], device, doc["person"])

    @classmethod
    def push(cls, session: Session, ops: list[dict], server: Server | None = None) -> tuple[int, dict]:
        status, doc, _ = cls.call("POST", "/api/v1/ops", {"ops": ops}, session, server=server)
        return status, doc

    @classmethod
    def push_ok(cls, session: Session, ops: list[dict], server: Server | None = None) -> dict:
        status, doc = cls.push(session, ops, server)
        assert status == 200, (status, doc)
        return doc

    @classmethod
    def pull_all(cls, session: Session | None = None, after: int = 0, limit: int = 5000) -> dict:
        ops, doc = [], None
        while True:
            status, doc, _ = cls.call("GET", f"/api/v1/ops?after={after}&limit={limit}", session=session)
            assert status == 200, (status, doc)
            ops += doc["ops"]
            if not doc["more"]:
                break
            after = doc["ops"][-1]["seq"]
        doc["ops"] = ops
        return doc

    @classmethod
    def resident(cls, name: str, unit: str, device: str | None = None, phone: str = "13800000000",
                 birth_year: int = 1950) -> Session:
        """Register and have the staff verify: a resident with a person in the log."""
        device = device or "dev-" + secrets.token_hex(4)
        status, doc, _ = cls.call("POST", "/api/v1/register", {"name": name, "phone": phone, "birth_year": birth_year,
                                                                "unit": unit, "device": device})
        assert status == 200, (status, doc)
        status, ver, _ = cls.call("POST", f"/api/v1/registrations/{doc['registration']}/verify", b"", cls.staff)
        assert status == 200, (status, ver)
        return Session(doc["token"], device, doc["person"])

    @classmethod
    def grant(cls, person: str, role: str, scope: str | None = None) -> None:
        payload = {"person": person, "role": role}
        if scope:
            payload["scope"] = scope
        cls.push_ok(cls.staff, [op("role.grant", payload)])

    def assert_error(self, status: int, doc, want_status: int, code: str) -> dict:
        self.assertEqual(status, want_status, doc)
        self.assertIsInstance(doc, dict, doc)
        self.assertEqual(doc["error"]["code"], code, doc)
        self.assertIsInstance(doc["error"]["message"], str)
        return doc["error"]


class EnvServer(Server):
    """test_serve.Server with extra environment variables (the crash hooks)."""

    def __init__(self, root: str, data: str, extra: list[str], env: dict[str, str]):
        super().__init__(root, data, extra)
        self.env = env

    def _launch(self) -> str:
        old = dict(os.environ)
        os.environ.update(self.env)
        try:
            return super()._launch()
        finally:
            os.environ.clear()
            os.environ.update(old)


def with_postgres(namespace: dict, *classes: type) -> None:
    """Add a ...Postgres twin of each class when a PostgreSQL URL is given."""
    if not os.environ.get(PG_ENV):
        return
    for cls in classes:
        name = cls.__name__ + "Postgres"
        namespace[name] = type(name, (cls,), {"backend": "postgres", "__module__": cls.__module__})


