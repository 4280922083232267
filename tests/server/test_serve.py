"""Tests for serve.py, run against the real script in a subprocess.

Run from the repository root:

    /usr/bin/python3 -m unittest discover -s tests/server -v

Standard library only (plus Debian's python3-brotli when present, to make a
real .br fixture). Each class builds its own fixture folder and server.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

try:
    import brotli  # Debian python3-brotli, for /usr/bin/python3
except ImportError:  # pragma: no cover - depends on the machine
    brotli = None

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVE = os.path.join(REPO, "serve.py")
PYTHON = sys.executable
START_TIMEOUT = 10.0

WASM = b"\x00asm\x01\x00\x00\x00" + b"sihui wasm payload " * 200
INDEX = b"<!doctype html><meta charset=utf-8><title>Sihui</title><script src=app-1a2b3c4d.js></script>\n"
SECRET = b"TOP-SECRET-OUTSIDE-THE-ROOT\n"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def without_epoch(health: dict) -> dict:
    """GET /api/v1/health without its "epoch" (random per database), after checking it is there."""
    epoch = health.pop("epoch", None)
    assert isinstance(epoch, str) and epoch, health
    return health


def run_serve(args: list[str], timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
    """Run serve.py expecting it to stop by itself (start-up errors)."""
    return subprocess.run(
        [PYTHON, SERVE, *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


class Server:
    """serve.py in a subprocess on a free port; stderr goes to a file we can read."""

    def __init__(self, root: str, data: str, extra: list[str] | None = None):
        self.root, self.data, self.extra = root, data, extra or []
        self.proc: subprocess.Popen | None = None
        self.err = tempfile.TemporaryFile()
        self.port = 0

    def start(self) -> "Server":
        for _ in range(3):  # the free port may be taken between probe and bind: retry
            self.port = free_port()
            line = self._launch()
            if line == f"Sihui is running at http://127.0.0.1:{self.port}/":
                return self
            self.proc.wait(timeout=5)
            if "already in use" not in self.stderr():
                break
        raise AssertionError(f"serve.py did not start: stdout={line!r} stderr={self.stderr()!r}")

    def _launch(self) -> str:
        self.err.seek(0)
        self.err.truncate()
        self.proc = subprocess.Popen(
            [PYTHON, SERVE, "--host", "127.0.0.1", "--port", str(self.port),
             "--root", self.root, "--data", self.data, *self.extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.err,
            # A shell running `./sihui test &` starts it with SIGINT ignored, and children inherit
            # that; the servers here stand for one started in a terminal, where Ctrl-C reaches it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        buf = b""
        deadline = time.monotonic() + START_TIMEOUT
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while b"\n" not in buf:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    break
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
        return buf.decode("utf-8", "replace").strip()

    def stderr(self) -> str:
        self.err.flush()
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
            self.proc.stdout.close()
        self.err.close()


class ServerTestCase(unittest.TestCase):
    """Base: a temp folder with ROOT (the build) and OUTSIDE (must never leak)."""

    server_args: list[str] = ["--quiet"]

    @classmethod
    def make_fixtures(cls, root: str, outside: str) -> None:
        raise NotImplementedError

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.mkdtemp(prefix="sihui-serve-test-")
        cls.root = os.path.join(cls.tmp, "root")
        cls.outside = os.path.join(cls.tmp, "outside")
        os.makedirs(cls.root)
        os.makedirs(cls.outside)
        cls.make_fixtures(cls.root, cls.outside)
        cls.data = os.path.join(cls.tmp, "state", "nested", "data")
        cls.server = Server(cls.root, cls.data, cls.server_args)
        try:
            cls.server.start()
        except BaseException:
            cls.server.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        self.addCleanup(conn.close)
        return conn

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None, accept_encoding: bool = True) -> tuple[http.client.HTTPResponse, bytes]:
        """Send PATH exactly as given (http.client does not normalise it)."""
        conn = self.connect()
        if accept_encoding:
            conn.request(method, path, body=body, headers=headers or {})
        else:  # no Accept-Encoding header at all
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders(body)
        resp = conn.getresponse()
        return resp, resp.read()


class StaticAndApiTests(ServerTestCase):
    server_args = []  # not quiet: one test checks the request log

    @classmethod
    def make_fixtures(cls, root: str, outside: str) -> None:
        write(os.path.join(root, "index.html"), INDEX)
        write(os.path.join(root, "index.html.gz"), gzip.compress(INDEX, mtime=0))
        write(os.path.join(root, "app.0123abcd.wasm"), WASM)
        write(os.path.join(root, "app.0123abcd.wasm.gz"), gzip.compress(WASM, mtime=0))
        cls.wasm_br = brotli.compress(WASM) if brotli else b"fake brotli bytes"
        write(os.path.join(root, "app.0123abcd.wasm.br"), cls.wasm_br)
        write(os.path.join(root, "app-1a2b3c4d.js"), b"console.log('hashed');\n")
        write(os.path.join(root, "embed.js"), b"console.log('embed');\n")
        write(os.path.join(root, "manifest.webmanifest"), b'{"name": "Sihui"}\n')
        write(os.path.join(root, "build.json"), b'{"build": "test-build-1"}\n')
        write(os.path.join(root, "sub", "index.html"), b"<p>sub</p>\n")
        os.makedirs(os.path.join(root, "emptydir"))
        write(os.path.join(root, ".secret"), SECRET)
        write(os.path.join(root, "sub", ".env"), SECRET)
        write(os.path.join(root, ".well-known", "security.txt"), b"Contact: mailto:a@example.org\n")
        write(os.path.join(root, "inside.txt"), b"inside text\n")
        write(os.path.join(root, "notes.txt"), b"notes raw\n")
        write(os.path.join(outside, "secret.txt"), SECRET)
        write(os.path.join(outside, "evil.gz"), gzip.compress(SECRET, mtime=0))
        write(os.path.join(outside, "dir", "file.txt"), SECRET)
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(root, "link-out.txt"))
        os.symlink(os.path.join(outside, "dir"), os.path.join(root, "link-dir-out"))
        os.symlink(os.path.join(root, "inside.txt"), os.path.join(root, "link-in.txt"))
        os.symlink("sub", os.path.join(root, "link-sub"))
        os.symlink(os.path.join(outside, "evil.gz"), os.path.join(root, "notes.txt.gz"))
        os.symlink(os.path.join(root, ".secret"), os.path.join(root, "link-to-dotfile.txt"))

    # -- basics

    def test_root_serves_index_with_common_headers(self):
        resp, body = self.request("GET", "/")
        self.assertEqual(resp.status, 200)
        self.assertEqual(body, INDEX)
        self.assertEqual(resp.getheader("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(resp.getheader("Referrer-Policy"), "same-origin")
        self.assertEqual(resp.getheader("Content-Length"), str(len(INDEX)))

    def test_head_sends_headers_only(self):
        resp, body = self.request("HEAD", "/index.html")
        self.assertEqual(resp.status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(resp.getheader("Content-Length"), str(len(INDEX)))
        self.assertIsNotNone(resp.getheader("ETag"))

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = self.connect()
        for path in ("/", "/embed.js", "/api/v1/health"):
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200, path)

    def test_folder_serves_its_index_or_404(self):
        for path in ("/sub/", "/sub", "/link-sub/"):
            resp, body = self.request("GET", path)
            self.assertEqual((resp.status, body), (200, b"<p>sub</p>\n"), path)
        for path in ("/emptydir/", "/emptydir", "/missing.html", "/index.html/"):
            resp, _ = self.request("GET", path)
            self.assertEqual(resp.status, 404, path)

    def test_query_string_is_ignored_for_files(self):
        resp, body = self.request("GET", "/index.html?v=2")
        self.assertEqual((resp.status, body), (200, INDEX))

    # -- content types

    def test_content_types(self):
        cases = {
            "/app.0123abcd.wasm": "application/wasm",
            "/app-1a2b3c4d.js": "text/javascript; charset=utf-8",
            "/manifest.webmanifest": "application/manifest+json",
            "/build.json": "application/json",
            "/inside.txt": "text/plain; charset=utf-8",
            "/app.0123abcd.wasm.gz": "application/octet-stream",
        }
        for path, expected in cases.items():
            resp, _ = self.request("GET", path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.getheader("Content-Type"), expected, path)
            self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff", path)

    # -- compression

    def test_br_chosen_when_accepted(self):
        resp, body = self.request("GET", "/app.0123abcd.wasm", {"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Encoding"), "br")
        self.assertEqual(resp.getheader("Content-Type"), "application/wasm")
        self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
        self.assertEqual(body, self.wasm_br)
        if brotli:
            self.assertEqual(brotli.decompress(body), WASM)

    def test_gzip_when_only_gzip_accepted(self):
        resp, body = self.request("GET", "/app.0123abcd.wasm", {"Accept-Encoding": "gzip"})
        self.assertEqual(resp.getheader("Content-Encoding"), "gzip")
        self.assertEqual(resp.getheader("Content-Type"), "application/wasm")
        self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
        self.assertEqual(gzip.decompress(body), WASM)

    def test_raw_when_no_encoding_accepted(self):
        for headers, send_header in (({}, False), ({"Accept-Encoding": "identity"}, True)):
            resp, body = self.request("GET", "/app.0123abcd.wasm", headers, accept_encoding=send_header)
            self.assertIsNone(resp.getheader("Content-Encoding"), headers)
            self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
            self.assertEqual(body, WASM)

    def test_q_zero_refuses_br(self):
        resp, body = self.request("GET", "/app.0123abcd.wasm", {"Accept-Encoding": "identity;q=1, br;q=0"})
        self.assertIsNone(resp.getheader("Content-Encoding"))
        self.assertEqual(body, WASM)

    def test_q_values_pick_the_best_accepted_variant(self):
        cases = {
            "br;q=0, gzip;q=0.5": "gzip",
            "BR;Q=0.9, gzip;q=0.8": "br",
            "gzip;q=1, br;q=0.2": "gzip",
            "*;q=0.1": "br",
            "*, br;q=0": "gzip",
            "x-gzip": "gzip",
            "br;q=2, gzip;q=0": None,  # malformed q: the entry is dropped
            "br;q=0.000": None,
        }
        for header, expected in cases.items():
            resp, _ = self.request("GET", "/app.0123abcd.wasm", {"Accept-Encoding": header})
            self.assertEqual(resp.getheader("Content-Encoding"), expected, header)

    def test_variant_symlinked_out_of_root_is_not_used(self):
        resp, body = self.request("GET", "/notes.txt", {"Accept-Encoding": "gzip"})
        self.assertEqual(resp.status, 200)
        self.assertIsNone(resp.getheader("Content-Encoding"))
        self.assertEqual(body, b"notes raw\n")

    # -- caching

    def test_hashed_names_are_immutable(self):
        for path in ("/app.0123abcd.wasm", "/app-1a2b3c4d.js"):
            resp, _ = self.request("GET", path, {"Accept-Encoding": "br"})
            self.assertEqual(resp.getheader("Cache-Control"), "public, max-age=31536000, immutable", path)
            self.assertIsNone(resp.getheader("ETag"), path)

    def test_unhashed_names_are_revalidated_with_etag(self):
        for path in ("/", "/index.html", "/embed.js", "/manifest.webmanifest", "/build.json"):
            resp, _ = self.request("GET", path)
            self.assertEqual(resp.getheader("Cache-Control"), "no-cache", path)
            etag = resp.getheader("ETag")
            self.assertRegex(etag, r'^"sha256-[A-Za-z0-9_-]{43}"$', path)

    def test_if_none_match_gives_304(self):
        resp, _ = self.request("GET", "/")
        etag = resp.getheader("ETag")
        for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            resp, body = self.request("GET", "/", {"If-None-Match": header})
            self.assertEqual(resp.status, 304, header)
            self.assertEqual(body, b"")
            self.assertEqual(resp.getheader("ETag"), etag)
            self.assertEqual(resp.getheader("Cache-Control"), "no-cache")
            self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
        resp, body = self.request("GET", "/", {"If-None-Match": '"sha256-stale"'})
        self.assertEqual((resp.status, body), (200, INDEX))

    def test_etag_differs_between_encodings(self):
        raw, raw_body = self.request("GET", "/")
        gz, gz_body = self.request("GET", "/", {"Accept-Encoding": "gzip"})
        self.assertEqual(gz.getheader("Content-Encoding"), "gzip")
        self.assertEqual(gz.getheader("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(gzip.decompress(gz_body), raw_body)
        self.assertNotEqual(raw.getheader("ETag"), gz.getheader("ETag"))
        resp, _ = self.request("GET", "/", {"Accept-Encoding": "gzip", "If-None-Match": raw.getheader("ETag")})
        self.assertEqual(resp.status, 200)  # the raw file's ETag does not validate the gzip one

    # -- path safety

    def assertRefused(self, path: str) -> None:
        resp, body = self.request("GET", path)
        self.assertEqual(resp.status, 404, path)
        self.assertNotIn(b"TOP-SECRET", body, path)
        self.assertNotIn(b"Traceback", body, path)

    def test_traversal_attempts_fail(self):
        for path in (
            "/../etc/passwd",
            "/../outside/secret.txt",
            "/sub/../../outside/secret.txt",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/outside/secret.txt",
            "/a%2f..%2f..%2fetc%2fpasswd",
            "/..%2F..%2Foutside%2Fsecret.txt",
            "/..%5c..%5cetc",
            "/..\\outside\\secret.txt",
            "/index.html%00.txt",
            "/%c0%ae%c0%ae/etc/passwd",
            "/./index.html",
            "/C:/Windows/win.ini",
            "//etc/passwd",
        ):
            self.assertRefused(path)

    def test_symlinks_out_of_root_are_refused(self):
        for path in ("/link-out.txt", "/link-dir-out/", "/link-dir-out/file.txt", "/link-to-dotfile.txt"):
            self.assertRefused(path)

    def test_symlink_inside_root_works(self):
        resp, body = self.request("GET", "/link-in.txt")
        self.assertEqual((resp.status, body), (200, b"inside text\n"))

    def test_dotfiles_are_404_except_well_known(self):
        for path in ("/.secret", "/sub/.env", "/%2esecret"):
            self.assertRefused(path)
        resp, body = self.request("GET", "/.well-known/security.txt")
        self.assertEqual(resp.status, 200)
        self.assertTrue(body.startswith(b"Contact:"))

    def test_other_methods_on_static_paths_are_405(self):
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"):
            resp, body = self.request(method, "/index.html", body=b"x=1" if method == "POST" else None)
            self.assertEqual(resp.status, 405, method)
            self.assertEqual(resp.getheader("Allow"), "GET, HEAD", method)
            self.assertNotIn(b"<", body)

    def raw_exchange(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(request)
            data = b""
            while chunk := s.recv(4096):
                data += chunk
        return data

    def test_malformed_requests_get_small_errors(self):
        # Too many header lines: the stdlib refuses with 431, we give a plain body.
        headers = b"".join(b"X-H%d: 1\r\n" % i for i in range(120))
        data = self.raw_exchange(b"GET /index.html HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        self.assertTrue(data.startswith(b"HTTP/1.1 431 "), data[:40])
        self.assertIn(b"X-Content-Type-Options: nosniff", data)
        self.assertNotIn(b"<", data)
        # An unknown HTTP version: the stdlib answers HTTP/0.9 style (body only).
        data = self.raw_exchange(b"GET /index.html HTTP/9.9\r\n\r\n")
        self.assertIn(b"Version Not Supported", data)
        self.assertNotIn(b"<", data)
        self.assertNotIn("Traceback", self.server.stderr())

    # -- API

    def test_health(self):
        resp, body = self.request("GET", "/api/v1/health")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertEqual(without_epoch(json.loads(body)), {"ok": True, "build": "test-build-1"})
        resp, body = self.request("HEAD", "/api/v1/health")
        self.assertEqual((resp.status, body), (200, b""))

    def test_unknown_api_route_is_json_404(self):
        for path in ("/api/v1/x", "/api/v1/health/extra", "/api/nothing", "/api"):
            resp, body = self.request("GET", path)
            self.assertEqual(resp.status, 404, path)
            self.assertEqual(resp.getheader("Content-Type"), "application/json", path)
            error = json.loads(body)["error"]
            self.assertEqual(error["code"], "not_found", path)
            self.assertIsInstance(error["message"], str)

    def test_wrong_method_on_api_route_is_json_405(self):
        resp, body = self.request("POST", "/api/v1/health", body=b"{}")
        self.assertEqual(resp.status, 405)
        self.assertEqual(resp.getheader("Allow"), "GET, HEAD")
        self.assertEqual(json.loads(body)["error"]["code"], "method_not_allowed")

    # -- side effects

    def test_data_folder_is_created(self):
        self.assertTrue(os.path.isdir(self.data))
        names = os.listdir(self.data)
        self.assertIn("sihui.db", names)  # the SQLite database (decision 0012)
        self.assertEqual([n for n in names if n.startswith(".write-test-")], [])  # the probe cleans up

    def test_one_log_line_per_request(self):
        self.request("GET", "/embed.js?log-check")
        deadline = time.monotonic() + 2
        while "GET /embed.js?log-check 200 " not in self.server.stderr() and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertRegex(self.server.stderr(), r"GET /embed\.js\?log-check 200 \d+\.\dms\n")
        self.assertNotIn("Traceback", self.server.stderr())


class MalformedBuildJsonTests(ServerTestCase):
    @classmethod
    def make_fixtures(cls, root: str, outside: str) -> None:
        write(os.path.join(root, "index.html"), INDEX)
        write(os.path.join(root, "build.json"), b'{"build": ')

    def test_health_reports_null_build_and_one_warning(self):
        resp, body = self.request("GET", "/api/v1/health")
        self.assertEqual(resp.status, 200)
        self.assertEqual(without_epoch(json.loads(body)), {"ok": True, "build": None})
        err = self.server.stderr()
        self.assertNotIn("Traceback", err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("build.json", err)


class BuildJsonChangeTests(ServerTestCase):
    @classmethod
    def make_fixtures(cls, root: str, outside: str) -> None:
        write(os.path.join(root, "index.html"), INDEX)

    def test_build_json_is_reread_when_it_changes(self):
        resp, body = self.request("GET", "/api/v1/health")
        self.assertEqual(without_epoch(json.loads(body)), {"ok": True, "build": None})  # no build.json: null, no warning
        self.assertEqual(self.server.stderr(), "")
        path = os.path.join(self.root, "build.json")
        write(path, b'{"build": "second"}')
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        resp, body = self.request("GET", "/api/v1/health")
        self.assertEqual(json.loads(body)["build"], "second")
        write(path, b'{"build": 7}')
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 2_000_000_000))
        resp, body = self.request("GET", "/api/v1/health")
        self.assertIsNone(json.loads(body)["build"])


class StartupErrorTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sihui-serve-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.root = os.path.join(self.tmp, "root")
        write(os.path.join(self.root, "index.html"), INDEX)
        self.data = os.path.join(self.tmp, "data")

    def assertOneSentence(self, result: subprocess.CompletedProcess, *fragments: str) -> None:
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("serve.py: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_port_in_use(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            result = run_serve(["--port", str(port), "--root", self.root, "--data", self.data])
        self.assertOneSentence(result, str(port), "already in use", "--port")

    def test_missing_root(self):
        missing = os.path.join(self.tmp, "nope")
        result = run_serve(["--root", missing, "--data", self.data, "--port", "0"])
        self.assertOneSentence(result, "no built app", "nope", "./sihui build")

    def test_root_without_index(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        result = run_serve(["--root", empty, "--data", self.data, "--port", "0"])
        self.assertOneSentence(result, "no built app")

    def test_root_is_a_file(self):
        result = run_serve(["--root", os.path.join(self.root, "index.html"), "--data", self.data, "--port", "0"])
        self.assertOneSentence(result, "no built app")

    @unittest.skipIf(hasattr(os, "geteuid") and os.geteuid() == 0, "root can read any folder")
    def test_unreadable_root(self):
        os.chmod(self.root, 0)
        self.addCleanup(os.chmod, self.root, 0o755)
        result = run_serve(["--root", self.root, "--data", self.data, "--port", "0"])
        self.assertOneSentence(result, "cannot read")

    def test_data_is_a_file(self):
        data_file = os.path.join(self.tmp, "data-file")
        write(data_file, b"")
        result = run_serve(["--root", self.root, "--data", data_file, "--port", "0"])
        self.assertOneSentence(result, "data folder", "--data")

    def test_data_under_a_file(self):
        data_file = os.path.join(self.tmp, "data-file")
        write(data_file, b"")
        result = run_serve(["--root", self.root, "--data", os.path.join(data_file, "sub"), "--port", "0"])
        self.assertOneSentence(result, "data folder", "--data")

    def test_ctrl_c_exits_quietly(self):
        server = Server(self.root, self.data, ["--quiet"])
        self.addCleanup(server.stop)
        server.start()
        server.proc.send_signal(signal.SIGINT)
        self.assertEqual(server.proc.wait(timeout=10), 0)
        self.assertEqual(server.stderr(), "")


if __name__ == "__main__":
    unittest.main()
