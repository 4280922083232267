#!/usr/bin/env python3
"""serve.py: the Sihui web server (Python 3.11 standard library only).

It serves the built WebAssembly app from a folder of static files and answers
the JSON API under /api/v1/. Run it from anywhere:

    python3 serve.py [--host HOST] [--port N] [--root DIR] [--data DIR] [--quiet]

Flags:
    --host HOST  address to listen on (default 127.0.0.1, this computer only)
    --port N     TCP port (default 8000; 0 picks a free port)
    --root DIR   folder of built static files, must hold index.html
                 (default: build/web/dist next to this script)
    --data DIR   folder for server data, created if missing
                 (default: data/ next to this script)
    --quiet      do not log one line per request to stderr

On start it prints exactly one line to stdout, `Sihui is running at http://HOST:PORT/`.
It exits with status 2 and one sentence on stderr when it cannot start (no built
app, unreadable folder, unusable data folder, port in use), and with status 0 on
Ctrl-C or SIGTERM.

The build id reported by GET /api/v1/health comes from ROOT/build.json
(`{"build": "..."}`); it is re-read when that file changes, and a malformed file
is ignored with one warning line.

Checklist:
    [X] static files with a fixed content-type table (application/wasm, ...)
    [X] precompressed FILE.br / FILE.gz picked from Accept-Encoding q-values; Vary
    [X] cache rule: content-hashed names immutable; all else no-cache + strong ETag, 304
    [X] path safety: "..", encoded slashes, backslashes, NUL, dotfiles, symlinks out
    [X] one-sentence start-up errors: no built app, unreadable folder, data folder, port
    [X] small router for /api/v1/ with JSON errors; GET /api/v1/health
    [X] common security headers in one place (common_headers)
    [ ] sync API: push/pull of operations, SQLite under --data (later issue)
    [ ] accounts (later issue)
    [ ] redaction of personal fields per reader (later issue)
    [ ] iCalendar feeds (later issue)
    [ ] Content-Security-Policy frame-ancestors for the embed (later issue; add it in
        common_headers)

Sections (search for "# [SECTION]"): Settings, Static files, API, HTTP, Start-up.
See docs/decisions/0004-serve-py.md for why it is built this way.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import errno
import hashlib
import http.server
import json
import os
import re
import signal
import socket
import socketserver
import stat
import sys
import tempfile
import threading
import time
import urllib.parse
from email.message import Message
from typing import Any, Callable

# [SECTION] Settings ----------------------------------------------------------

PROG = "serve.py"
SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.join(SCRIPT_DIR, "build", "web", "dist")
DEFAULT_DATA = os.path.join(SCRIPT_DIR, "data")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# Content types by lower-case extension of the name in the URL. A fixed table,
# not the mimetypes module, so the answer never depends on the machine.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".data": "application/octet-stream",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# Precompressed siblings, best first: FILE.br, then FILE.gz.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
ENCODING_ALIASES = {"x-gzip": "gzip"}

# "name.3fa9c2d1e0.wasm", "app-1a2b3c4d.js": a "." or "-", 8 to 64 hex digits,
# then the extension. Such a name changes whenever its bytes change.
HASHED_NAME = re.compile(r"[.-][0-9a-fA-F]{8,64}\.[A-Za-z0-9]+$")
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"
CACHE_NONE = "no-store"

# Files up to this size are read whole, so the ETag is the hash of exactly the
# bytes sent even if a build rewrites the file meanwhile. Larger ones stream.
READ_WHOLE_LIMIT = 8 * 1024 * 1024
COPY_CHUNK = 64 * 1024
API_PREFIX = "/api/"
QVALUE = re.compile(r"^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")
DRIVE = re.compile(r"^[A-Za-z]:")


def common_headers() -> list[tuple[str, str]]:
    """Headers sent on every response, static or API, success or error.

    Hook for later issues: the Content-Security-Policy frame-ancestors rule for
    the embed page belongs here.
    """
    return [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]


# [SECTION] Static files ------------------------------------------------------


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), DEFAULT_CONTENT_TYPE)


def is_hashed_name(name: str) -> bool:
    return HASHED_NAME.search(name) is not None


def parse_accept_encoding(value: str | None) -> dict[str, float]:
    """Return {coding: q} from an Accept-Encoding header (RFC 9110, 12.5.3).

    An entry with a malformed q-value is dropped, which refuses that coding.
    """
    prefs: dict[str, float] = {}
    if not value:
        return prefs
    for item in value.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q: float | None = 1.0
        for param in params.split(";"):
            key, _, val = param.partition("=")
            if key.strip().lower() == "q":
                val = val.strip()
                q = float(val) if QVALUE.match(val) else None
        if q is not None:
            prefs[ENCODING_ALIASES.get(name, name)] = q
    return prefs


def acceptable_encodings(header: str | None) -> list[tuple[str, str]]:
    """The precompressed variants the client accepts, best first.

    Highest q wins; on a tie br beats gzip. q=0 means refused. Without the
    header we send the raw file (what browsers expect of a static server).
    """
    prefs = parse_accept_encoding(header)
    wildcard = prefs.get("*", 0.0)
    ranked = []
    for rank, (coding, suffix) in enumerate(ENCODINGS):
        q = prefs.get(coding, wildcard)
        if q > 0:
            ranked.append((-q, rank, coding, suffix))
    ranked.sort()
    return [(coding, suffix) for _, _, coding, suffix in ranked]


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/ prefixes are ignored."""
    if header.strip() == "*":
        return True
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def make_etag(digest: bytes) -> str:
    return '"sha256-' + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=") + '"'


