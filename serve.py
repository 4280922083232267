#!/usr/bin/env python3
"""serve.py: the Sihui web server and sync server (Python 3.11 standard library only).

It serves the built WebAssembly app from a folder of static files and answers
the JSON API under /api/v1/ (the sync protocol of docs/decisions/0009). Run it
from anywhere:

    python3 serve.py [--host HOST] [--port N] [--root DIR] [--data DIR]
                     [--database postgresql://...] [--quiet]
    python3 serve.py admin COMMAND [--data DIR | --database URL] ...

Flags:
    --host HOST      address to listen on (default 127.0.0.1, this computer only)
    --port N         TCP port (default 8000; 0 picks a free port)
    --root DIR       folder of built static files, must hold index.html
                     (default: build/web/dist next to this script)
    --data DIR       folder for server data, created if missing; the SQLite
                     database is DIR/sihui.db (default: data/ next to this script)
    --database URL   keep the data in PostgreSQL instead (needs Debian's
                     python3-psycopg, imported only then); several serve.py
                     processes may share one database
    --quiet          do not log one line per request to stderr
    --embed-origin O a site allowed to frame the app (the embed, web/embed.js),
                     e.g. https://news.example.org; repeatable. Pages carry
                     Content-Security-Policy: frame-ancestors 'self' O...
    --public-origin O how others reach this server (https://sihui.example.org),
                     for absolute links such as Open311's media_url
                     (default: http:// and each request's Host)
    --open311-media  give Open311 readers a report's first photo (media_url,
                     served without a token on /api/v1/open311/media/); off by
                     default: residents' photos stay in the app

Admin commands (see `python3 serve.py admin --help`): create-staff --login L
--person P --name N (password on stdin or asked), invite --login L (prints a
one-time code), list-accounts, audit, backup --to FILE (database and photos),
restore --from FILE (every photo checked against its name first).

On start it prints exactly one line to stdout, `Sihui is running at http://HOST:PORT/`.
It exits with status 2 and one sentence on stderr when it cannot start (no built
app, unreadable folder, unusable data folder, unusable database or schema, port in
use), and with status 0 on Ctrl-C or SIGTERM.

The build id reported by GET /api/v1/health comes from ROOT/build.json
(`{"build": "..."}`); it is re-read when that file changes, and a malformed file
is ignored with one warning line. The operation kinds come from
assets/schema/ops.json next to this script (the file the C++ core reads).

API (errors are {"error": {"code": "dotted.code", "message": "One sentence.", ...}}):
    GET  /api/v1/health                         {ok, build, epoch}
    POST /api/v1/ops                            push a batch (token)
    GET  /api/v1/ops?after=N&limit=M            pull, redacted for the reader
    POST /api/v1/login | /claim | /register     device tokens
    GET  /api/v1/me                             the signed-in account (token)
    GET  /api/v1/registrations                  pending residents (staff)
    POST /api/v1/registrations/ID/verify        verify: commits person.add (staff)

Checklist:
    [X] static files with a fixed content-type table (application/wasm, ...)
    [X] precompressed FILE.br / FILE.gz picked from Accept-Encoding q-values; Vary
    [X] cache rule: content-hashed names immutable; all else no-cache + strong ETag, 304
    [X] path safety: "..", encoded slashes, backslashes, NUL, dotfiles, symlinks out
    [X] one-sentence start-up errors: no built app, unreadable folder, data folder, port
    [X] small router for /api/v1/ with JSON errors; GET /api/v1/health (+ epoch)
    [X] common security headers in one place (common_headers)
    [X] sync API: push (gate, idempotency, stamping) and pull of operations
    [X] storage: SQLite under --data (WAL, synchronous=FULL) or PostgreSQL (--database)
    [X] accounts: scrypt logins, invitations, resident registration and verification,
        device-bound tokens, rate limits, audit log
    [X] redaction of personal fields per reader (masking)
    [X] photos of reports: PUT/GET /api/v1/photos/<sha256>, content-addressed under DATA/photos
    [X] admin commands, online backup, restore with a new epoch
    [X] iCalendar feeds from the native core tool (decision 0019)
    [X] Open311 GeoReport v2: services, requests (list, get, file with an api_key) (decision 0023)
    [X] Content-Security-Policy frame-ancestors on HTML from --embed-origin (the embed);
        sw.js and the manifests are revalidated like every unhashed file (decision 0016)
    [ ] rate limits shared between processes (they live in each process's memory)

Sections (search for "# [SECTION]"): Settings, Static files, Operation schema,
Storage, Mirror, Snapshots, Calendar feeds, Open311 GeoReport v2, Accounts, API, HTTP, Admin, Start-up.
See docs/decisions/0004-serve-py.md and 0012-sync-server.md for why it is built this way.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import datetime
import errno
import getpass
import gzip
import hashlib
import hmac
import http.server
import json
import os
import queue
import re
import secrets
import signal
import socket
import socketserver
import sqlite3
import stat
import subprocess
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

# Sync (decision 0009) and accounts.
SCHEMA_FILE = os.path.join(SCRIPT_DIR, "assets", "schema", "ops.json")
LANG_DIR = os.path.join(SCRIPT_DIR, "assets", "lang")  # the feeds' words (zh-CN.json, en.json)
DB_NAME = "sihui.db"  # SQLite file in the data folder (unless --database postgresql://...)
PUSH_BODY_LIMIT = 2 * 1024 * 1024
PUSH_MAX_OPS = 500
SMALL_BODY_LIMIT = 64 * 1024
PHOTO_BODY_LIMIT = 4 * 1024 * 1024  # a photo shrunk on the device (long side 1600 px) is 0.2-0.8 MB
PHOTO_HASH_RE = re.compile(r"[0-9a-f]{64}\Z")
PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
PHOTO_KINDS = ("report.file", "report.handle", "report.comment")  # the op kinds whose payload has "photos"
PULL_LIMIT_DEFAULT = 1000
PULL_LIMIT_MAX = 5000
MASK = "\u2022\u2022\u2022"  # "•••", what a reader sees instead of a personal field
TOKEN_BYTES = 32
INVITE_TTL_MS = 7 * 24 * 3600 * 1000
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
DUMMY_PASSWORD_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'A' * 22}==${'A' * 43}="
MIN_PASSWORD = 8
RATE_WINDOW_S = 15 * 60
LOGIN_FAILS_PER_LOGIN = 5  # failed logins per login name per window
LOGIN_FAILS_PER_ADDRESS = 20  # failed logins or invitation claims per client address per window
REGISTER_PER_ADDRESS = 30  # registrations per client address per window (a community centre shares one)
CRASH_ENV = "SIHUI_TEST_CRASH"  # tests only: "before_commit" or "after_commit" kills the server there


ORIGIN = re.compile(r"^https?://(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def embed_origin(text: str) -> str:
    """An --embed-origin value: scheme://host[:port], nothing else (CSP source syntax stays safe)."""
    value = text.strip().rstrip("/")
    if not ORIGIN.match(value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a site origin; write it as https://news.example.org (scheme, host, optional port)")
    return value.lower()


def frame_policy(origins: list[str]) -> str:
    """Who may put the app's pages in a frame: this server and the configured news sites."""
    return "frame-ancestors " + " ".join(["'self'", *origins])


def common_headers() -> list[tuple[str, str]]:
    """Headers sent on every response, static or API, success or error.

    The frame-ancestors rule for pages (the embed) is added by _send_file for HTML.
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


# [SECTION] Operation schema --------------------------------------------------
# assets/schema/ops.json, the file the C++ core reads too: kinds, the roles that may
# submit each, personal fields and payload shapes. The server checks shape and role
# as a gate; the reducer on each device stays the judge of every other rule.

ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}\Z")
OP_ID_RE = re.compile(r"[0-9a-f]{32}\Z")
SURROGATE_RE = re.compile("[\ud800-\udfff]")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FIELD_TYPES = ("id", "string", "int", "bool", "enum", "ids", "strings", "ints")


def is_id(value: Any) -> bool:
    return isinstance(value, str) and ID_RE.match(value) is not None


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def is_text(value: Any) -> bool:
    """A JSON string that can be stored as UTF-8 (no lone surrogates from "\\ud800")."""
    return isinstance(value, str) and SURROGATE_RE.search(value) is None


def shown(value: Any, limit: int = 64) -> str:
    """Client text safe to echo in an error message: UTF-8 clean and short."""
    text = value if isinstance(value, str) else repr(value)
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]


@dataclasses.dataclass
class FieldSpec:
    name: str
    type: str
    required: bool = False
    min: int = INT64_MIN
    max: int = INT64_MAX
    max_len: int = 200
    max_items: int = 50
    values: tuple[str, ...] = ()


@dataclasses.dataclass
class KindSpec:
    kind: str
    roles: frozenset[str]
    personal: tuple[str, ...]  # payload field names ("payload." dropped)
    fields: dict[str, FieldSpec]


class OpSchema:
    """The kinds of assets/schema/ops.json and the payload check (same rules as src/core/op.cpp)."""

    def __init__(self, version: int, kinds: dict[str, KindSpec]):
        self.version = version
        self.kinds = kinds

    @classmethod
    def load(cls, path: str) -> "OpSchema":
        """Read and check the file; raises ValueError with one short reason."""
        with open(path, "rb") as f:
            doc = json.loads(f.read())
        if not isinstance(doc, dict) or not is_int(doc.get("schema_version")) or not isinstance(doc.get("kinds"), list):
            raise ValueError("schema_version or kinds missing")
        kinds: dict[str, KindSpec] = {}
        for k in doc["kinds"]:
            if not isinstance(k, dict) or not isinstance(k.get("kind"), str) or k["kind"] in kinds:
                raise ValueError("a kind has no name or is listed twice")
            name = k["kind"]
            roles, personal, payload = k.get("roles"), k.get("personal", []), k.get("payload")
            if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
                raise ValueError(f"{name}: roles must be a non-empty string list")
            if not isinstance(payload, dict):
                raise ValueError(f"{name}: payload must be an object")
            fields = {}
            for fname, f in payload.items():
                if not isinstance(f, dict) or f.get("type") not in FIELD_TYPES:
                    raise ValueError(f"{name}.{fname}: unknown type")
                fields[fname] = FieldSpec(
                    fname, f["type"], bool(f.get("required", False)),
                    f.get("min", INT64_MIN), f.get("max", INT64_MAX),
                    f.get("max_len", 200), f.get("max_items", 50), tuple(f.get("values", ())),
                )
            if not isinstance(personal, list) or not all(
                isinstance(p, str) and p.startswith("payload.") and p[8:] in fields for p in personal
            ):
                raise ValueError(f"{name}: personal paths must name payload fields")
            kinds[name] = KindSpec(name, frozenset(roles), tuple(p[8:] for p in personal), fields)
        return cls(doc["schema_version"], kinds)

    @staticmethod
    def check_payload(spec: KindSpec, payload: dict[str, Any]) -> str | None:
        """None if the payload fits, else "field: problem" (null counts as absent)."""
        for f in spec.fields.values():
            v = payload.get(f.name)
            if v is None:
                if f.required:
                    return f"{f.name}: missing"
                continue
            problem = OpSchema._check_value(f, v)
            if problem:
                return f"{f.name}: {problem}"
        for name in payload:
            if name not in spec.fields:
                return f"{shown(name)}: unknown field"
        return None

    @staticmethod
    def _check_value(f: FieldSpec, v: Any) -> str | None:
        t = f.type
        if t == "id":
            return None if is_id(v) else "not an id"
        if t == "string":
            if not is_text(v):
                return "type"
            return "too long" if len(v) > f.max_len else None
        if t == "enum":
            return None if isinstance(v, str) and v in f.values else "value"
        if t == "int":
            if not is_int(v):
                return "type"
            return None if f.min <= v <= f.max else "range"
        if t == "bool":
            return None if isinstance(v, bool) else "type"
        if not isinstance(v, list):
            return "type"
        if len(v) > f.max_items:
            return "too many"
        for e in v:
            if t == "ids" and not is_id(e):
                return "not an id"
            if t == "strings":
                if not is_text(e):
                    return "type"
                if len(e) > f.max_len:
                    return "too long"
            if t == "ints":
                if not is_int(e):
                    return "type"
                if not f.min <= e <= f.max:
                    return "range"
        return None


# [SECTION] Storage -----------------------------------------------------------
# One SQL text for both databases ("?" placeholders, rewritten to "%s" for psycopg).
# Seqs are assigned under a lock on the single meta row (BEGIN IMMEDIATE on SQLite,
# SELECT ... FOR UPDATE on PostgreSQL), so they are unique and gap-free even with
# several serve.py processes sharing one PostgreSQL, and commits happen in seq order.

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY, epoch TEXT NOT NULL, epoch_base BIGINT NOT NULL,"
    " schema_version INTEGER NOT NULL, head BIGINT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ops (seq {seq} PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " author TEXT NOT NULL, device TEXT NOT NULL, account TEXT NOT NULL, made_at BIGINT NOT NULL,"
    " client_made_at BIGINT NOT NULL, received_at BIGINT NOT NULL, payload TEXT NOT NULL, body_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, login TEXT UNIQUE, name TEXT NOT NULL,"
    " person TEXT NOT NULL, kind TEXT NOT NULL, verified INTEGER NOT NULL, password TEXT,"
    " created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS devices (token_hash TEXT PRIMARY KEY, account TEXT NOT NULL,"
    " device TEXT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS devices_by_account ON devices (account, device)",
    "CREATE TABLE IF NOT EXISTS invitations (code_hash TEXT PRIMARY KEY, account TEXT NOT NULL,"
    " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT, used_device TEXT)",
    "CREATE TABLE IF NOT EXISTS registrations (id TEXT PRIMARY KEY, account TEXT NOT NULL, name TEXT NOT NULL,"
    " phone TEXT NOT NULL, birth_year INTEGER NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL,"
    " created_at BIGINT NOT NULL, verified_by TEXT, verified_at BIGINT, op_id TEXT)",
    "CREATE TABLE IF NOT EXISTS audit (id {serial}, at BIGINT NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, detail TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS feed_tokens (person TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE,"
    " created_at BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS open311_keys (key_hash TEXT PRIMARY KEY, account TEXT NOT NULL,"
    " label TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
]
# Every table with its columns, in the order backup and restore copy them.
TABLES = {
    "meta": ("id", "epoch", "epoch_base", "schema_version", "head", "created_at"),
    "ops": ("seq", "id", "kind", "author", "device", "account", "made_at", "client_made_at",
            "received_at", "payload", "body_hash"),
    "accounts": ("id", "login", "name", "person", "kind", "verified", "password", "created_at"),
    "devices": ("token_hash", "account", "device", "created_at"),
    "invitations": ("code_hash", "account", "created_at", "expires_at", "used_at", "used_device"),
    "registrations": ("id", "account", "name", "phone", "birth_year", "unit", "status", "created_at",
                      "verified_by", "verified_at", "op_id"),
    "audit": ("id", "at", "actor", "action", "detail"),
    "feed_tokens": ("person", "token", "created_at"),
    "open311_keys": ("key_hash", "account", "label", "created_at"),
}
OPTIONAL_TABLES = frozenset(("feed_tokens", "open311_keys"))  # backups made before they existed restore without them
OP_COLUMNS = "seq, id, kind, author, device, made_at, received_at, payload"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def new_epoch() -> str:
    return secrets.token_hex(8)


class StoreError(Exception):
    """The database cannot be opened or used; one sentence."""


class Query:
    """A leased connection: run/one/all/many with "?" placeholders."""

    def __init__(self, store: "Store", conn: Any):
        self.store, self.conn = store, conn

    def run(self, sql: str, params: tuple | list = ()) -> Any:
        return self.conn.execute(self.store.sql(sql), params)

    def one(self, sql: str, params: tuple | list = ()) -> Any:
        return self.run(sql, params).fetchone()

    def all(self, sql: str, params: tuple | list = ()) -> list:
        return self.run(sql, params).fetchall()

    def many(self, sql: str, rows: list) -> None:
        """INSERT ... VALUES (?, ...) for many rows: executemany on SQLite, one multi-row INSERT
        per 1000 rows on PostgreSQL (one round trip instead of one per row)."""
        if not rows:
            return
        if not self.store.MULTI_ROW_INSERT:
            self.conn.executemany(sql, rows)
            return
        head, _, group = sql.rpartition(" VALUES ")
        for i in range(0, len(rows), 1000):
            chunk = rows[i:i + 1000]
            self.run(f"{head} VALUES {', '.join([group] * len(chunk))}", [v for r in chunk for v in r])

    def lock_head(self) -> tuple[int, str, int]:
        """Inside a write transaction: (head seq, epoch, epoch_base), holding the seq lock until commit."""
        row = self.one("SELECT head, epoch, epoch_base FROM meta WHERE id = 1" + self.store.FOR_UPDATE)
        return int(row[0]), row[1], int(row[2])

    def head(self) -> tuple[int, str, int]:
        """(head seq, epoch, epoch_base): epoch_base is the head a restored backup held (0 if never restored)."""
        row = self.one("SELECT head, epoch, epoch_base FROM meta WHERE id = 1")
        return int(row[0]), row[1], int(row[2])

    def audit(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        self.run("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                 (now_ms(), actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)))


class Store:
    """The server's database. SQLite (default) or PostgreSQL (PostgresStore)."""

    BEGIN = "BEGIN IMMEDIATE"
    FOR_UPDATE = ""
    errors: tuple = (sqlite3.Error,)  # what the driver raises when the database fails
    MULTI_ROW_INSERT = False
    TYPES = {"seq": "INTEGER", "serial": "INTEGER PRIMARY KEY"}
    description = "SQLite"

    def __init__(self, pool_size: int = 16):
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._pool_lock = threading.Lock()
        self._pool_size = pool_size
        self._open = 0

    # -- connections
    def _connect(self) -> Any:
        raise NotImplementedError

    def sql(self, text: str) -> str:
        return text

    def _take(self) -> Any:
        try:
            return self._pool.get_nowait()
        except queue.Empty:
            pass
        with self._pool_lock:
            make = self._open < self._pool_size
            if make:
                self._open += 1
        if make:
            try:
                return self._connect()
            except BaseException:
                with self._pool_lock:
                    self._open -= 1
                raise
        return self._pool.get(timeout=60)

    def _drop(self, conn: Any) -> None:
        with self._pool_lock:
            self._open -= 1
        try:
            conn.close()
        except Exception:
            pass

    @contextlib.contextmanager
    def _lease(self) -> Any:
        """A pooled connection for one block: back to the pool when the block ends or raises an ApiError
        (a refusal, the connection is fine), dropped when anything else escapes (it may be broken)."""
        conn = self._take()
        try:
            yield conn
        except ApiError:
            self._pool.put(conn)
            raise
        except BaseException:
            self._drop(conn)
            raise
        self._pool.put(conn)

    @contextlib.contextmanager
    def read(self) -> Any:
        """A connection in autocommit mode: each statement sees the latest commits."""
        with self._lease() as conn:
            yield Query(self, conn)

    @contextlib.contextmanager
    def write(self) -> Any:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._lease() as conn:
            q = Query(self, conn)
            q.run(self.BEGIN)
            try:
                yield q
            except BaseException:
                q.run("ROLLBACK")
                raise
            q.run("COMMIT")

    # -- set-up
    def init(self, schema_version: int) -> None:
        with self.write() as q:
            self._init_lock(q)
            for stmt in DDL:
                q.run(stmt.format(**self.TYPES))
            if q.one("SELECT id FROM meta WHERE id = 1") is None:
                q.run("INSERT INTO meta (id, epoch, epoch_base, schema_version, head, created_at)"
                      " VALUES (1, ?, 0, ?, 0, ?)",
                      (new_epoch(), schema_version, now_ms()))

    def _init_lock(self, q: Query) -> None:
        pass

    # -- backup and restore: a backup is always one SQLite file (the photos in its photo_files table)
    def backup(self, dest: str, photos_dir: str | None = None, progress: "Progress | None" = None) -> tuple[int, int, list[str]]:
        """Copy the database and then the photos into DEST (written as DEST.part, renamed when whole).
        Returns (head, photos copied, photo files left out because their bytes no longer match their name)."""
        tmp = dest + ".part"
        if os.path.exists(tmp):
            os.unlink(tmp)
        try:
            head = self._backup_db(tmp, progress)
            copied, damaged = backup_photos(tmp, photos_dir, progress) if photos_dir else (0, [])
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        os.replace(tmp, dest)
        return head, copied, damaged

    def _backup_db(self, tmp: str, progress: "Progress | None") -> int:
        raise NotImplementedError

    @staticmethod
    def check_backup(src: sqlite3.Connection) -> None:
        """Raise StoreError unless SRC has every table a backup holds (sqlite3.DatabaseError if not SQLite)."""
        for table, cols in TABLES.items():
            have = {r[1] for r in src.execute(f"PRAGMA table_info({table})")}
            if not have and table in OPTIONAL_TABLES:
                continue
            if not set(cols) <= have:
                raise StoreError(f"the backup has no usable {table} table")
        if src.execute("SELECT COUNT(*) FROM meta WHERE id = 1").fetchone()[0] != 1:
            raise StoreError("the backup has no meta row")

    def restore(self, src: sqlite3.Connection, actor: str, photos: int = 0) -> tuple[str, int]:
        """Replace everything with the backup's rows in one transaction; a new epoch."""
        self.check_backup(src)
        epoch = new_epoch()
        with self.write() as q:
            q.lock_head()
            for table in TABLES:
                q.run(f"DELETE FROM {table}")
            for table, cols in TABLES.items():
                names = ", ".join(cols)
                marks = ", ".join("?" * len(cols))
                if table in OPTIONAL_TABLES and not list(src.execute(f"PRAGMA table_info({table})")):
                    continue
                cur = src.execute(f"SELECT {names} FROM {table}")
                while rows := cur.fetchmany(2000):
                    q.many(f"INSERT INTO {table} ({names}) VALUES ({marks})", [tuple(r) for r in rows])
            self._after_restore(q)
            head = q.head()[0]
            q.run("UPDATE meta SET epoch = ?, epoch_base = ? WHERE id = 1", (epoch, head))
            q.audit(actor, "restore", {"epoch": epoch, "head": head, "photos": photos})
        return epoch, head

    def _after_restore(self, q: Query) -> None:
        pass


class SqliteStore(Store):
    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.description = f"SQLite {path}"

    def _connect(self) -> Any:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=60000")
        return conn

    def _backup_db(self, tmp: str, progress: "Progress | None") -> int:
        """sqlite3's online backup API: a consistent copy while the server runs."""
        def step(status: int, remaining: int, total: int) -> None:
            if progress:
                progress.show("database", total - remaining, total, "pages")
        with self.read() as q:
            out = sqlite3.connect(tmp)
            try:
                q.conn.backup(out, pages=4096, progress=step)
                head = out.execute("SELECT head FROM meta WHERE id = 1").fetchone()[0]
            finally:
                out.close()
        if progress:
            progress.done("database")
        return head


class PostgresStore(Store):
    FOR_UPDATE = " FOR UPDATE"
    MULTI_ROW_INSERT = True
    TYPES = {"seq": "BIGINT", "serial": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"}
    BEGIN = "BEGIN"

    def __init__(self, url: str):
        super().__init__()
        try:
            import psycopg  # Debian's python3-psycopg; only needed with --database postgresql://
        except ImportError:
            raise StoreError("--database postgresql:// needs psycopg 3; install Debian's python3-psycopg") from None
        self.psycopg = psycopg
        self.errors = (sqlite3.Error, psycopg.Error)
        self.url = url
        self.description = "PostgreSQL"

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def _connect(self) -> Any:
        return self.psycopg.connect(self.url, autocommit=True)

    def _init_lock(self, q: Query) -> None:
        q.run("SELECT pg_advisory_xact_lock(5151)")  # concurrent first starts create tables once

    def _after_restore(self, q: Query) -> None:
        q.run("SELECT setval(pg_get_serial_sequence('audit', 'id'), COALESCE((SELECT MAX(id) FROM audit), 0) + 1, false)")

    def _backup_db(self, tmp: str, progress: "Progress | None") -> int:
        """One REPEATABLE READ snapshot copied into an SQLite file (the same format as SQLite backups)."""
        out = sqlite3.connect(tmp)
        try:
            for stmt in DDL:
                out.execute(stmt.format(**Store.TYPES))
            conn = self._take()
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    for table, cols in TABLES.items():
                        names = ", ".join(cols)
                        cur = conn.execute(f"SELECT {names} FROM {table}")
                        done = 0
                        while rows := cur.fetchmany(2000):
                            out.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})", rows)
                            done += len(rows)
                            if progress:
                                progress.show(f"database {table}", done, 0, "rows")
                self._pool.put(conn)
            except BaseException:
                self._drop(conn)
                raise
            out.commit()
            head = out.execute("SELECT head FROM meta WHERE id = 1").fetchone()[0]
        finally:
            out.close()
        if progress:
            progress.done("database")
        return head