def is_inside(root: str, path: str) -> bool:
    try:
        return os.path.commonpath([root, path]) == root
    except ValueError:
        return False


def has_hidden_part(parts: list[str]) -> bool:
    """Dotfiles and dot-folders are private, except a leading /.well-known/."""
    for i, part in enumerate(parts):
        if part.startswith(".") and not (i == 0 and part == ".well-known"):
            return True
    return False


def url_segments(raw_path: str) -> tuple[list[str], bool] | None:
    """Decode a raw URL path once and check it; None means "answer 404".

    Returns the path segments (empty ones dropped) and whether the path ended
    in "/". Refused: encoded "/" or "\\" or NUL, bytes that are not UTF-8,
    control characters, backslashes, "." and ".." segments, dotfiles (except
    /.well-known/), drive letters.
    """
    lowered = raw_path.lower()
    if not raw_path.startswith("/") or any(e in lowered for e in ("%2f", "%5c", "%00")):
        return None
    try:
        decoded = urllib.parse.unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or any(ord(c) < 0x20 or ord(c) == 0x7F for c in decoded):
        return None
    segments = [s for s in decoded.split("/") if s]
    if any(s == ".." or DRIVE.match(s) for s in segments) or has_hidden_part(segments):
        return None
    return segments, decoded.endswith("/")


@dataclasses.dataclass
class StaticTarget:
    url_name: str  # last name in the URL ("index.html" for a folder): decides type and caching
    logical: str  # ROOT/<url path> before symlinks are resolved; siblings .br/.gz hang off it
    real: str  # the resolved file, known to be inside the root


@dataclasses.dataclass
class OpenedFile:
    file: Any  # binary file object, owned by the caller
    st: os.stat_result
    coding: str | None  # Content-Encoding, or None for the raw file


class StaticFiles:
    """Maps URL paths to files inside one root folder, and nothing outside it."""

    def __init__(self, root_real: str):
        self.root = root_real
        self._etags: dict[tuple[int, int, int, int], str] = {}
        self._etags_lock = threading.Lock()

    def contained(self, path: str) -> str | None:
        """Resolve symlinks; return the real path if it is inside the root and not hidden."""
        real = os.path.realpath(path)
        if not is_inside(self.root, real):
            return None
        rel = os.path.relpath(real, self.root)
        if rel != "." and has_hidden_part(rel.split(os.sep)):
            return None
        return real

    def resolve(self, raw_path: str) -> StaticTarget | None:
        checked = url_segments(raw_path)
        if checked is None:
            return None
        segments, wants_folder = checked
        logical = os.path.join(self.root, *segments)
        real = self.contained(logical)
        if real is None:
            return None
        url_name = segments[-1] if segments else "index.html"
        if os.path.isdir(real):
            logical = os.path.join(logical, "index.html")
            real = self.contained(logical)
            url_name = "index.html"
            if real is None:
                return None
        elif wants_folder:
            return None
        if not os.path.isfile(real):
            return None
        return StaticTarget(url_name, logical, real)

    def open(self, target: StaticTarget, accept_encoding: str | None) -> OpenedFile:
        """Open the best accepted variant; raises OSError if even the raw file fails."""
        for coding, suffix in acceptable_encodings(accept_encoding):
            variant = self.contained(target.logical + suffix)
            if variant is None:
                continue
            opened = self._open_regular(variant, coding)
            if opened is not None:
                return opened
        f = open(target.real, "rb")
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            f.close()
            raise FileNotFoundError(target.real)
        return OpenedFile(f, st, None)

    @staticmethod
    def _open_regular(path: str, coding: str) -> OpenedFile | None:
        try:
            f = open(path, "rb")
        except OSError:
            return None
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            f.close()
            return None
        return OpenedFile(f, st, coding)

    def etag_of_stream(self, f: Any, st: os.stat_result) -> str:
        """ETag of a large file, cached by identity and modification time."""
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with self._etags_lock:
            tag = self._etags.get(key)
        if tag is None:
            h = hashlib.sha256()
            while chunk := f.read(COPY_CHUNK):
                h.update(chunk)
            f.seek(0)
            tag = make_etag(h.digest())
            with self._etags_lock:
                if len(self._etags) > 1024:
                    self._etags.clear()
                self._etags[key] = tag
        return tag


# [SECTION] API ---------------------------------------------------------------