def open_store(database: str | None, data_dir: str, schema_version: int) -> Store:
    """The store named by --database, or SQLite in the data folder; tables created if missing."""
    try:
        if database and database.startswith(("postgresql://", "postgres://")):
            store: Store = PostgresStore(database)
        elif database:
            raise StoreError("--database must be a postgresql:// URL (without it, SQLite under --data is used)")
        else:
            store = SqliteStore(os.path.join(data_dir, DB_NAME))
        store.init(schema_version)
        return store
    except StoreError:
        raise
    except Exception as exc:  # sqlite3.Error, psycopg.Error: say which database and why
        raise StoreError(f"cannot open the database ({type(exc).__name__}: {shown(str(exc).strip(), 200)})") from None


# -- photos in backups: DATA/photos/<2 hex>/<sha256> files travel in the backup file's photo_files
# table, checked against their names when copied and again, all of them, before a restore changes anything.

BACKUP_PHOTO_TABLE = "CREATE TABLE photo_files (name TEXT PRIMARY KEY, bytes BLOB NOT NULL)"
BACKUP_PHOTO_BATCH = 64 * 1024 * 1024  # commit the backup's photo rows every ~64 MB


class Progress:
    """Progress of long admin work on stderr: at most one line a second (rewritten in place on a
    terminal), and a last line when a part is done. Quiet when nothing is long."""

    def __init__(self, stream: Any = None, every: float = 1.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last = self.started
        self.shown = False

    def show(self, what: str, done: int, total: int, unit: str, size: int = 0) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        of = f" of {total:,}" if total else ""
        mb = f" ({size / 1e6:,.1f} MB)" if size else ""
        line = f"{what}: {done:,}{of} {unit}{mb}, {now - self.started:.0f} s"
        self.stream.write(f"\r{line}\x1b[K" if self.tty else line + "\n")
        self.stream.flush()
        self.shown = True

    def done(self, what: str) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()
        self.shown = False


def photo_files(photos_dir: str) -> list[tuple[str, str]]:
    """(name, path) of every stored photo, sorted; partial uploads (*.tmp) and strays are left out."""
    found = []
    try:
        shards = sorted(os.listdir(photos_dir))
    except FileNotFoundError:
        return []
    for shard in shards:
        folder = os.path.join(photos_dir, shard)
        if len(shard) != 2 or not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if PHOTO_HASH_RE.match(name) and name.startswith(shard):
                found.append((name, os.path.join(folder, name)))
    return found


def photo_ok(name: Any, data: Any) -> bool:
    """A photo is whole when its bytes hash to its name and start as a JPEG or PNG."""
    return (isinstance(name, str) and bool(PHOTO_HASH_RE.match(name)) and isinstance(data, bytes)
            and len(data) <= PHOTO_BODY_LIMIT and hashlib.sha256(data).hexdigest() == name
            and any(data.startswith(magic) for magic, _ in PHOTO_TYPES))


def backup_photos(backup: str, photos_dir: str, progress: Progress | None) -> tuple[int, list[str]]:
    """Copy every photo into the backup file; returns (copied, names of damaged files left out).
    Files are never rewritten once stored, so copying after the database snapshot is consistent:
    every photo an op of the snapshot names and that the server held is there (and maybe newer ones)."""
    files = photo_files(photos_dir)
    out = sqlite3.connect(backup)
    copied, size, batch, damaged = 0, 0, 0, []
    try:
        out.execute(BACKUP_PHOTO_TABLE)
        for i, (name, path) in enumerate(files):
            try:
                with open(path, "rb") as f:
                    data = f.read(PHOTO_BODY_LIMIT + 1)
            except FileNotFoundError:
                continue
            if not photo_ok(name, data):
                damaged.append(name)
                continue
            out.execute("INSERT INTO photo_files (name, bytes) VALUES (?, ?)", (name, data))
            copied, size, batch = copied + 1, size + len(data), batch + len(data)
            if batch >= BACKUP_PHOTO_BATCH:
                out.commit()
                batch = 0
            if progress:
                progress.show("photos", i + 1, len(files), "files", size)
        out.commit()
    finally:
        out.close()
    if progress:
        progress.done("photos")
    return copied, damaged


def backup_photo_rows(src: sqlite3.Connection) -> int | None:
    """How many photos a backup holds; None for a backup made before photos were backed up.
    Raises StoreError when the table is there but not as a backup writes it."""
    cols = {r[1] for r in src.execute("PRAGMA table_info(photo_files)")}
    if not cols:
        return None
    if not {"name", "bytes"} <= cols:
        raise StoreError("the backup's photo_files table is not one a Sihui backup writes")
    return src.execute("SELECT COUNT(*) FROM photo_files").fetchone()[0]


def check_backup_photos(src: sqlite3.Connection, progress: Progress | None) -> int:
    """Read every photo of the backup and check it against its name before anything is changed.
    Returns the count; raises StoreError naming the first damaged or foreign photo."""
    total = backup_photo_rows(src)
    if not total:
        return 0
    size = 0
    cur = src.execute("SELECT name, bytes FROM photo_files ORDER BY name")
    for i, (name, data) in enumerate(iter(cur.fetchone, None)):
        if not photo_ok(name, data):
            label = shown(name, 70) if isinstance(name, str) else repr(type(name).__name__)
            raise StoreError(f"the backup's photo {label} is damaged or not a photo (its bytes are not a JPEG or "
                             "PNG with the SHA-256 in its name); the backup file may be corrupt")
        size += len(data)
        if progress:
            progress.show("checking photos", i + 1, total, "files", size)
    if progress:
        progress.done("checking photos")
    return total


def restore_photos(src: sqlite3.Connection, photos_dir: str, progress: Progress | None) -> list[str]:
    """Write the backup's (checked) photos into the photo folder; returns the paths created, so a failure
    after this can remove them again. Photos already there are kept as they are (same name, same bytes)."""
    total = backup_photo_rows(src)
    created: list[str] = []
    if total is None:  # a backup made before photos were backed up
        return created
    try:
        cur = src.execute("SELECT name, bytes FROM photo_files ORDER BY name")
        for i, (name, data) in enumerate(iter(cur.fetchone, None)):
            if not photo_ok(name, data):  # changed since the check: refuse rather than write it
                raise StoreError(f"the backup's photo {shown(str(name), 70)} changed while it was restored")
            path = os.path.join(photos_dir, name[:2], name)
            if not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                tmp = f"{path}.{secrets.token_hex(6)}.tmp"
                with open(tmp, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, path)
                created.append(path)
            if progress:
                progress.show("restoring photos", i + 1, total, "files")
    except BaseException:
        remove_files(created)
        raise
    if progress:
        progress.done("restoring photos")
    return created


def remove_files(paths: list[str]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


# [SECTION] Mirror ------------------------------------------------------------
# The few facts the server needs for the role gate and redaction, kept by replaying the
# people ops with the same checks as src/core/rules_people.cpp (so a grant the reducer
# refuses is not a grant here either): roles per person, person -> unit -> building ->
# compound -> grid, households, proxies, whether the community is initialised.

MIRROR_KINDS = (
    "community.init", "place.compound.add", "place.building.add", "place.unit.add", "grid.add",
    "grid.set_leader", "household.add", "person.add", "person.update", "person.leave",
    "role.grant", "role.revoke", "proxy.grant", "proxy.revoke",
    "channel.add", "channel.join", "channel.leave", "place.remove", "grid.compound.move",
)
PERSON_TAGS = frozenset(("retired_cadre", "party_member", "living_alone", "student", "disabled", "veteran"))
SCOPE_KIND = {"grid_leader": "grid", "grid_worker": "grid", "building_leader": "building", "unit_leader": "unit"}
CANTEEN_FIELDS = {("canteen.book", "diet"), ("canteen.exception.grant", "reason")}


def outline_ok(text: str) -> bool:
    """A place's outline as src/core/map_edit.cpp parse_outline accepts it: "" or 3..150 "x,y"
    pairs of integer micro-degrees within +-180e6, +-90e6."""
    if text == "":
        return True
    pairs = text.split(";")
    if not 3 <= len(pairs) <= 150:
        return False
    for pair in pairs:
        xy = pair.split(",")
        if len(xy) != 2 or not all(re.fullmatch(r"-?[0-9]{1,18}", v) for v in xy):
            return False
        if abs(int(xy[0])) > 180_000_000 or abs(int(xy[1])) > 90_000_000:
            return False
    return True


@dataclasses.dataclass
class MPerson:
    unit: str = ""
    household: str = ""
    left: bool = False
    grants: set = dataclasses.field(default_factory=set)  # {(role, scope)}
    proxies: set = dataclasses.field(default_factory=set)  # people who may act for this person


@dataclasses.dataclass
class MChannel:
    assigned: bool = False
    members_only: bool = True
    members: set = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Reader:
    """Who is pulling: None person = anonymous (everything personal masked)."""
    person: str | None
    staff: bool = False
    clinic: bool = False
    canteen: bool = False
    grids: frozenset = frozenset()
    channels: frozenset = frozenset()  # members-only channels the reader is in (decision 0024)


class Mirror:
    def __init__(self, schema: OpSchema):
        self.schema = schema
        self.lock = threading.RLock()
        self.epoch: str | None = None
        self.seq = 0
        self._reset()

    # Ops that can change whether a person's name is public (decision 0009: names of people in public
    # roles are seen by everyone) change how every earlier person.add/update renders for the public
    # class: a public snapshot made before such an op no longer equals the public log's replay.
    NAME_FLIP_KINDS = frozenset({"role.grant", "role.revoke", "grid.set_leader", "person.leave"})

    def _reset(self) -> None:
        self.initialised = False
        self.persons: dict[str, MPerson] = {}
        self.compounds: dict[str, str] = {}  # compound -> grid ("" none)
        self.buildings: dict[str, str] = {}  # building -> compound
        self.units: dict[str, str] = {}  # unit -> building
        self.households: dict[str, str] = {}  # household -> unit
        self.grids: dict[str, str] = {}  # grid -> leader ("" vacant)
        self.points: dict[str, tuple[int, int]] = {}  # compound -> map point (micro-degrees; Open311 routing)
        self.public_names_seq = 0  # seq of the last op that made a name public or private again
        self.channels: dict[str, MChannel] = {}  # channel -> who is in it (decision 0024)

    # -- keeping up with the log
    def sync(self, q: Query, epoch: str, head: int) -> None:
        """Bring the mirror to `head` of `epoch` (a new epoch rebuilds it from seq 0)."""
        with self.lock:
            if epoch != self.epoch:
                self._reset()
                self.epoch, self.seq = epoch, 0
            if head <= self.seq:
                return
            marks = ", ".join("?" * len(MIRROR_KINDS))
            cur = q.run(f"SELECT seq, kind, author, payload FROM ops WHERE seq > ? AND seq <= ? AND kind IN ({marks})"
                        " ORDER BY seq", (self.seq, head, *MIRROR_KINDS))
            while rows := cur.fetchmany(1000):
                for seq, kind, author, payload in rows:
                    self._apply_at(seq, kind, author, json.loads(payload))
            self.seq = head

    def applied(self, epoch: str, first_seq: int, ops: list[tuple[str, str, dict]], last_seq: int) -> None:
        """After a commit of seqs first_seq..last_seq: apply them if the mirror is right before them."""
        with self.lock:
            if epoch == self.epoch and self.seq == first_seq - 1:
                for i, (kind, author, payload) in enumerate(ops):
                    if kind in MIRROR_KINDS:
                        self._apply_at(first_seq + i, kind, author, payload)
                self.seq = last_seq

    def _name_public(self, pid: Any) -> bool:
        t = self.persons.get(pid) if isinstance(pid, str) else None
        return t is not None and not t.left and any(role in self.PUBLIC_ROLES for role, _ in t.grants)

    def _apply_at(self, seq: int, kind: str, author: str, payload: dict[str, Any]) -> None:
        if kind not in self.NAME_FLIP_KINDS:
            self.apply(kind, author, payload)
            return
        grid = payload.get("grid") or payload.get("scope")
        who = {payload.get("person"), self.grids.get(grid) if isinstance(grid, str) else None} - {None, ""}
        before = {w: self._name_public(w) for w in who}
        self.apply(kind, author, payload)
        if any(self._name_public(w) != was for w, was in before.items()):
            self.public_names_seq = seq

    # -- the reducer's people rules, reduced to the facts kept here
    def _grid_of_unit(self, unit: str) -> str:
        building = self.units.get(unit)
        compound = self.buildings.get(building) if building is not None else None
        return self.compounds.get(compound, "") if compound is not None else ""

    def place_grid(self, payload: dict[str, Any]) -> str:
        """The grid of a report's place (unit, else building, else compound), as the reducer routes it."""
        unit, building, compound = (payload.get(k) or "" for k in ("unit", "building", "compound"))
        if unit:
            building = self.units.get(unit, "")
        if building:
            compound = self.buildings.get(building, "")
        return self.compounds.get(compound, "") if compound else ""

    def nearest_compound(self, x: int, y: int, within: int) -> str:
        """The compound whose map point is nearest (x, y) in micro-degrees, if within `within` of it."""
        best, found = within * within, ""
        with self.lock:
            for c, (cx, cy) in self.points.items():
                d = (cx - x) ** 2 + (cy - y) ** 2
                if d <= best and c in self.compounds:
                    best, found = d, c
        return found

    def grid_of(self, p: MPerson | None) -> str:
        if p is None:
            return ""
        if p.unit:
            return self._grid_of_unit(p.unit)
        if p.household and p.household in self.households:
            return self._grid_of_unit(self.households[p.household])
        return ""

    @staticmethod
    def is_staff(p: MPerson) -> bool:
        return ("staff", "") in p.grants

    def works_grid(self, p: MPerson, grid: str) -> bool:
        return self.is_staff(p) or (grid != "" and (("grid_leader", grid) in p.grants or ("grid_worker", grid) in p.grants))

    def _staff_count(self) -> int:
        return sum(1 for p in self.persons.values() if not p.left and self.is_staff(p))

    def _set_leader(self, grid: str, pid: str) -> None:
        old = self.grids.get(grid, "")
        if old and old != pid and old in self.persons:
            self.persons[old].grants.discard(("grid_leader", grid))
        self.grids[grid] = pid
        self.persons[pid].grants.add(("grid_leader", grid))

    def _removable(self, place: str, pid: str) -> bool:
        """A place goes only when nothing hangs on it: no grid (compound), no buildings, units,
        households or residents under it, nobody holding its building/unit leader role."""
        if place == "compound":
            return pid in self.compounds and not self.compounds[pid] and pid not in self.buildings.values()
        if place == "building":
            return pid in self.buildings and pid not in self.units.values() and \
                not any(("building_leader", pid) in t.grants for t in self.persons.values())
        if place == "unit":
            return pid in self.units and pid not in self.households.values() and \
                not any(t.unit == pid or ("unit_leader", pid) in t.grants for t in self.persons.values())
        return False

    def apply(self, kind: str, author: str, p: dict[str, Any]) -> None:
        if kind == "community.init":
            if not self.initialised:
                self.persons[author] = MPerson(grants={("staff", "")})
                self.initialised = True
            return
        a = self.persons.get(author)
        spec = self.schema.kinds.get(kind)
        if not self.initialised or a is None or a.left or spec is None:
            return
        if not spec.roles & {"resident", "anyone"} and not any(g[0] in spec.roles for g in a.grants):
            return
        s = lambda name: p.get(name) or ""  # noqa: E731 - absent fields read as "", as in the core
        if kind in ("place.compound.add", "place.building.add") and not outline_ok(s("outline")):
            return  # refused by the core too (reason.place.bad_outline)
        if kind == "place.compound.add":
            if s("id") not in self.compounds and is_int(p.get("point_x")) and is_int(p.get("point_y")):
                self.points[s("id")] = (p["point_x"], p["point_y"])
            self.compounds.setdefault(s("id"), "")
        elif kind == "place.building.add":
            if s("id") not in self.buildings and s("compound") in self.compounds:
                self.buildings[s("id")] = s("compound")
        elif kind == "place.unit.add":
            if s("id") not in self.units and s("building") in self.buildings:
                self.units[s("id")] = s("building")
        elif kind == "place.remove":  # as place_removable in src/core/rules_people.cpp (decision 0026)
            if self._removable(s("place"), s("id")):
                {"compound": self.compounds, "building": self.buildings, "unit": self.units}[s("place")].pop(s("id"))
                if s("place") == "compound":
                    self.points.pop(s("id"), None)
        elif kind == "grid.add":
            cs = p.get("compounds") or []
            if s("id") in self.grids or any(c not in self.compounds or self.compounds[c] for c in cs):
                return
            self.grids[s("id")] = ""
            for c in cs:
                self.compounds[c] = s("id")
        elif kind == "grid.compound.move":  # as rules_people.cpp: staff, or a leader of both grids
            c, to = s("compound"), s("grid")
            if c not in self.compounds or (to and to not in self.grids) or self.compounds[c] == to:
                return
            if not all(self.is_staff(a) or ("grid_leader", g) in a.grants for g in (self.compounds[c], to) if g):
                return
            self.compounds[c] = to
        elif kind == "grid.set_leader":
            t = self.persons.get(s("person"))
            if s("grid") in self.grids and t is not None and not t.left:
                self._set_leader(s("grid"), s("person"))
        elif kind == "household.add":
            if s("id") not in self.households and s("unit") in self.units and \
                    self.works_grid(a, self._grid_of_unit(s("unit"))):
                self.households[s("id")] = s("unit")
        elif kind == "person.add":
            t = MPerson(unit=s("unit"), household=s("household"))
            if s("id") in self.persons:
                return
            if t.household:
                if t.household not in self.households:
                    return
                t.unit = t.unit or self.households[t.household]
            if (t.unit and t.unit not in self.units) or not PERSON_TAGS.issuperset(p.get("tags") or []):
                return
            if self.works_grid(a, self.grid_of(t)):
                self.persons[s("id")] = t
        elif kind == "person.update":
            t = self.persons.get(s("person"))
            if t is None or not self.works_grid(a, self.grid_of(t)):
                return
            unit, household = t.unit, t.household
            if "household" in p and p["household"] is not None:
                if s("household") not in self.households:
                    return
                household, unit = s("household"), self.households[s("household")]
            if "unit" in p and p["unit"] is not None:
                if s("unit") not in self.units:
                    return
                unit = s("unit")
            if p.get("tags") is not None and not PERSON_TAGS.issuperset(p["tags"]):
                return
            t.unit, t.household = unit, household
        elif kind == "person.leave":
            t = self.persons.get(s("person"))
            if t is None or t.left or not self.works_grid(a, self.grid_of(t)):
                return
            if self.is_staff(t) and self._staff_count() <= 1:
                return
            t.left = True
            for g, leader in self.grids.items():
                if leader == s("person"):
                    self.grids[g] = ""
        elif kind in ("role.grant", "role.revoke"):
            t = self.persons.get(s("person"))
            role = s("role")
            if t is None:
                return
            scope = s("scope") if role in SCOPE_KIND else ""
            if kind == "role.revoke":
                if (role, scope) not in t.grants or (role == "staff" and self._staff_count() <= 1):
                    return
                t.grants.discard((role, scope))
                if role == "grid_leader" and self.grids.get(scope) == s("person"):
                    self.grids[scope] = ""
                return
            places = {"grid": self.grids, "building": self.buildings, "unit": self.units}
            if t.left or (role in SCOPE_KIND and scope not in places[SCOPE_KIND[role]]):
                return
            if role == "grid_leader":
                self._set_leader(scope, s("person"))
            else:
                t.grants.add((role, scope))
        elif kind == "channel.add":
            if s("id") not in self.channels:
                self.channels[s("id")] = MChannel(assigned=p.get("assigned") is True,
                                                  members_only=p.get("members_only") is not False)
        elif kind in ("channel.join", "channel.leave"):  # as src/core/rules_channels.cpp
            ch, who = self.channels.get(s("channel")), s("person") or author
            t = self.persons.get(who)
            if ch is None or t is None or (who != author and not self.is_staff(a)):
                return
            if kind == "channel.leave":
                ch.members.discard(who)
            elif not t.left and (not ch.assigned or self.is_staff(a)):
                ch.members.add(who)
        elif kind in ("proxy.grant", "proxy.revoke"):
            elder, proxy = self.persons.get(s("elder")), self.persons.get(s("proxy"))
            if elder is None or proxy is None:
                return
            allowed = author == s("elder") or self.works_grid(a, self.grid_of(elder))
            if not allowed and not (kind == "proxy.revoke" and author == s("proxy")):
                return
            if kind == "proxy.grant":
                if not elder.left and not proxy.left:
                    elder.proxies.add(s("proxy"))
            else:
                elder.proxies.discard(s("proxy"))

    # -- what the gate and redaction ask
    def roles_of(self, person: str) -> list[dict[str, str]]:
        with self.lock:
            p = self.persons.get(person)
            return [{"role": r, "scope": sc} for r, sc in sorted(p.grants)] if p and not p.left else []

    def reader(self, person: str | None) -> Reader:
        with self.lock:
            p = self.persons.get(person) if person else None
            if p is None or p.left:
                return Reader(person)
            roles = {r for r, _ in p.grants}
            grids = frozenset(sc for r, sc in p.grants if r in ("grid_leader", "grid_worker"))
            channels = frozenset(c for c, ch in self.channels.items() if ch.members_only and person in ch.members)
            return Reader(person, "staff" in roles, "clinic" in roles, "canteen_staff" in roles, grids, channels)

    # Roles whose holders serve residents: their names are public (on the community's noticeboard),
    # their phones visible to the residents they serve (issue 6: "who leads it and how to reach them").
    PUBLIC_ROLES = frozenset({"grid_leader", "grid_worker", "building_leader", "unit_leader"})

    def serves(self, t: MPerson, reader: str) -> bool:
        """Whether t leads or works the grid, building or unit where `reader` lives."""
        p = self.persons.get(reader)
        if p is None:
            return False
        unit = p.unit or self.households.get(p.household, "")
        building = self.units.get(unit, "")
        grid = self.grid_of(p)
        for role, scope in t.grants:
            if (role in ("grid_leader", "grid_worker") and scope and scope == grid) or \
                    (role == "building_leader" and scope and scope == building) or \
                    (role == "unit_leader" and scope and scope == unit):
                return True
        return False

    def may_see(self, r: Reader, kind: str, field: str, author: str, payload: dict[str, Any]) -> bool:
        """Decision 0009: subject, author, their proxies; staff (not clinic fields); grid staff
        for persons of their grids; canteen staff for diet/reason; clinic fields for the clinic.
        The name of a person in a public role (grid, building or unit leader, grid worker) is seen by
        everyone, their phone by the residents they serve (decision 0009, session 3)."""
        if kind == "person.add":
            subject = payload.get("id")
        else:
            subject = payload.get("person") or payload.get("for") or author
        if kind in ("person.add", "person.update") and field in ("name", "phone") and isinstance(subject, str):
            t = self.persons.get(subject)
            if t is not None and not t.left and any(role in self.PUBLIC_ROLES for role, _ in t.grants):
                if field == "name" or (r.person is not None and self.serves(t, r.person)):
                    return True
        if kind == "channel.post":  # decision 0024: a members-only channel's words reach its members and staff
            ch = self.channels.get(payload.get("channel") or "")
            if ch is None or not ch.members_only:
                return True
            return r.person is not None and (r.staff or r.person == author or r.person in ch.members)
        if r.person is None:
            return False
        if kind == "report.file":  # a walk-in or phone caller: the filing staff, staff, that place's grid
            grid = self.place_grid(payload)
            return r.person == author or r.staff or (grid != "" and grid in r.grids)
        if kind.startswith("clinic."):
            return r.clinic or r.person == author
        if r.person in (author, subject) or r.staff:
            return True
        for who in (author, subject):
            p = self.persons.get(who) if isinstance(who, str) else None
            if p is not None and r.person in p.proxies:
                return True
        if r.canteen and (kind, field) in CANTEEN_FIELDS:
            return True
        if r.grids:
            t = self.persons.get(subject) if isinstance(subject, str) else None
            if t is None and kind in ("person.add", "person.update"):
                t = MPerson(unit=payload.get("unit") or "", household=payload.get("household") or "")
            grid = self.grid_of(t)
            return grid != "" and grid in r.grids
        return False


def mask(value: Any) -> Any:
    if isinstance(value, list):
        return [MASK] * len(value)
    return MASK


# [SECTION] Snapshots ---------------------------------------------------------
# A new phone or an embed starts from a snapshot of the state and pulls only the ops after it
# (issue 5, "bootstrap"). Snapshots are made by the same C++ core the devices run, compiled
# natively (src/tools/snapshot_tool.cpp, built by ./sihui run), from the log as one redaction
# class pulls it, so a snapshot's hash equals the state a device gets by replaying that log.
# Classes: "public" (anonymous readers and plain residents: everything personal masked) and
# "staff" (staff who are not clinic members: everything but clinic fields). Other readers (grid
# staff, clinic, canteen staff) see per-person redactions no shared snapshot fits: they pull the
# whole log. Files: DATA/snapshots/CLASS.snap (+ .gz, + .json with the header), replaced whole.

SNAPSHOT_EVERY_DEFAULT = 5000
SNAPSHOT_TOOL_DEFAULT = os.path.join(SCRIPT_DIR, "build", "release", "src", "tools", "sihui_snapshot")
SNAPSHOT_CLASSES = ("public", "staff")


def snapshot_class(r: Reader) -> str | None:
    if r.channels and not r.staff:  # sees some channel posts the public snapshot masks: pulls the log
        return None
    if r.person is None or not (r.staff or r.clinic or r.canteen or r.grids):
        return "public"
    if r.staff and not r.clinic:
        return "staff"
    return None


def class_reader(cls: str) -> Reader:
    return Reader(None) if cls == "public" else Reader("", staff=True)


class Snapshots:
    """Makes snapshots in a background thread every `every` ops; serves the newest per class."""

    def __init__(self, app: "App", tool: str, every: int, folder: str):
        self.app, self.tool, self.every, self.folder = app, tool, max(1, every), folder
        os.makedirs(folder, exist_ok=True)
        self.cond = threading.Condition()
        self.wanted = 0
        self.made: dict[str, dict[str, Any]] = {}
        for cls in SNAPSHOT_CLASSES:
            try:
                with open(os.path.join(folder, cls + ".json"), encoding="utf-8") as f:
                    meta = json.load(f)
                if isinstance(meta, dict) and isinstance(meta.get("seq"), int):
                    self.made[cls] = meta
            except (OSError, ValueError):
                pass
        threading.Thread(target=self._run, name="snapshots", daemon=True).start()

    def latest(self, cls: str, epoch: str) -> tuple[dict[str, Any], str] | None:
        """The newest snapshot of `cls` if it still equals the log as that class pulls it now (the caller
        has synced the mirror). A public snapshot made before a name turned public or private again is
        stale: none is served (the reader pulls the log) and a new one is made at once."""
        with self.cond:
            meta = self.made.get(cls)
            if not meta or meta.get("epoch") != epoch:
                return None
            if cls == "public" and meta.get("names", 0) != self.app.mirror.public_names_seq:
                self.wanted = max(self.wanted, meta.get("seq", 0), 1)
                self.cond.notify()
                return None
        return meta, os.path.join(self.folder, cls + ".snap")

    def poke(self, head: int) -> None:
        with self.cond:
            last = min((m.get("seq", 0) for m in self.made.values()), default=0) if len(self.made) == len(SNAPSHOT_CLASSES) else 0
            if head - last >= self.every or (last == 0 and head >= self.every):
                self.wanted = max(self.wanted, head)
                self.cond.notify()

    def _run(self) -> None:
        while True:
            with self.cond:
                while self.wanted == 0:
                    self.cond.wait()
                self.wanted = 0
            try:
                self.make()
            except Exception as exc:  # never let the thread die: say it, try again on the next poke
                self.app.print_err(f"{PROG}: making a snapshot failed: {type(exc).__name__}: {exc}")

    def make(self) -> None:
        app = self.app
        with app.store.read() as q:
            head, epoch, base = q.head()
            app.mirror.sync(q, epoch, head)
            rows = q.all(f"SELECT {OP_COLUMNS} FROM ops WHERE seq <= ? ORDER BY seq", (head,))
        if not rows:
            return
        for cls in SNAPSHOT_CLASSES:
            for _ in range(5):  # a name turning public while rendering: render again
                names = app.mirror.public_names_seq
                text = "\n".join(app.render_ops(rows, class_reader(cls))) + "\n"
                if names == app.mirror.public_names_seq:
                    break
            proc = subprocess.run([self.tool, "--schema", SCHEMA_FILE], input=text.encode("utf-8"),
                                  capture_output=True, timeout=600)
            if proc.returncode != 0:
                raise RuntimeError(f"{os.path.basename(self.tool)}: {proc.stderr.decode('utf-8', 'replace').strip()}")
            head_line, _, body = proc.stdout.partition(b"\n")
            info = json.loads(head_line)
            if info.get("seq") != head:
                raise RuntimeError(f"the snapshot tool stopped at seq {info.get('seq')}, not {head}")
            header = {"epoch": epoch, "epoch_base": base, "seq": head, "hash": info["hash"], "class": cls}
            meta = {**header, "names": names}  # "names" stays on the server (see latest)
            whole = json.dumps(header, separators=(",", ":")).encode("utf-8") + b"\n" + body
            path = os.path.join(self.folder, cls + ".snap")
            for name, data in ((path, whole), (path + ".gz", gzip.compress(whole, 6))):
                with open(name + ".tmp", "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(name + ".tmp", name)
            with open(os.path.join(self.folder, cls + ".json.tmp"), "w", encoding="utf-8") as f:
                json.dump(meta, f)
            os.replace(os.path.join(self.folder, cls + ".json.tmp"), os.path.join(self.folder, cls + ".json"))
            with self.cond:
                self.made[cls] = meta


# [SECTION] Calendar feeds ----------------------------------------------------
# iCalendar feeds (decision 0019) are rendered by the same native core tool as the snapshots
# (sihui_snapshot --ics), so recurrence, exceptions and the calendar's kinds come from one piece of
# C++ the devices also run. Input: the public snapshot (if any) and the public log after it, i.e. the
# log as an anonymous reader pulls it: nothing personal reaches the tool, whatever the feed. A person's
# feed is chosen by a secret token of its own (not a device token); it lists only what that person and
# the people they act for signed up for or booked, by title and time. Cached per (feed, language) until
# the log grows or the hour turns (the window is counted from "now").

FEED_KINDS = ("all", "festival", "club", "class", "clinic", "canteen", "volunteer", "other")
FEED_LANGS = ("zh-CN", "en")
FEED_TOKEN_BYTES = 24
FEED_CACHE_MAX = 256
HOUR_MS = 3_600_000


def public_tool_input(app: "App", q: Query, epoch: str, head: int) -> tuple[bytes, list[str]]:
    """The log up to `head` as an anonymous reader pulls it, for the native tool's stdin: the newest public
    snapshot (if any) and the ops after it. Returns (stdin, extra arguments)."""
    # The snapshot is read whole here, so its seq and its contents are one generation even if
    # the snapshot thread replaces the file meanwhile; the tool gets both lines on stdin.
    start, after = b"", 0
    app.mirror.sync(q, epoch, head)
    found = app.snapshots.latest("public", epoch) if app.snapshots else None
    if found:
        try:
            with open(found[1], "rb") as f:
                start = f.read()
            after = json.loads(start.partition(b"\n")[0])["seq"]
            if not isinstance(after, int) or after > head:
                start, after = b"", 0
        except (OSError, ValueError, KeyError, TypeError):
            start, after = b"", 0
    rows = q.all(f"SELECT {OP_COLUMNS} FROM ops WHERE seq > ? AND seq <= ? ORDER BY seq", (after, head))
    text = "".join(line + "\n" for line in app.render_ops(rows, Reader(None)))
    if not start:
        return text.encode("utf-8"), []
    return start.rstrip(b"\n") + b"\n" + text.encode("utf-8"), ["--from", "-"]


class Feeds:
    def __init__(self, app: "App"):
        self.app = app
        self.lock = threading.Lock()
        self.cache: dict[tuple[str, str], tuple[tuple, bytes, str]] = {}

    def tool(self) -> str:
        return self.app.snapshot_tool

    def render(self, feed: str, lang: str) -> tuple[bytes, str]:
        app = self.app
        now = now_ms() // HOUR_MS * HOUR_MS
        if not os.access(self.tool(), os.X_OK):
            raise ApiError(503, "feed.unavailable", "Calendar feeds need the native core tool on the server "
                           "(./sihui run builds it).", [("Retry-After", "60")])
        with app.store.read() as q:
            head, epoch, _ = q.head()
            key = (epoch, head, now)
            with self.lock:
                hit = self.cache.get((feed, lang))
            if hit and hit[0] == key:
                return hit[1], hit[2]
            stdin, from_args = public_tool_input(app, q, epoch, head)
        args = [self.tool(), "--schema", SCHEMA_FILE, "--ics", feed, "--now", str(now), "--lang", lang,
                "--words", LANG_DIR, *from_args]
        proc = subprocess.run(args, input=stdin, capture_output=True, timeout=120)
        if proc.returncode != 0:
            app.print_err(f"{PROG}: the calendar feed {feed} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
            raise ApiError(503, "feed.unavailable", "The calendar feed cannot be made right now; try again later.",
                           [("Retry-After", "60")])
        body = proc.stdout
        etag = make_etag(hashlib.sha256(body).digest())
        with self.lock:
            if len(self.cache) >= FEED_CACHE_MAX:
                self.cache.clear()
            self.cache[(feed, lang)] = (key, body, etag)
        return body, etag


# [SECTION] Open311 GeoReport v2 ---------------------------------------------
# City tools read and file problem reports through the Open311 GeoReport v2 API (decision 0023).
# Services are the report sub-types, requests are the reports; both lists are made by the same native
# core tool as the feeds (sihui_snapshot --open311), from the log as an anonymous reader pulls it, so no
# personal field can reach an answer. Filing (POST requests.json) needs an api_key: a staff member's
# device token or a key made by `serve.py admin open311-key`; it commits a report.file op authored by
# that key's account through the same path as a pushed op. Errors are [{"code": HTTP status,
# "description": ...}] as the spec has them.

OPEN311_PREFIX = "/api/v1/open311/"
OPEN311_MAX_REQUESTS = 1000  # the spec's cap on one answer
OPEN311_DEFAULT_DAYS = 90  # without start_date/end_date: the last 90 days (the spec's default)
OPEN311_NEAR = 3000  # micro-degrees (about 300 m): a bare point this near a compound is filed there
OPEN311_DEVICE = "open311"  # the device stamped on reports filed through Open311
OPEN311_CACHE_MAX = 16
OPEN311_MEDIA = OPEN311_PREFIX + "media/"  # GET media/<sha256>.jpg|.png: a report's first photo (decision 0021)
OPEN311_MEDIA_URL_MAX = 500  # a filed media_url is kept as a line of the description, never fetched
HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(description)
        self.status, self.description, self.headers = status, description, headers or []


def open311_lang(request: Request) -> str:
    """?locale= (zh_CN, en, en-US, ...) first, then Accept-Language; Chinese when neither names one we have."""
    wanted = (request.query.get("locale") or [""])[0]
    tags = [wanted] if wanted else []
    if not tags:
        ranked = parse_accept_encoding(request.headers.get("Accept-Language"))  # the same q-value syntax
        tags = sorted((k for k in ranked if ranked[k] > 0), key=lambda k: -ranked[k])
    for tag in tags:
        tag = tag.lower().replace("_", "-")
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "zh-CN"


def open311_time(text: str, name: str) -> int:
    """A w3c datetime ("2026-11-01T08:00:00+08:00", "...Z", or a date) in ms; Shanghai when no zone is given."""
    text = text.strip().replace("Z", "+00:00")
    text = re.sub(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$", r"\1+\2", text)  # an unencoded "+" in a query
    try:
        d = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(400, f"{name} must be a w3c datetime such as 2026-11-01T08:00:00+08:00.") from None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    return int(d.timestamp() * 1000)


def open311_media_url(text: str) -> str:
    """A filed media_url: an absolute http(s) URL with a host, at most OPEN311_MEDIA_URL_MAX characters, no
    spaces or control characters; Open311Error otherwise."""
    wrong = (f"media_url must be an http:// or https:// address of at most {OPEN311_MEDIA_URL_MAX} characters, "
             "such as https://city.example.org/photos/123.jpg.")
    if len(text) > OPEN311_MEDIA_URL_MAX or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise Open311Error(400, wrong)
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise Open311Error(400, wrong) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Open311Error(400, wrong)
    return text


class Open311:
    def __init__(self, app: "App"):
        self.app = app
        self.lock = threading.Lock()
        self.cache: dict[tuple[str, str], tuple[tuple, list]] = {}
        self.fails = RateLimiter(LOGIN_FAILS_PER_ADDRESS, RATE_WINDOW_S)  # wrong api_keys per address
        self.media_map: tuple[tuple, dict[str, str]] = ((), {})  # (epoch, head) -> {report id: first photo}
        self.media_types: dict[str, str] = {}  # photo name -> ".jpg" / ".png" (files never change)

    def words(self, lang: str, key: str) -> str:
        try:
            with open(os.path.join(LANG_DIR, f"core.{lang}.json"), encoding="utf-8") as f:
                return json.load(f).get(key, key)
        except (OSError, ValueError):
            return key

    def lists(self, which: str, lang: str) -> list[dict[str, Any]]:
        """The tool's `services` or `requests` list, cached per language until the log grows."""
        app = self.app
        tool = app.snapshot_tool
        if not os.access(tool, os.X_OK):
            raise Open311Error(503, "Open311 needs the native core tool on the server (./sihui run builds it).",
                               [("Retry-After", "60")])
        with app.store.read() as q:
            head, epoch, _ = q.head()
            key = ("build",) if which == "services" else (epoch, head)
            with self.lock:
                hit = self.cache.get((which, lang))
            if hit and hit[0] == key:
                return hit[1]
            stdin, from_args = public_tool_input(app, q, epoch, head) if which == "requests" else (b"", [])
        proc = subprocess.run([tool, "--schema", SCHEMA_FILE, "--open311", which, "--lang", lang, "--words", LANG_DIR,
                               *from_args], input=stdin, capture_output=True, timeout=120)
        if proc.returncode != 0:
            app.print_err(f"{PROG}: Open311 {which} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
            raise Open311Error(503, "The reports cannot be listed right now; try again later.", [("Retry-After", "60")])
        doc = json.loads(proc.stdout)
        with self.lock:
            if len(self.cache) >= OPEN311_CACHE_MAX:
                self.cache.clear()
            self.cache[(which, lang)] = (key, doc)
        return doc

    # -- media_url: a report's first photo, served to anyone who can read the list (decision 0021, revision)
    def media(self) -> dict[str, str]:
        """{report id: the first photo of its report.file op}, for reports whose filing shows its photos to an
        anonymous reader (the public log the lists come from); rebuilt when the log grows."""
        app = self.app
        if not app.open311_media:
            return {}
        with app.store.read() as q:
            head, epoch, _ = q.head()
            if self.media_map[0] == (epoch, head):
                return self.media_map[1]
            rows = q.all("SELECT author, payload FROM ops WHERE kind = 'report.file' AND seq <= ? AND payload LIKE ?"
                         " ORDER BY seq", (head, '%"photos"%'))
        spec = app.schema.kinds.get("report.file")
        found: dict[str, str] = {}
        with app.mirror.lock:
            for author, payload in rows:
                doc = json.loads(payload)
                rid, photos = doc.get("id"), doc.get("photos")
                if not isinstance(rid, str) or rid in found or not isinstance(photos, list) or not photos:
                    continue
                if spec and "photos" in spec.personal and not app.mirror.may_see(Reader(None), "report.file", "photos",
                                                                                  author, doc):
                    continue
                if isinstance(photos[0], str) and PHOTO_HASH_RE.match(photos[0]):
                    found.setdefault(rid, photos[0])
        self.media_map = ((epoch, head), found)
        return found

    def media_path(self, name: str) -> str:
        return os.path.join(self.app.data_dir, "photos", name[:2], name)

    def media_suffix(self, name: str) -> str | None:
        """".jpg" or ".png" for a photo the server holds; None until it has been uploaded."""
        hit = self.media_types.get(name)
        if hit:
            return hit
        try:
            with open(self.media_path(name), "rb") as f:
                head = f.read(8)
        except OSError:
            return None
        kind = App.photo_type(head)
        if kind is None:
            return None
        suffix = ".png" if kind == "image/png" else ".jpg"
        if len(self.media_types) > 100_000:
            self.media_types.clear()
        self.media_types[name] = suffix
        return suffix

    def with_media(self, request: Request, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The requests with media_url (absolute: --public-origin, else this request's Host) where they have a photo
        on this server. The cached list is not changed: each answer gets its own copies."""
        media = self.media()
        if not media:
            return found
        origin = self.app.origin(request)
        out = []
        for r in found:
            name = media.get(r["service_request_id"])
            suffix = self.media_suffix(name) if name and origin else None
            out.append({**r, "media_url": f"{origin}{OPEN311_MEDIA}{name}{suffix}"} if suffix else r)
        return out

    def get_media(self, request: Request) -> ApiResponse:
        """A report's first photo for any reader of the Open311 lists; 404 for every other name."""
        rest = request.path[len(OPEN311_MEDIA):]
        name, dot, suffix = rest.partition(".")
        if not PHOTO_HASH_RE.match(name) or name not in set(self.media().values()) \
                or self.media_suffix(name) != dot + suffix:
            raise Open311Error(404, "There is no such media here.")
        try:
            with open(self.media_path(name), "rb") as f:
                body = f.read()
        except OSError:
            raise Open311Error(404, "There is no such media here.") from None
        return ApiResponse(200, None, [("Cache-Control", "public, max-age=86400")], raw=body,
                           content_type=App.photo_type(body[:8]) or "application/octet-stream")

    # -- GET
    def get(self, request: Request) -> ApiResponse:
        if request.path.startswith(OPEN311_MEDIA):
            return self.get_media(request)
        rest = request.path[len(OPEN311_PREFIX):]
        name, dot, fmt = rest.rpartition(".")
        if not dot or "/" in fmt:
            raise Open311Error(404, "There is no Open311 resource at this path.")
        if fmt != "json":
            raise Open311Error(400, "Only the JSON format is offered: end the path with .json.")
        lang = open311_lang(request)
        if name == "services":
            return ApiResponse(200, self.lists("services", lang))
        if name.startswith("services/"):
            code = name[len("services/"):]
            for s in self.lists("services", lang):
                if s["service_code"] == code:
                    return ApiResponse(200, {**s, "attributes": []})
            raise Open311Error(404, f"There is no service with the code {shown(code)}.")
        if name == "requests":
            return ApiResponse(200, self.with_media(request, self.find(request, lang)))
        if name.startswith("requests/"):
            rid = name[len("requests/"):]
            found = [r for r in self.lists("requests", lang) if r["service_request_id"] == rid]
            if not found:
                raise Open311Error(404, f"There is no service request with the id {shown(rid)}.")
            return ApiResponse(200, self.with_media(request, found))
        raise Open311Error(404, "There is no Open311 resource at this path.")

    def find(self, request: Request, lang: str) -> list[dict[str, Any]]:
        one = lambda name: (request.query.get(name) or [""])[-1].strip()  # noqa: E731
        many = lambda name: {v.strip() for v in one(name).split(",") if v.strip()}  # noqa: E731 - comma delimited
        every = self.lists("requests", lang)
        ids = many("service_request_id")
        if ids:  # the spec: every other parameter is then ignored
            return [r for r in every if r["service_request_id"] in ids]
        codes, statuses = many("service_code"), many("status")
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed (or both, comma delimited).")
        start = open311_time(one("start_date"), "start_date") if one("start_date") else None
        end = open311_time(one("end_date"), "end_date") if one("end_date") else None
        if start is None and end is None:
            start = now_ms() - OPEN311_DEFAULT_DAYS * 86_400_000
        if start is not None and end is not None and start > end:
            raise Open311Error(400, "start_date is after end_date.")
        out = []
        for r in every:
            if (codes and r["service_code"] not in codes) or (statuses and r["status"] not in statuses):
                continue
            at = open311_time(r["requested_datetime"], "requested_datetime")
            if (start is not None and at < start) or (end is not None and at > end):
                continue
            out.append(r)
            if len(out) >= OPEN311_MAX_REQUESTS:
                break
        return out

    # -- POST requests.json
    def account(self, request: Request, key: str) -> Auth:
        app = self.app
        where = request.client_address
        retry = self.fails.retry_after(where)
        if retry:
            raise Open311Error(429, f"Too many wrong api_keys; try again in {retry} seconds.", [("Retry-After", str(retry))])
        if not key or len(key) > 200:
            raise Open311Error(403, "An api_key is required to file a service request.")
        with app.store.read() as q:
            head, epoch, _ = q.head()
            app.mirror.sync(q, epoch, head)
            cols = "a.id, a.login, a.name, a.person, a.kind, a.verified"
            row = q.one(f"SELECT {cols} FROM open311_keys k JOIN accounts a ON a.id = k.account WHERE k.key_hash = ?",
                        (token_hash(key),))
            by_device = row is None
            if by_device:
                row = q.one(f"SELECT {cols} FROM devices d JOIN accounts a ON a.id = d.account WHERE d.token_hash = ?",
                            (token_hash(key),))
        if row is None:
            self.fails.fail(where)
            raise Open311Error(403, "The api_key is not valid.")
        person = app.mirror.persons.get(row[3])
        if not row[5] or person is None or person.left:
            raise Open311Error(403, "The api_key's account has no verified person in this community.")
        if by_device and not app.mirror.reader(row[3]).staff:
            raise Open311Error(403, "Only a staff member's token or an Open311 key may file service requests.")
        return Auth(row[0], row[1], row[2], row[3], row[4], True, OPEN311_DEVICE)

    def post(self, request: Request) -> ApiResponse:
        if request.path[len(OPEN311_PREFIX):] != "requests.json":
            raise Open311Error(404, "Service requests are filed at requests.json.")
        body = request.read_body(SMALL_BODY_LIMIT)
        ctype = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/json":
            try:
                doc = json.loads(body)
            except (ValueError, RecursionError):
                raise Open311Error(400, "The body is not valid JSON.") from None
            if not isinstance(doc, dict):
                raise Open311Error(400, "The body must be a JSON object.")
            form = {k: v if isinstance(v, str) else json.dumps(v) if v is not None else "" for k, v in doc.items()}
        else:  # application/x-www-form-urlencoded, as the spec has it
            try:
                parsed = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise Open311Error(400, "The form is not UTF-8.") from None
            form = {k: v[0] for k, v in parsed.items()}
        form = {k: v.strip() for k, v in form.items()}
        key = form.get("api_key") or (request.query.get("api_key") or [""])[0]
        auth = self.account(request, key)
        lang = open311_lang(request)
        services = {s["service_code"]: s for s in self.lists("services", "zh-CN")}
        code = form.get("service_code", "")
        if not code:
            raise Open311Error(400, "service_code is required.")
        if code not in services:
            raise Open311Error(404, f"There is no service with the code {shown(code)}; see services.json.")
        category = services[code]["keywords"].split(",")[0]
        payload: dict[str, Any] = {"category": category, "subtype": code}
        # Where: address_id (a unit, building or compound id), else lat/long (the nearest compound within
        # about 300 m, else the bare point, which goes to the committee). address_string cannot be
        # located here; it is kept with the description.
        mirror = self.app.mirror
        place = form.get("address_id", "")
        if place:
            with mirror.lock:
                kind = "unit" if place in mirror.units else "building" if place in mirror.buildings else \
                    "compound" if place in mirror.compounds else ""
            if not kind:
                raise Open311Error(400, f"address_id {shown(place)} is not a unit, building or compound here.")
            payload[kind] = place
        lat, lon = form.get("lat", ""), form.get("long", "")
        if lat or lon:
            try:
                la, lo = float(lat), float(lon)
            except ValueError:
                raise Open311Error(400, "lat and long must both be decimal degrees.") from None
            if not (-90 <= la <= 90 and -180 <= lo <= 180):
                raise Open311Error(400, "lat must be within -90..90 and long within -180..180.")
            payload["point_x"], payload["point_y"] = round(lo * 1e6), round(la * 1e6)
            if not place:
                near = mirror.nearest_compound(payload["point_x"], payload["point_y"], OPEN311_NEAR)
                if near:
                    payload["compound"] = near
        if not place and not (lat or lon):
            raise Open311Error(400, "A location is required: lat and long, or address_id.")
        text = form.get("description", "")
        if form.get("address_string"):
            text = (text + "\n" if text else "") + form["address_string"]
        media_url = form.get("media_url", "")
        if media_url:  # kept as a link on its own line of the description; the server never fetches it (SSRF)
            text = (text + "\n" if text else "") + open311_media_url(media_url)
        if len(text) > 2000:
            raise Open311Error(400, "description is longer than 2000 characters.")
        if text:
            payload["description"] = text
        # The caller's own words about themselves are personal fields of the report (staff and that grid see them).
        first, last = form.get("first_name", ""), form.get("last_name", "")
        cjk = any(ord(ch) > 0x2E80 for ch in first + last)
        name = (last + first) if cjk else " ".join(x for x in (first, last) if x)
        if len(name) > 32:
            raise Open311Error(400, "first_name and last_name together are longer than 32 characters.")
        phone = form.get("phone", "")
        if len(phone) > 20:
            raise Open311Error(400, "phone is longer than 20 characters.")
        if name:
            payload["caller_name"] = name
        if phone:
            payload["caller_phone"] = phone
        op_id = secrets.token_hex(16)
        payload["id"] = "r-" + op_id[:12]
        app = self.app
        try:
            prepared = app.prepare_op({"id": op_id, "kind": "report.file", "made_at": now_ms(), "payload": payload}, 0)
            app.commit_ops(auth, [prepared])
        except ApiError as err:
            if err.status >= 500:
                raise
            raise Open311Error(400 if err.status == 422 else err.status, err.message) from None
        return ApiResponse(201, [{"service_request_id": payload["id"],
                                  "service_notice": self.words(lang, "open311.notice")}])


    def route(self, handler: Callable[[Request], ApiResponse]) -> Callable[[Request], ApiResponse]:
        """Open311's error shape for every failure: [{"code": status, "description": ...}]."""
        def run(request: Request) -> ApiResponse:
            try:
                return handler(request)
            except Open311Error as err:
                return ApiResponse(err.status, [{"code": err.status, "description": err.description}], err.headers)
            except ApiError as err:
                return ApiResponse(err.status, [{"code": err.status, "description": err.message}], err.headers)
            except (StoreError, *self.app.store.errors) as err:
                self.app.print_err(f"{PROG}: database error on Open311 {printable(request.path)}: {type(err).__name__}: "
                                   f"{printable(str(err))}")
                return ApiResponse(503, [{"code": 503, "description": "The server cannot reach its database; try again "
                                          "later."}], [("Retry-After", "5")])
        return run


# [SECTION] Accounts ----------------------------------------------------------
# Passwords: scrypt (hashlib.scrypt). Tokens: 32 random bytes, only their sha256 is stored,
# each bound to one device id. Rate limits live in memory (per process).


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=64 * 1024 * 1024, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(digest)}"


def check_password(password: str, stored: str | None) -> bool:
    """Constant work whether or not the account exists (stored None: a dummy hash)."""
    try:
        _, n, r, p, salt, digest = (stored or DUMMY_PASSWORD_HASH).split("$")
        got = hashlib.scrypt(password.encode("utf-8", "replace"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=64 * 1024 * 1024, dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest)) and stored is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def new_invite_code() -> str:
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


class RateLimiter:
    """At most `limit` failures per key within `window` seconds; then Retry-After."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._fails: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        now = time.monotonic()
        with self._lock:
            fails = [t for t in self._fails.get(key, []) if t > now - self.window]
            if fails:
                self._fails[key] = fails
            else:
                self._fails.pop(key, None)
            if len(fails) < self.limit:
                return 0
            return max(1, int(fails[0] + self.window - now + 1))

    def fail(self, key: str) -> None:
        with self._lock:
            if len(self._fails) > 100_000:  # a flood of distinct keys: forget, do not grow forever
                self._fails.clear()
            self._fails.setdefault(key, []).append(time.monotonic())

    def reset(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


@dataclasses.dataclass
class Auth:
    account: str
    login: str | None
    name: str
    person: str
    kind: str  # "staff" (made by an admin) or "resident" (registered)
    verified: bool
    device: str


def crash_point(name: str) -> None:
    """For the crash tests only: SIHUI_TEST_CRASH=NAME kills the process right here."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# [SECTION] API ---------------------------------------------------------------


class ApiError(Exception):
    """An API failure: sent as {"error": {"code": ..., "message": ...}}."""

    def __init__(self, status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code  # stable, machine-readable, dotted ("op.conflict"); clients switch on it
        self.message = message  # one sentence for people
        self.headers = headers or []
        self.extra = extra or {}  # more members of the error object ("op", "field", ...)


@dataclasses.dataclass
class ApiResponse:
    status: int
    payload: Any  # anything json.dumps accepts
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    raw: bytes | None = None  # a body already encoded as JSON (the pull builds its own)
    content_type: str = "application/json"  # of raw


@dataclasses.dataclass
class Request:
    method: str  # "GET", "POST", ...; HEAD arrives as HEAD at a GET handler
    path: str  # raw path without the query string
    query: dict[str, list[str]]
    headers: Message
    read_body: Callable[[int], bytes]  # read_body(limit) -> the whole body, or ApiError
    client_address: str = ""


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


@dataclasses.dataclass
class PreparedOp:
    index: int
    id: str
    spec: KindSpec
    client_made_at: int
    payload: dict[str, Any]
    payload_text: str


def parse_json_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except RecursionError:
        raise ApiError(400, "request.invalid_json", "The request body is nested too deeply.") from None
    except ValueError:
        raise ApiError(400, "request.invalid_json", "The request body is not valid JSON.") from None


def json_object_body(request: "Request", limit: int = SMALL_BODY_LIMIT) -> dict[str, Any]:
    doc = parse_json_body(request.read_body(limit))
    if not isinstance(doc, dict):
        raise ApiError(400, "request.invalid", "The request body must be a JSON object.")
    return doc


def field(doc: dict[str, Any], name: str, check: Callable[[Any], bool], what: str) -> Any:
    value = doc.get(name)
    if not check(value):
        raise ApiError(422, "request.invalid", f"The field '{name}' must be {what}.", extra={"field": name})
    return value


def op_error(status: int, code: str, message: str, p: PreparedOp | None, index: int, op_id: Any = None,
             **extra: Any) -> ApiError:
    ident = p.id if p else (op_id if isinstance(op_id, str) and OP_ID_RE.match(op_id) else None)
    return ApiError(status, code, message, extra={"op": ident, "index": index, **extra})


class App:
    """Everything a request needs: the static files, the data folder, the store, the routes."""

    snapshots: "Snapshots | None" = None  # set by run() when the snapshot tool is there
    snapshot_tool: str = SNAPSHOT_TOOL_DEFAULT  # the native core tool (snapshots and calendar feeds)
    public_origin: str = ""  # --public-origin: how the outside world reaches this server (absolute URLs)
    open311_media: bool = False  # --open311-media turns media_url (and its anonymous photo) on

    def __init__(self, root_real: str, root_display: str, data_dir: str, quiet: bool,
                 store: Store, schema: OpSchema, embed_origins: list[str] | None = None):
        self.static = StaticFiles(root_real)
        self.frame_policy = frame_policy(embed_origins or [])
        self.root = root_real
        self.root_display = root_display
        self.data_dir = data_dir
        self.quiet = quiet
        self.store = store
        self.schema = schema
        self.mirror = Mirror(schema)
        with store.read() as q:
            head, epoch, _ = q.head()
            self.mirror.sync(q, epoch, head)
        self._write_lock = threading.Lock()  # one push at a time per process (the DB lock orders processes)
        self.login_limits = RateLimiter(LOGIN_FAILS_PER_LOGIN, RATE_WINDOW_S)
        self.address_limits = RateLimiter(LOGIN_FAILS_PER_ADDRESS, RATE_WINDOW_S)
        self.register_limits = RateLimiter(REGISTER_PER_ADDRESS, RATE_WINDOW_S)
        self._print_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._build_key: tuple[int, int, int] | None = None
        self._build_id: str | None = None
        self.router = Router()
        self.router.add("GET", "/api/v1/health", self.api_health)
        self.router.add("POST", "/api/v1/ops", self.api_push)
        self.router.add("GET", "/api/v1/ops", self.api_pull)
        self.router.add("GET", "/api/v1/snapshot", self.api_snapshot)
        self.router.add("POST", "/api/v1/login", self.api_login)
        self.router.add("POST", "/api/v1/claim", self.api_claim)
        self.router.add("POST", "/api/v1/register", self.api_register)
        self.router.add("GET", "/api/v1/me", self.api_me)
        self.router.add("GET", "/api/v1/registrations", self.api_registrations)
        self.router.add("POST", "/api/v1/registrations/", self.api_verify)
        self.router.add("GET", "/api/v1/feeds", self.api_feeds)
        self.router.add("POST", "/api/v1/feeds/mine", self.api_feed_token)
        self.router.add("GET", "/api/v1/feeds/", self.api_feed)
        self.router.add("PUT", "/api/v1/photos/", self.api_photo_put)
        self.router.add("GET", "/api/v1/photos/", self.api_photo_get)
        self.feeds = Feeds(self)
        self.open311 = Open311(self)
        self.router.add("GET", OPEN311_PREFIX, self.open311.route(self.open311.get))
        self.router.add("POST", OPEN311_PREFIX, self.open311.route(self.open311.post))

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

    def origin(self, request: Request) -> str:
        """scheme://host[:port] for absolute URLs in answers: --public-origin, else http:// and the request's
        Host header when it is a plain host[:port] (behind an https proxy, set --public-origin); "" if neither."""
        if self.public_origin:
            return self.public_origin
        host = (request.headers.get("Host") or "").strip()
        return f"http://{host.lower()}" if HOST_HEADER.match(host) else ""

    def api_health(self, request: Request) -> ApiResponse:
        with self.store.read() as q:
            epoch = q.head()[1]
        return ApiResponse(200, {"ok": True, "build": self.build_id(), "epoch": epoch})

    # -- authentication

    def authenticate(self, request: Request, required: bool = True) -> Auth | None:
        header = request.headers.get("Authorization")
        if not header:
            if required:
                raise ApiError(401, "auth.required", "Sign in first: this request needs a device token.")
            return None
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise ApiError(401, "auth.invalid_token", "The token is not valid; sign in again.")
        device = request.headers.get("X-Sihui-Device")
        if not is_id(device):
            raise ApiError(401, "auth.device_mismatch", "Send this device's id in the X-Sihui-Device header.")
        with self.store.read() as q:
            row = q.one("SELECT a.id, a.login, a.name, a.person, a.kind, a.verified, d.device FROM devices d"
                        " JOIN accounts a ON a.id = d.account WHERE d.token_hash = ?", (token_hash(token),))
        if row is None:
            raise ApiError(401, "auth.invalid_token", "The token is not valid; sign in again.")
        if row[6] != device:
            raise ApiError(401, "auth.device_mismatch", "This token belongs to another device.")
        return Auth(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])

    def issue_token(self, q: Query, account: str, device: str) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        q.run("DELETE FROM devices WHERE account = ? AND device = ?", (account, device))
        q.run("INSERT INTO devices (token_hash, account, device, created_at) VALUES (?, ?, ?, ?)",
              (token_hash(token), account, device, now_ms()))
        return token

    def require_staff(self, auth: Auth) -> None:
        if not auth.verified or not self.mirror.reader(auth.person).staff:
            raise ApiError(403, "auth.staff_only", "Only community staff may do this.")

    @staticmethod
    def rate_limited(retry: int) -> ApiError:
        return ApiError(429, "auth.rate_limited", f"Too many attempts; try again in {retry} seconds.",
                        [("Retry-After", str(retry))], extra={"retry_after": retry})

    # -- POST /api/v1/ops

    def prepare_op(self, raw: Any, index: int) -> PreparedOp:
        if not isinstance(raw, dict):
            raise op_error(422, "op.invalid", f"Operation {index} is not a JSON object.", None, index)
        op_id = raw.get("id")
        if not isinstance(op_id, str) or not OP_ID_RE.match(op_id):
            raise op_error(422, "op.invalid", f"Operation {index} has no id of 32 lowercase hex digits.",
                           None, index, field="id")
        kind = raw.get("kind")
        spec = self.schema.kinds.get(kind) if isinstance(kind, str) else None
        if spec is None:
            raise op_error(422, "op.unknown_kind", f"The kind '{shown(kind)}' is not known to this server.",
                           None, index, op_id, field="kind")
        made_at = raw.get("made_at")
        if not is_int(made_at) or made_at < 0:
            raise op_error(422, "op.invalid", "made_at must be a non-negative integer of milliseconds.",
                           None, index, op_id, field="made_at")
        payload = raw.get("payload")
        if not isinstance(payload, dict):
            raise op_error(422, "op.invalid", "payload must be a JSON object.", None, index, op_id, field="payload")
        problem = self.schema.check_payload(spec, payload)
        if problem:
            name = problem.partition(":")[0]
            raise op_error(422, "op.invalid", f"The payload does not fit {kind}: {problem}.", None, index,
                           op_id, field=f"payload.{name}")
        if kind == "role.grant" and payload.get("name") is not None and payload.get("role") not in Mirror.PUBLIC_ROLES:
            # The name is public in every reader's copy of the grant: only for roles whose names are (0023).
            raise op_error(422, "op.invalid", "Only a grant of a public role (grid, building or unit leader, "
                           "grid worker) carries a name.", None, index, op_id, field="payload.name")
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return PreparedOp(index, op_id, spec, made_at, payload, text)

    def api_push(self, request: Request) -> ApiResponse:
        auth = self.authenticate(request)
        doc = parse_json_body(request.read_body(PUSH_BODY_LIMIT))
        if not isinstance(doc, dict) or not isinstance(doc.get("ops"), list):
            raise ApiError(400, "request.invalid", 'The body must be {"ops": [...]}.')
        raw_ops = doc["ops"]
        device_epoch = doc.get("epoch")
        if device_epoch is not None and not is_text(device_epoch):
            raise ApiError(400, "request.invalid", "epoch must be the string the server gave.", extra={"field": "epoch"})
        if not raw_ops:
            raise ApiError(422, "batch.empty", "The batch has no operations.")
        if len(raw_ops) > PUSH_MAX_OPS:
            raise ApiError(413, "batch.too_large", f"A batch holds at most {PUSH_MAX_OPS} operations.",
                           extra={"max": PUSH_MAX_OPS})
        if not auth.verified:
            raise ApiError(403, "account.unverified", "The office has not verified this account yet.")
        prepared = [self.prepare_op(raw, i) for i, raw in enumerate(raw_ops)]
        epoch, base, seqs, head = self.commit_ops(auth, prepared, device_epoch=device_epoch)
        return ApiResponse(200, {"epoch": epoch, "epoch_base": base, "seqs": seqs, "last_seq": head})

    def commit_ops(self, auth: Auth, prepared: list[PreparedOp],
                   also: Callable[[Query, list[int]], None] | None = None,
                   device_epoch: str | None = None) -> tuple[str, int, list[int], int]:
        """Gate, number and store a batch in one transaction; `also` runs in the same one.
        With device_epoch (what the device holds) other than the server's, nothing is committed."""
        received = now_ms()
        hashes = [hashlib.sha256(f"{p.spec.kind}\n{auth.device}\n{p.client_made_at}\n{p.payload_text}"
                                 .encode("utf-8")).hexdigest() for p in prepared]
        with self._write_lock:
            with self.store.write() as q:
                head, epoch, base = q.lock_head()
                if device_epoch is not None and device_epoch != epoch:
                    raise ApiError(409, "sync.epoch_changed", "The server was restored from a backup; "
                                   "sync again from the start.", extra={"epoch": epoch, "epoch_base": base})
                self.mirror.sync(q, epoch, head)
                known: dict[str, tuple[int, str]] = {}
                ids = list({p.id for p in prepared})
                for i in range(0, len(ids), 250):
                    chunk = ids[i:i + 250]
                    for seq, op_id, body_hash in q.all(
                            f"SELECT seq, id, body_hash FROM ops WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                        known[op_id] = (int(seq), body_hash)
                gate = self.gate_state(auth.person)
                first, seqs, rows, applied = head + 1, [], [], []
                for p, body_hash in zip(prepared, hashes):
                    if p.id in known:
                        seq, stored_hash = known[p.id]
                        if stored_hash != body_hash:
                            raise op_error(409, "op.conflict", "Another operation with this id is already stored.",
                                           p, p.index)
                        seqs.append(seq)
                        continue
                    self.gate(gate, p)
                    head += 1
                    made_at = min(p.client_made_at, received)
                    rows.append((head, p.id, p.spec.kind, auth.person, auth.device, auth.account, made_at,
                                 p.client_made_at, received, p.payload_text, body_hash))
                    applied.append((p.spec.kind, auth.person, p.payload))
                    known[p.id] = (head, body_hash)
                    seqs.append(head)
                    self.gate_apply(gate, auth.person, p)
                if rows:
                    q.many("INSERT INTO ops (seq, id, kind, author, device, account, made_at, client_made_at,"
                           " received_at, payload, body_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                    q.run("UPDATE meta SET head = ? WHERE id = 1", (head,))
                if also:
                    also(q, seqs)
                crash_point("before_commit")
            crash_point("after_commit")
            if rows:
                self.mirror.applied(epoch, first, applied, head)
                if self.snapshots:
                    self.snapshots.poke(head)
        return epoch, base, seqs, head

    def gate_state(self, person: str) -> dict[str, Any]:
        """What the gate knows about the author, updated op by op within a batch."""
        with self.mirror.lock:
            p = self.mirror.persons.get(person)
            return {"initialised": self.mirror.initialised, "left": bool(p and p.left),
                    "grants": set(p.grants) if p else set()}

    def gate(self, g: dict[str, Any], p: PreparedOp) -> None:
        roles = p.spec.roles
        if "anyone" in roles and not g["initialised"]:
            return
        if "resident" in roles:
            return  # any verified account with a person (checked before the batch)
        if not g["left"] and any(role in roles for role, _ in g["grants"]):
            return
        if "anyone" in roles:
            message = "The community is already set up."
        else:
            message = f"Your role may not submit {p.spec.kind}."
        raise op_error(403, "op.kind_forbidden", message, p, p.index, kind=p.spec.kind)

    @staticmethod
    def gate_apply(g: dict[str, Any], person: str, p: PreparedOp) -> None:
        kind, pl = p.spec.kind, p.payload
        if kind == "community.init" and not g["initialised"]:
            g["initialised"] = True
            g["grants"].add(("staff", ""))
        elif kind in ("role.grant", "role.revoke", "grid.set_leader") and pl.get("person") == person:
            if kind == "grid.set_leader":
                g["grants"].add(("grid_leader", pl.get("grid")))
                return
            role = pl.get("role")
            grant = (role, (pl.get("scope") or "") if role in SCOPE_KIND else "")
            (g["grants"].add if kind == "role.grant" else g["grants"].discard)(grant)
        elif kind == "person.leave" and pl.get("person") == person:
            g["left"] = True

    # -- GET /api/v1/ops

    def api_pull(self, request: Request) -> ApiResponse:
        auth = self.authenticate(request, required=False)
        after = self.query_int(request, "after", 0, 0, INT64_MAX)
        limit = self.query_int(request, "limit", PULL_LIMIT_DEFAULT, 1, PULL_LIMIT_MAX)
        with self.store.read() as q:
            head, epoch, base = q.head()
            self.mirror.sync(q, epoch, head)
            rows = q.all(f"SELECT {OP_COLUMNS} FROM ops WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                         (after, head, limit))
        reader = self.mirror.reader(auth.person if auth else None)
        parts = self.render_ops(rows, reader)
        last = int(rows[-1][0]) if rows else after
        body = (f'{{"epoch":"{epoch}","epoch_base":{base},"ops":[' + ",".join(parts) +
                f'],"last_seq":{head},"more":{"true" if last < head else "false"}}}')
        return ApiResponse(200, None, raw=body.encode("utf-8"))

    def render_ops(self, rows: list[tuple], reader: Reader) -> list[str]:
        """Ops as JSON texts for one reader, personal fields it may not see masked (decision 0009)."""
        parts = []
        with self.mirror.lock:
            for seq, op_id, kind, author, device, made_at, received_at, payload in rows:
                spec = self.schema.kinds.get(kind)
                if spec and spec.personal and any(f'"{f}"' in payload for f in spec.personal):  # else nothing to mask
                    doc = json.loads(payload)
                    hidden = [f for f in spec.personal if doc.get(f) is not None and
                              not self.mirror.may_see(reader, kind, f, author, doc)]
                    if hidden:
                        for f in hidden:
                            doc[f] = mask(doc[f])
                        payload = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                parts.append(f'{{"seq":{seq},"id":"{op_id}","kind":"{kind}","author":"{author}",'
                             f'"device":"{device}","made_at":{made_at},"received_at":{received_at},'
                             f'"payload":{payload}}}')
        return parts

    def api_snapshot(self, request: Request) -> ApiResponse:
        """A new device's start: the newest snapshot for its reader's class, one header line
        {"epoch", "epoch_base", "seq", "hash", "class"} then the snapshot text; gzip when accepted."""
        auth = self.authenticate(request, required=False)
        reader = self.mirror.reader(auth.person if auth else None)
        cls = snapshot_class(reader)
        with self.store.read() as q:
            head, epoch, base = q.head()
            self.mirror.sync(q, epoch, head)
        found = self.snapshots.latest(cls, epoch) if cls and self.snapshots else None
        # No snapshot for this reader (yet) is not an error: 204, and the device pulls the log from 0.
        if found is None:
            return ApiResponse(204, None, raw=b"")
        meta, path = found
        gzip_ok = parse_accept_encoding(request.headers.get("Accept-Encoding")).get("gzip", 0) > 0
        try:
            with open(path + (".gz" if gzip_ok else ""), "rb") as f:
                body = f.read()
        except OSError:
            return ApiResponse(204, None, raw=b"")
        headers = [("Vary", "Accept-Encoding")] + ([("Content-Encoding", "gzip")] if gzip_ok else [])
        return ApiResponse(200, None, headers, raw=body)

    @staticmethod
    def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
        values = request.query.get(name)
        if not values:
            return default
        text = values[-1]
        if not re.fullmatch(r"[0-9]{1,19}", text) or not low <= int(text) <= high:
            raise ApiError(400, "request.invalid_query", f"The query parameter '{name}' must be a whole number "
                           f"from {low} to {high}.", extra={"field": name})
        return int(text)

    # -- calendar feeds (decision 0019)

    def api_feeds(self, request: Request) -> ApiResponse:
        """The public feeds' paths, and this person's if signed in and verified (a new token is made once)."""
        auth = self.authenticate(request, required=False)
        doc: dict[str, Any] = {"feeds": [{"name": k, "path": f"/api/v1/feeds/{k}.ics"} for k in FEED_KINDS]}
        if auth and auth.verified and auth.person:
            doc["mine"] = f"/api/v1/feeds/p/{self.feed_token(auth.person, renew=False)}.ics"
        return ApiResponse(200, doc)

    def api_feed_token(self, request: Request) -> ApiResponse:
        """POST {"renew": true}: a new secret link for this person's feed (the old one stops working)."""
        auth = self.authenticate(request)
        doc = json_object_body(request) if request.headers.get("Content-Length") not in (None, "0") else {}
        renew = doc.get("renew", False)
        if not isinstance(renew, bool):
            raise ApiError(400, "request.invalid", "'renew' must be true or false.", extra={"field": "renew"})
        if not auth.verified or not auth.person:
            raise ApiError(403, "feed.not_verified", "Your own calendar feed is there once the office has verified you.")
        token = self.feed_token(auth.person, renew)
        return ApiResponse(200, {"token": token, "path": f"/api/v1/feeds/p/{token}.ics"})

    def feed_token(self, person: str, renew: bool) -> str:
        with self.store.write() as q:
            row = q.one("SELECT token FROM feed_tokens WHERE person = ?", (person,))
            if row and not renew:
                return row[0]
            token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
            q.run("DELETE FROM feed_tokens WHERE person = ?", (person,))
            q.run("INSERT INTO feed_tokens (person, token, created_at) VALUES (?, ?, ?)", (person, token, now_ms()))
            return token

    def api_feed(self, request: Request) -> ApiResponse:
        """GET /api/v1/feeds/KIND.ics or /api/v1/feeds/p/TOKEN.ics [?lang=en]: text/calendar."""
        name = request.path[len("/api/v1/feeds/"):]
        lang = (request.query.get("lang") or ["zh-CN"])[-1]
        if lang not in FEED_LANGS:
            raise ApiError(400, "request.invalid_query", f"'lang' must be one of {', '.join(FEED_LANGS)}.",
                           extra={"field": "lang"})
        m = re.fullmatch(r"p/([A-Za-z0-9_-]{16,64})\.ics", name)
        if m:
            with self.store.read() as q:
                row = q.one("SELECT person FROM feed_tokens WHERE token = ?", (m.group(1),))
            if row is None:
                raise ApiError(404, "feed.not_found", "This calendar link is not valid (any more); copy it again from the app.")
            feed = "person:" + row[0]
        elif name.endswith(".ics") and name[:-4] in FEED_KINDS:
            feed = name[:-4]
        else:
            raise ApiError(404, "feed.not_found", "There is no calendar feed at this path.")
        body, etag = self.feeds.render(feed, lang)
        headers = [("ETag", etag), ("Content-Disposition", f'inline; filename="{"mine" if m else feed}.ics"')]
        if etag_matches(request.headers.get("If-None-Match") or "", etag):
            return ApiResponse(304, None, headers, raw=b"", content_type="text/calendar; charset=utf-8")
        return ApiResponse(200, None, headers, raw=body, content_type="text/calendar; charset=utf-8")

    # -- accounts

    # -- photos (decision 0021): PUT/GET /api/v1/photos/<sha256 hex>, files under DATA/photos/

    def photo_path(self, request: Request) -> tuple[str, str]:
        name = request.path[len("/api/v1/photos/"):]
        if not PHOTO_HASH_RE.match(name):
            raise ApiError(404, "photo.bad_name", "A photo is named by the SHA-256 of its bytes (64 hex digits).")
        return name, os.path.join(self.data_dir, "photos", name[:2], name)

    @staticmethod
    def photo_type(head: bytes) -> str | None:
        for magic, kind in PHOTO_TYPES:
            if head.startswith(magic):
                return kind
        return None

    def api_photo_put(self, request: Request) -> ApiResponse:
        """Store a photo under its content hash: any signed-in device; the same bytes again are a no-op."""
        self.authenticate(request)
        name, path = self.photo_path(request)
        if os.path.exists(path):
            return ApiResponse(200, {"ok": True, "stored": False})
        try:
            body = request.read_body(PHOTO_BODY_LIMIT)
        except ApiError as err:
            if err.status == 413:
                raise ApiError(413, "photo.too_large", f"A photo may be at most {PHOTO_BODY_LIMIT} bytes.",
                               extra={"max_bytes": PHOTO_BODY_LIMIT}) from None
            raise
        if hashlib.sha256(body).hexdigest() != name:
            raise ApiError(422, "photo.hash_mismatch", "The photo's bytes do not have the SHA-256 in its name.")
        if self.photo_type(body[:8]) is None:
            raise ApiError(415, "photo.wrong_type", "A photo must be a JPEG or PNG image.")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{secrets.token_hex(6)}.tmp"
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # content-addressed: two writers of the same name write the same bytes
        return ApiResponse(201, {"ok": True, "stored": True})

    def photo_visible(self, name: str, reader: Reader) -> bool:
        """Whether an op that carries this photo shows it to this reader after redaction (decision 0009):
        the same rule as the op's other personal fields when "payload.photos" is personal."""
        kinds = ",".join("?" * len(PHOTO_KINDS))
        with self.store.read() as q:
            rows = q.all(f"SELECT kind, author, payload FROM ops WHERE kind IN ({kinds}) AND payload LIKE ?",
                         (*PHOTO_KINDS, f"%{name}%"))
        with self.mirror.lock:
            for kind, author, payload in rows:
                doc = json.loads(payload)
                photos = doc.get("photos")
                if not isinstance(photos, list) or name not in photos:
                    continue
                spec = self.schema.kinds.get(kind)
                if spec and "photos" in spec.personal and not self.mirror.may_see(reader, kind, "photos", author, doc):
                    continue
                return True
        return False

    def api_photo_get(self, request: Request) -> ApiResponse:
        """A photo for a signed-in reader who may see an op that carries it; 404 otherwise (no hint that it exists)."""
        auth = self.authenticate(request)
        name, path = self.photo_path(request)
        if not os.path.exists(path) or not self.photo_visible(name, self.mirror.reader(auth.person)):
            raise ApiError(404, "photo.not_found", "There is no such photo for this reader (yet).")
        with open(path, "rb") as f:
            body = f.read()
        return ApiResponse(200, None, [("Cache-Control", "private, max-age=31536000, immutable")], raw=body,
                           content_type=self.photo_type(body[:8]) or "application/octet-stream")

    def api_login(self, request: Request) -> ApiResponse:
        doc = json_object_body(request)
        login = field(doc, "login", lambda v: is_text(v) and 0 < len(v) <= 64, "a login name")
        password = field(doc, "password", lambda v: is_text(v) and len(v) <= 256, "a password")
        device = field(doc, "device", is_id, "a device id")
        address = request.client_address
        retry = max(self.login_limits.retry_after(login.lower()), self.address_limits.retry_after(address))
        if retry:
            raise self.rate_limited(retry)
        with self.store.read() as q:
            row = q.one("SELECT id, password, person, name FROM accounts WHERE login = ?", (login,))
        if not check_password(password, row[1] if row else None):
            self.login_limits.fail(login.lower())
            self.address_limits.fail(address)
            raise ApiError(401, "auth.bad_credentials", "The login name or the password is wrong.")
        self.login_limits.reset(login.lower())
        with self.store.write() as q:
            token = self.issue_token(q, row[0], device)
        return ApiResponse(200, {"token": token, "person": row[2], "name": row[3], "login": login,
                                 "roles": self.mirror.roles_of(row[2])})

    def api_claim(self, request: Request) -> ApiResponse:
        doc = json_object_body(request)
        code = field(doc, "code", lambda v: is_text(v) and 0 < len(v) <= 64, "an invitation code")
        device = field(doc, "device", is_id, "a device id")
        address = request.client_address
        retry = self.address_limits.retry_after(address)
        if retry:
            raise self.rate_limited(retry)
        code_hash = token_hash(normalise_code(code))
        now = now_ms()
        with self.store.write() as q:
            row = q.one("SELECT i.account, a.person FROM invitations i JOIN accounts a ON a.id = i.account"
                        " WHERE i.code_hash = ? AND i.used_at IS NULL AND i.expires_at > ?", (code_hash, now))
            if row is not None:
                q.run("UPDATE invitations SET used_at = ?, used_device = ? WHERE code_hash = ?", (now, device, code_hash))
                token = self.issue_token(q, row[0], device)
                q.audit(f"account:{row[0]}", "invitation.claim", {"account": row[0], "device": device})
        if row is None:
            self.address_limits.fail(address)
            raise ApiError(401, "auth.bad_code", "This invitation code is wrong, used or expired.")
        return ApiResponse(200, {"token": token, "person": row[1], "roles": self.mirror.roles_of(row[1])})

    def api_register(self, request: Request) -> ApiResponse:
        doc = json_object_body(request)
        name = field(doc, "name", lambda v: is_text(v) and 0 < len(v.strip()) and len(v) <= 32,
                     "a name of 1 to 32 characters")
        phone = field(doc, "phone", lambda v: is_text(v) and len(v) <= 20, "a phone number of at most 20 characters")
        birth_year = field(doc, "birth_year", lambda v: is_int(v) and 1900 <= v <= 2100, "a year from 1900 to 2100")
        unit = field(doc, "unit", is_id, "a unit id")
        device = field(doc, "device", is_id, "a device id")
        with self.mirror.lock:
            known_unit = unit in self.mirror.units
        if not known_unit:
            raise ApiError(422, "register.unknown_unit", "There is no such unit in this community.",
                           extra={"field": "unit"})
        address = request.client_address
        retry = self.register_limits.retry_after(address)
        if retry:
            raise self.rate_limited(retry)
        self.register_limits.fail(address)  # every registration counts against the address
        account, person, reg = "a-" + secrets.token_hex(8), "p-" + secrets.token_hex(8), "r-" + secrets.token_hex(8)
        now = now_ms()
        with self.store.write() as q:
            q.run("INSERT INTO accounts (id, login, name, person, kind, verified, password, created_at)"
                  " VALUES (?, NULL, ?, ?, 'resident', 0, NULL, ?)", (account, name, person, now))
            q.run("INSERT INTO registrations (id, account, name, phone, birth_year, unit, status, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)", (reg, account, name, phone, birth_year, unit, now))
            token = self.issue_token(q, account, device)
        return ApiResponse(200, {"token": token, "person": person, "verified": False, "registration": reg})

    def api_me(self, request: Request) -> ApiResponse:
        auth = self.authenticate(request)
        return ApiResponse(200, {
            "account": auth.account, "login": auth.login, "name": auth.name, "person": auth.person,
            "kind": auth.kind, "verified": auth.verified, "device": auth.device,
            "roles": self.mirror.roles_of(auth.person) if auth.verified else [],
        })

    def api_registrations(self, request: Request) -> ApiResponse:
        auth = self.authenticate(request)
        self.require_staff(auth)
        with self.store.read() as q:
            rows = q.all("SELECT r.id, a.person, r.name, r.phone, r.birth_year, r.unit, r.created_at FROM registrations r"
                         " JOIN accounts a ON a.id = r.account WHERE r.status = 'pending' ORDER BY r.created_at, r.id")
        keys = ("id", "person", "name", "phone", "birth_year", "unit", "created_at")
        return ApiResponse(200, {"registrations": [dict(zip(keys, r)) for r in rows]})

    def api_verify(self, request: Request) -> ApiResponse:
        m = re.fullmatch(r"/api/v1/registrations/([A-Za-z0-9._:-]{1,64})/verify", request.path)
        if m is None:
            raise ApiError(404, "not_found", "There is no API route at this path.")
        auth = self.authenticate(request)
        self.require_staff(auth)
        reg_id = m.group(1)
        with self.store.read() as q:
            row = q.one("SELECT r.account, a.person, r.name, r.phone, r.birth_year, r.unit, r.status, r.op_id"
                        " FROM registrations r JOIN accounts a ON a.id = r.account WHERE r.id = ?", (reg_id,))
            done = row is not None and row[6] == "verified" and \
                q.one("SELECT seq FROM ops WHERE id = ?", (row[7],))
        if row is None:
            raise ApiError(404, "registration.not_found", "There is no such registration.")
        if done:  # a repeated verify answers like the first one
            return ApiResponse(200, {"registration": reg_id, "person": row[1], "seq": int(done[0]),
                                     "epoch": self.mirror.epoch})
        account, person, name, phone, birth_year, unit = row[:6]
        payload = {"id": person, "name": name, "birth_year": birth_year, "unit": unit}
        if phone:
            payload["phone"] = phone
        op = self.prepare_op({"id": secrets.token_hex(16), "kind": "person.add", "made_at": now_ms(),
                              "payload": payload}, 0)

        def mark_verified(q: Query, seqs: list[int]) -> None:
            status = q.one("SELECT status FROM registrations WHERE id = ?" + self.store.FOR_UPDATE, (reg_id,))
            if status is None or status[0] != "pending":
                raise ApiError(409, "registration.changed", "This registration changed meanwhile; reload the list.")
            q.run("UPDATE registrations SET status = 'verified', verified_by = ?, verified_at = ?, op_id = ?"
                  " WHERE id = ?", (auth.account, now_ms(), op.id, reg_id))
            q.run("UPDATE accounts SET verified = 1 WHERE id = ?", (account,))
            q.audit(f"account:{auth.account}", "registration.verify",
                    {"registration": reg_id, "person": person, "seq": seqs[0]})

        epoch, _, seqs, _ = self.commit_ops(auth, [op], mark_verified)
        return ApiResponse(200, {"registration": reg_id, "person": person, "seq": seqs[0], "epoch": epoch})


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

    def finish(self) -> None:
        # A refused request whose body was never read (413, 401 before the body...): closing at once
        # would reset the connection while the client still sends, and the client would lose our
        # answer. Say we are done writing, read and drop what is still coming (bounded), then close.
        if getattr(self, "_body_pending", False):
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(2)
                left = 64 * 1024 * 1024
                while left > 0:
                    chunk = self.connection.recv(min(left, 65536))
                    if not chunk:
                        break
                    left -= len(chunk)
            except OSError:
                pass
        super().finish()

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
            raise ApiError(411, "request.length_required", "Send the request body with a Content-Length header.")
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            raise ApiError(400, "request.bad_length", "The Content-Length header is not a number.") from None
        if length < 0:
            raise ApiError(400, "request.bad_length", "The Content-Length header is negative.")
        if length > limit:
            raise ApiError(413, "request.too_large", f"The request body is larger than {limit} bytes.",
                           extra={"max_bytes": limit})
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
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
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
        ctype = content_type_for(target.url_name)
        headers = [("Content-Type", ctype), ("Vary", "Accept-Encoding")]
        if ctype.startswith("text/html"):
            # Only this server and the --embed-origin sites may frame the app (the embed).
            headers.append(("Content-Security-Policy", self.app.frame_policy))
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
                self._start(304, [h for h in headers if h[0] in ("Vary", "Cache-Control", "ETag",
                                                                  "Content-Security-Policy")])
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
                client_address=str(self.client_address[0]),
            )
            response = handler(request)
        except ApiError as err:
            error = {"code": err.code, "message": err.message, **err.extra}
            response = ApiResponse(err.status, {"error": error}, err.headers)
        except (StoreError, *self.app.store.errors) as err:
            self.app.print_err(f"{PROG}: database error on {self.command} {printable(path)}: "
                               f"{type(err).__name__}: {printable(str(err))}")
            error = {"code": "server.database", "message": "The server cannot reach its database; try again later."}
            response = ApiResponse(503, {"error": error}, [("Retry-After", "5")])
        if response.raw is not None:
            extra = [("Cache-Control", CACHE_NONE)] + response.headers
            self._send_bytes(response.status, response.content_type, response.raw, extra)
        else:
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


# [SECTION] Admin -------------------------------------------------------------
# python3 serve.py admin COMMAND (or ./sihui admin COMMAND): accounts, invitations, the
# audit log, backup and restore. Each command opens the same database as the server
# (--data / --database) and may run while the server runs. Every command but `audit`
# writes an audit entry.


def admin_actor() -> str:
    try:
        return "admin:" + getpass.getuser()
    except Exception:
        return "admin"


def read_new_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password for the new account: ")
        if getpass.getpass("Same password again: ") != first:
            raise StartupError("the two passwords differ; nothing was created.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def admin_create_staff(args: argparse.Namespace, store: Store) -> None:
    if not is_id(args.person):
        raise StartupError("--person must be 1 to 64 of A-Z a-z 0-9 . _ : - (the person id used in the ops).")
    if not (0 < len(args.login) <= 64 and is_text(args.login)) or not (0 < len(args.name) <= 32):
        raise StartupError("--login must be 1 to 64 characters and --name 1 to 32.")
    password = read_new_password()
    if len(password) < MIN_PASSWORD:
        raise StartupError(f"the password must have at least {MIN_PASSWORD} characters; nothing was created.")
    account = "a-" + secrets.token_hex(8)
    with store.write() as q:
        if q.one("SELECT id FROM accounts WHERE login = ?", (args.login,)):
            raise StartupError(f"an account with the login {args.login!r} already exists.")
        if q.one("SELECT id FROM accounts WHERE person = ?", (args.person,)):
            raise StartupError(f"the person {args.person!r} already has an account.")
        q.run("INSERT INTO accounts (id, login, name, person, kind, verified, password, created_at)"
              " VALUES (?, ?, ?, ?, 'staff', 1, ?, ?)",
              (account, args.login, args.name, args.person, hash_password(password), now_ms()))
        q.audit(admin_actor(), "account.create_staff", {"account": account, "login": args.login, "person": args.person})
    print(f"created staff account {args.login} (person {args.person}, account {account})")


def admin_invite(args: argparse.Namespace, store: Store) -> None:
    code = new_invite_code()
    now = now_ms()
    with store.write() as q:
        row = q.one("SELECT id FROM accounts WHERE login = ?", (args.login,))
        if row is None:
            raise StartupError(f"there is no account with the login {args.login!r}; create it with create-staff.")
        q.run("INSERT INTO invitations (code_hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)",
              (token_hash(normalise_code(code)), row[0], now, now + args.days * 24 * 3600 * 1000))
        q.audit(admin_actor(), "invitation.create", {"account": row[0], "login": args.login, "days": args.days})
    print(code)


def admin_open311_key(args: argparse.Namespace, store: Store) -> None:
    """Print a new Open311 api_key acting as the account with this login (or revoke the key named --label)."""
    with store.write() as q:
        if args.revoke:
            gone = q.one("SELECT account FROM open311_keys WHERE label = ?", (args.label,))
            if gone is None:
                raise StartupError(f"there is no Open311 key labelled {args.label!r}.")
            q.run("DELETE FROM open311_keys WHERE label = ?", (args.label,))
            q.audit(admin_actor(), "open311_key.revoke", {"label": args.label, "account": gone[0]})
            print(f"revoked the Open311 key {args.label}")
            return
        if not args.login:
            raise StartupError("say whose account the key acts as: --login LOGIN.")
        row = q.one("SELECT id FROM accounts WHERE login = ?", (args.login,))
        if row is None:
            raise StartupError(f"there is no account with the login {args.login!r}; create it with create-staff.")
        if q.one("SELECT label FROM open311_keys WHERE label = ?", (args.label,)) is not None:
            raise StartupError(f"an Open311 key labelled {args.label!r} exists; revoke it first or pick another label.")
        key = secrets.token_urlsafe(TOKEN_BYTES)
        q.run("INSERT INTO open311_keys (key_hash, account, label, created_at) VALUES (?, ?, ?, ?)",
              (token_hash(key), row[0], args.label, now_ms()))
        q.audit(admin_actor(), "open311_key.create", {"label": args.label, "account": row[0], "login": args.login})
    print(key)


def admin_list_accounts(args: argparse.Namespace, store: Store) -> None:
    with store.write() as q:
        rows = q.all("SELECT a.id, a.login, a.name, a.person, a.kind, a.verified,"
                     " (SELECT COUNT(*) FROM devices d WHERE d.account = a.id) FROM accounts a ORDER BY a.created_at, a.id")
        q.audit(admin_actor(), "account.list", {"count": len(rows)})
    print("account\tlogin\tname\tperson\tkind\tverified\tdevices")
    for r in rows:
        print("\t".join(str(x if x is not None else "-") for x in (*r[:5], "yes" if r[5] else "no", r[6])))


def admin_audit(args: argparse.Namespace, store: Store) -> None:
    with store.read() as q:
        rows = q.all("SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?", (args.limit,))
    for id_, at, actor, action, detail in reversed(rows):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at / 1000))
        print(f"{id_}\t{when} UTC\t{actor}\t{action}\t{detail}")


def admin_backup(args: argparse.Namespace, store: Store) -> None:
    dest = os.path.abspath(args.to)
    progress = Progress()
    try:
        head, photos, damaged = store.backup(dest, os.path.join(args.data_dir, "photos"), progress)
    except OSError as exc:
        raise StartupError(f"cannot write {display_path(dest)} ({reason(exc)}).") from None
    with store.write() as q:
        q.audit(admin_actor(), "backup", {"file": dest, "head": head, "photos": photos, "damaged": damaged})
    for name in damaged:
        print(f"{PROG}: warning: the stored photo {name} is damaged (its bytes no longer have the SHA-256 in its "
              "name); it is not in the backup. Restore it from an older backup.", file=sys.stderr)
    print(f"backed up {head} ops and {photos} photos to {display_path(dest)}")


def admin_restore(args: argparse.Namespace, store: Store) -> None:
    """Check the whole backup (tables, then every photo against its name) before changing anything; then
    write the photos that are missing and replace the database in one transaction. If that fails, the
    photo files it created are removed again."""
    if not os.path.isfile(args.source):
        raise StartupError(f"there is no backup file {display_path(args.source)}.")
    shown_src = display_path(args.source)
    progress = Progress()
    src = sqlite3.connect(f"file:{urllib.parse.quote(os.path.abspath(args.source))}?mode=ro", uri=True)
    try:
        try:
            store.check_backup(src)
            photos = check_backup_photos(src, progress)
        except (StoreError, sqlite3.DatabaseError) as exc:
            raise StartupError(f"{shown_src} is not a whole Sihui backup ({exc}); nothing was changed.") from None
        created: list[str] = []
        try:
            created = restore_photos(src, os.path.join(args.data_dir, "photos"), progress)
            epoch, head = store.restore(src, admin_actor(), photos)
        except BaseException as exc:
            remove_files(created)
            if isinstance(exc, OSError):
                raise StartupError(f"cannot write the photos into {display_path(args.data_dir)} ({reason(exc)}); "
                                   "nothing was changed.") from None
            if isinstance(exc, (StoreError, sqlite3.DatabaseError)):
                raise StartupError(f"{shown_src} could not be restored ({exc}); nothing was changed.") from None
            raise
    finally:
        src.close()
    print(f"restored {head} ops and {photos} photos from {shown_src}; the new epoch is {epoch}")


ADMIN_COMMANDS = {
    "create-staff": admin_create_staff, "invite": admin_invite, "list-accounts": admin_list_accounts,
    "audit": admin_audit, "backup": admin_backup, "restore": admin_restore, "open311-key": admin_open311_key,
}


def admin_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"{PROG} admin", description="Manage a Sihui server's data.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help="the server's data folder")
    common.add_argument("--database", metavar="URL", help="postgresql://... if the server uses PostgreSQL")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("create-staff", parents=[common], help="create a staff account (password on stdin)")
    p.add_argument("--login", required=True)
    p.add_argument("--person", required=True, help="the person id this account acts as")
    p.add_argument("--name", required=True)
    p = sub.add_parser("invite", parents=[common], help="print a one-time code that signs a new device in")
    p.add_argument("--login", required=True)
    p.add_argument("--days", type=int, default=INVITE_TTL_MS // (24 * 3600 * 1000), help="valid for N days")
    p = sub.add_parser("open311-key", parents=[common], help="print a new Open311 api_key for an account")
    p.add_argument("--login", help="the account the key files reports as")
    p.add_argument("--label", required=True, help="a name for the key (the city tool it is for)")
    p.add_argument("--revoke", action="store_true", help="delete the key with this label instead")
    sub.add_parser("list-accounts", parents=[common], help="list the accounts")
    p = sub.add_parser("audit", parents=[common], help="print the audit log, oldest first")
    p.add_argument("--limit", type=int, default=200)
    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of everything (photos too) to FILE")
    p.add_argument("--to", required=True, metavar="FILE")
    p = sub.add_parser("restore", parents=[common], help="replace everything with a backup (a new epoch)")
    p.add_argument("--from", required=True, metavar="FILE", dest="source")
    args = parser.parse_args(argv)
    args.data_dir, _, store = open_data(args)
    try:
        ADMIN_COMMANDS[args.command](args, store)
    except StoreError as exc:
        raise StartupError(f"{exc}.") from None
    return 0



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
    parser.add_argument("--database", metavar="URL",
                        help="postgresql://... to keep the data in PostgreSQL (default: SQLite in --data)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument("--embed-origin", action="append", default=[], type=embed_origin, metavar="ORIGIN",
                        help="a site that may frame the app (the embed), e.g. https://news.example.org; repeatable")
    parser.add_argument("--public-origin", type=embed_origin, metavar="ORIGIN",
                        help="how others reach this server, e.g. https://sihui.example.org, for absolute links such "
                             "as Open311's media_url (default: http:// and the Host each request names)")
    parser.add_argument("--open311-media", action="store_true",
                        help="give Open311 readers a report's first photo (media_url, no token needed); "
                             "off by default: residents' photos stay in the app")
    parser.add_argument("--snapshot-every", type=int, default=SNAPSHOT_EVERY_DEFAULT, metavar="N",
                        help="make bootstrap snapshots every N ops (default %(default)s)")
    parser.add_argument("--snapshot-tool", default=SNAPSHOT_TOOL_DEFAULT, metavar="FILE",
                        help="the native snapshot maker (default: built by ./sihui run under build/release)")
    return parser.parse_args(argv)


def load_schema() -> OpSchema:
    try:
        return OpSchema.load(SCHEMA_FILE)
    except (OSError, ValueError) as exc:
        raise StartupError(f"cannot read the operation schema {display_path(SCHEMA_FILE)} ({shown(str(exc), 120)}).") from None


def open_data(args: argparse.Namespace) -> tuple[str, OpSchema, Store]:
    data_dir = prepare_data(args.data)
    schema = load_schema()
    try:
        store = open_store(args.database, data_dir, schema.version)
    except StoreError as exc:
        raise StartupError(f"{exc}.") from None
    return data_dir, schema, store


def run(args: argparse.Namespace) -> int:
    root_real = check_root(args.root)
    data_dir, schema, store = open_data(args)
    app = App(root_real, display_path(args.root), data_dir, args.quiet, store, schema, args.embed_origin)
    app.build_id()  # warn about a malformed build.json now rather than on the first request
    app.snapshot_tool = args.snapshot_tool
    app.public_origin = args.public_origin or ""
    app.open311_media = args.open311_media
    if os.access(args.snapshot_tool, os.X_OK):
        app.snapshots = Snapshots(app, args.snapshot_tool, args.snapshot_every, os.path.join(data_dir, "snapshots"))
        with store.read() as q:
            app.snapshots.poke(q.head()[0])
    else:
        app.print_err(f"{PROG}: warning: no snapshot tool at {display_path(args.snapshot_tool)}; new devices will "
                      "pull the whole log (./sihui run builds it).")
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
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["admin"]:
            return admin_main(argv[1:])
        args = parse_args(argv)
        return run(args)
    except StartupError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        return 2
    except KeyboardInterrupt:  # Ctrl-C: stop quietly
        return 0


if __name__ == "__main__":
    sys.exit(main())