class ApiError(Exception):
    """An API failure: sent as {"error": {"code": ..., "message": ...}}."""

    def __init__(self, status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code  # stable, machine-readable, snake_case; clients switch on it
        self.message = message  # one sentence for people
        self.headers = headers or []


@dataclasses.dataclass
class ApiResponse:
    status: int
    payload: Any  # anything json.dumps accepts
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Request:
    method: str  # "GET", "POST", ...; HEAD arrives as HEAD at a GET handler
    path: str  # raw path without the query string
    query: dict[str, list[str]]
    headers: Message
    read_body: Callable[[int], bytes]  # read_body(limit) -> the whole body, or ApiError

    def json(self, limit: int = 1024 * 1024) -> Any:
        body = self.read_body(limit)
        try:
            return json.loads(body)
        except ValueError:
            raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from None


ApiHandler = Callable[[Request], ApiResponse]


class Router:
    """(method, path) -> handler. A path ending in "/" matches as a prefix.

    The longest matching path wins. HEAD is answered by the GET handler.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[str, str, ApiHandler]] = []

    def add(self, method: str, path: str, handler: ApiHandler) -> None:
        self._routes.append((method.upper(), path, handler))

    def match(self, method: str, path: str) -> tuple[ApiHandler | None, list[str]]:
        """Return (handler or None, methods allowed at the best-matching path)."""
        best = -1
        candidates: dict[str, ApiHandler] = {}
        for route_method, route_path, handler in self._routes:
            hit = path == route_path or (route_path.endswith("/") and path.startswith(route_path))
            if not hit or len(route_path) < best:
                continue
            if len(route_path) > best:
                best, candidates = len(route_path), {}
            candidates.setdefault(route_method, handler)
        if "GET" in candidates:
            candidates.setdefault("HEAD", candidates["GET"])
        return candidates.get(method), sorted(candidates)


class App:
    """Everything a request needs: the static files, the data folder, the routes."""

    def __init__(self, root_real: str, root_display: str, data_dir: str, quiet: bool):
        self.static = StaticFiles(root_real)
        self.root = root_real
        self.root_display = root_display
        self.data_dir = data_dir
        self.quiet = quiet
        self._print_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._build_key: tuple[int, int, int] | None = None
        self._build_id: str | None = None
        self.router = Router()
        self.router.add("GET", "/api/v1/health", self.api_health)
        # Later issues: self.router.add("POST", "/api/v1/ops", ...), ("GET", "/api/v1/ops", ...)

    def log(self, line: str) -> None:
        if not self.quiet:
            self.print_err(line)

    def print_err(self, line: str) -> None:
        with self._print_lock:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def build_id(self) -> str | None:
        """The "build" string of ROOT/build.json, re-read when the file changes."""
        path = self.static.contained(os.path.join(self.root, "build.json"))
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._build_lock:
            if key == self._build_key:
                return self._build_id
            value = None
            try:
                with open(path, "rb") as f:
                    doc = json.loads(f.read(1024 * 1024))
                if isinstance(doc, dict) and isinstance(doc.get("build"), str) and doc["build"].strip():
                    value = doc["build"]
            except (OSError, ValueError):
                pass
            if value is None:
                self.print_err(
                    f"{PROG}: warning: ignoring {os.path.join(self.root_display, 'build.json')} "
                    'because it is not JSON of the form {"build": "..."}.'
                )
            self._build_key, self._build_id = key, value
            return value

    def api_health(self, request: Request) -> ApiResponse:
        return ApiResponse(200, {"ok": True, "build": self.build_id()})


# [SECTION] HTTP --------------------------------------------------------------

ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    505: "http_version_not_supported",
}


def printable(text: str, limit: int = 300) -> str:
    """Escape control and non-ASCII characters so a log line stays one safe line."""
    out = "".join(c if 0x20 < ord(c) < 0x7F else f"\\x{ord(c):02x}" for c in text[:limit])
    return out + ("..." if len(text) > limit else "")


class SihuiHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response has Content-Length
    server_version = "Sihui"
    timeout = 30  # seconds an idle keep-alive connection may hold a thread

    server: "SihuiServer"

    def __getattr__(self, name: str) -> Any:
        # Every method (GET, POST, PROPFIND, ...) goes to one dispatcher, which
        # answers 405 where a method is not allowed instead of the stdlib's 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    @property
    def app(self) -> App:
        return self.server.app

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    # -- request life cycle

    def parse_request(self) -> bool:
        self._started = time.monotonic()
        self._headers_sent = False
        self._body_pending = False
        return super().parse_request()

    def _dispatch(self) -> None:
        self._body_pending = self._has_body()
        path = self.path.partition("?")[0].partition("#")[0]
        query = self.path.partition("?")[2].partition("#")[0]
        is_api = path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX)
        try:
            if is_api:
                self._handle_api(path, query)
            else:
                self._handle_static(path)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # a bug: answer 500, log one line, keep serving
            self.app.print_err(
                f"{PROG}: internal error on {self.command} {printable(path)}: {type(exc).__name__}: {exc}"
            )
            if self._headers_sent:
                self.close_connection = True
            elif is_api:
                error = {"code": "internal_error", "message": "The server failed; see its log."}
                self._send_json(500, {"error": error})
            else:
                self._send_text(500, "Internal server error.\n")

    def _has_body(self) -> bool:
        if self.headers.get("Transfer-Encoding"):
            return True
        length = self.headers.get("Content-Length")
        if not length:
            return False
        try:
            return int(length) != 0
        except ValueError:
            return True

    def _read_body(self, limit: int) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise ApiError(411, "length_required", "Send the request body with a Content-Length header.")
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            raise ApiError(400, "bad_request", "The Content-Length header is not a number.") from None
        if length < 0:
            raise ApiError(400, "bad_request", "The Content-Length header is negative.")
        if length > limit:
            raise ApiError(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
        body = self.rfile.read(length)
        if len(body) != length:
            raise ConnectionError("client sent a short body")
        self._body_pending = False
        return body

    # -- responses

    def _start(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in common_headers() + headers:
            self.send_header(name, value)
        if self._body_pending:
            # We did not read the request body, so the connection cannot be reused.
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self._headers_sent = True

    def _send_bytes(self, status: int, content_type: str, body: bytes,
                    headers: list[tuple[str, str]] | None = None) -> None:
        base = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        self._start(status, base + (headers or []))
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_text(self, status: int, text: str, headers: list[tuple[str, str]] | None = None) -> None:
        extra = [("Cache-Control", CACHE_NONE)] + (headers or [])
        self._send_bytes(status, "text/plain; charset=utf-8", text.encode("utf-8"), extra)

    def _send_json(self, status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        extra = [("Cache-Control", CACHE_NONE)] + (headers or [])
        self._send_bytes(status, "application/json", body, extra)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Used by the stdlib for malformed requests: a small body, never HTML."""
        self.close_connection = True
        self._body_pending = False
        short = self.responses.get(code, ("Error", ""))[0]
        path = getattr(self, "path", "") or ""
        headers = [("Connection", "close")]
        if path.startswith(API_PREFIX):
            code_name = ERROR_CODES.get(code, f"http_{code}")
            self._send_json(code, {"error": {"code": code_name, "message": f"{short}."}}, headers)
        else:
            self._send_text(code, f"{short}.\n", headers)

    # -- logging: one compact line per request, "METHOD PATH STATUS MS"

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        started = getattr(self, "_started", None)
        ms = (time.monotonic() - started) * 1000 if started is not None else 0.0
        method = printable(getattr(self, "command", None) or "-")
        path = printable(getattr(self, "path", None) or "-")
        status = int(code) if isinstance(code, int) else code
        self.app.log(f"{method} {path} {status} {ms:.1f}ms")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # stdlib chatter (timeouts, send_error notes) stays out of the log

    # -- static files

    def _handle_static(self, path: str) -> None:
        if self.command not in ("GET", "HEAD"):
            self._send_text(405, "Method not allowed.\n", [("Allow", "GET, HEAD")])
            return
        static = self.app.static
        target = static.resolve(path)
        if target is None:
            self._send_text(404, "Not found.\n")
            return
        try:
            opened = static.open(target, self.headers.get("Accept-Encoding"))
        except PermissionError:
            self._send_text(403, "Forbidden.\n")
            return
        except OSError:
            self._send_text(404, "Not found.\n")
            return
        with opened.file as f:
            self._send_file(target, opened, f)

    def _send_file(self, target: StaticTarget, opened: OpenedFile, f: Any) -> None:
        hashed = is_hashed_name(target.url_name)
        headers = [("Content-Type", content_type_for(target.url_name)), ("Vary", "Accept-Encoding")]
        if opened.coding:
            headers.append(("Content-Encoding", opened.coding))
        body: bytes | None = None
        if opened.st.st_size <= READ_WHOLE_LIMIT:
            body = f.read(READ_WHOLE_LIMIT + 1)
            length = len(body)
        else:
            length = opened.st.st_size
        if hashed:
            headers.append(("Cache-Control", CACHE_IMMUTABLE))
        else:
            if body is not None:
                etag = make_etag(hashlib.sha256(body).digest())
            else:
                etag = self.app.static.etag_of_stream(f, opened.st)
            headers += [("Cache-Control", CACHE_REVALIDATE), ("ETag", etag)]
            if etag_matches(self.headers.get("If-None-Match") or "", etag):
                self._start(304, [h for h in headers if h[0] in ("Vary", "Cache-Control", "ETag")])
                return
        headers.append(("Content-Length", str(length)))
        self._start(200, headers)
        if self.command == "HEAD":
            return
        if body is not None:
            self.wfile.write(body)
            return
        remaining = length
        while remaining > 0:
            chunk = f.read(min(COPY_CHUNK, remaining))
            if not chunk:  # the file shrank while we sent it
                self.close_connection = True
                return
            self.wfile.write(chunk)
            remaining -= len(chunk)

    # -- API

    def _handle_api(self, path: str, query: str) -> None:
        handler, allowed = self.app.router.match(self.command, path)
        try:
            if handler is None:
                if allowed:
                    raise ApiError(
                        405, "method_not_allowed", f"This route accepts {', '.join(allowed)}.",
                        [("Allow", ", ".join(allowed))],
                    )
                raise ApiError(404, "not_found", "There is no API route at this path.")
            request = Request(
                method=self.command,
                path=path,
                query=urllib.parse.parse_qs(query, keep_blank_values=True),
                headers=self.headers,
                read_body=self._read_body,
            )
            response = handler(request)
        except ApiError as err:
            response = ApiResponse(err.status, {"error": {"code": err.code, "message": err.message}}, err.headers)
        self._send_json(response.status, response.payload, response.headers)


class SihuiServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for idle keep-alive connections on exit
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], app: App):
        self.app = app
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, SihuiHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a DNS lookup that
        # can hang for seconds on machines without a resolver; we do not need it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser went away: normal
        self.app.print_err(f"{PROG}: error on a connection from {client_address[0]}: {type(exc).__name__}: {exc}")


# [SECTION] Start-up ----------------------------------------------------------


class StartupError(Exception):
    """One sentence for the person who started the server; exit status 2."""


def display_path(path: str) -> str:
    """A path as short as possible: relative to the current folder if inside it."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute)
    return absolute if rel == ".." or rel.startswith(".." + os.sep) else rel


def reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def check_root(root: str) -> str:
    """Return the real path of the build folder, or raise StartupError."""
    shown = display_path(root)
    missing = f"no built app in {shown} — run ./sihui build first."
    unreadable = f"cannot read {shown} (permission denied); fix its permissions or pass --root DIR."
    try:
        st = os.stat(root)
    except (FileNotFoundError, NotADirectoryError):
        raise StartupError(missing) from None
    except PermissionError:
        raise StartupError(unreadable) from None
    except OSError as exc:
        raise StartupError(f"cannot read {shown} ({reason(exc)}); pass --root DIR.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise StartupError(missing)
    try:
        os.listdir(root)
    except PermissionError:
        raise StartupError(unreadable) from None
    except OSError as exc:
        raise StartupError(f"cannot read {shown} ({reason(exc)}); pass --root DIR.") from None
    index = os.path.join(root, "index.html")
    if not os.path.isfile(index):
        raise StartupError(missing)
    try:
        with open(index, "rb"):
            pass
    except OSError as exc:
        raise StartupError(
            f"cannot read {os.path.join(shown, 'index.html')} ({reason(exc)}); fix its permissions or pass --root DIR."
        ) from None
    return os.path.realpath(root)


def prepare_data(data: str) -> str:
    """Create the data folder if needed and prove it is writable, or raise StartupError."""
    shown = display_path(data)
    try:
        os.makedirs(data, exist_ok=True)
    except FileExistsError:
        raise StartupError(f"cannot use {shown} as the data folder because it is a file; pass --data DIR.") from None
    except OSError as exc:
        raise StartupError(
            f"cannot create the data folder {shown} ({reason(exc)}); pass --data DIR with a writable folder."
        ) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=data)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StartupError(
            f"cannot write to the data folder {shown} ({reason(exc)}); pass --data DIR with a writable folder."
        ) from None
    return os.path.abspath(data)


def bind_message(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; stop the other server or pass --port N."
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} on {host}; pass --port N with N above 1023."
    if isinstance(exc, socket.gaierror):
        return f"cannot find the address of {host}; pass --host with an IP address such as 127.0.0.1."
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host} because it is not an address of this computer; pass --host 127.0.0.1."
    return f"cannot listen on {host} port {port} ({reason(exc)}); try another --host or --port."


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not between 0 and 65535")
    return port


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description="Serve the built Sihui app and its API.")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, metavar="N",
                        help="TCP port, 0 for any free one (default %(default)s)")
    parser.add_argument("--root", default=DEFAULT_ROOT, metavar="DIR",
                        help="folder of built static files (default: build/web/dist next to serve.py)")
    parser.add_argument("--data", default=DEFAULT_DATA, metavar="DIR",
                        help="folder for server data, created if missing (default: data/ next to serve.py)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    root_real = check_root(args.root)
    data_dir = prepare_data(args.data)
    app = App(root_real, display_path(args.root), data_dir, args.quiet)
    app.build_id()  # warn about a malformed build.json now rather than on the first request
    try:
        server = SihuiServer((args.host, args.port), app)
    except OSError as exc:
        raise StartupError(bind_message(exc, args.host, args.port)) from None
    port = server.server_address[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    try:
        print(f"Sihui is running at http://{host}:{port}/", flush=True)
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        args = parse_args(argv)
        return run(args)
    except StartupError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return 2
    except KeyboardInterrupt:  # Ctrl-C: stop quietly
        return 0


if __name__ == "__main__":
    sys.exit(main())
