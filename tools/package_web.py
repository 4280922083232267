#!/usr/bin/python3
"""Assemble build/web/dist: content-hashed file names, index.html, build.json, .gz and .br.

Files of two builds are never mixed: every file the page loads carries a hash of its bytes
in its name (served as immutable), and index.html, which names them, is always revalidated.
Usage: package_web.py --wasm-dir build/web --fonts build/fonts --out build/web/dist
"""
import argparse
import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path

try:
    import brotli
except ImportError:  # Debian: python3-brotli; without it only .gz is written
    brotli = None

TOP = Path(__file__).resolve().parent.parent


def digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def hashed_name(name, data):
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest(data)}.{ext}" if dot else f"{name}.{digest(data)}"


def compress(path):
    data = path.read_bytes()
    if len(data) < 512:
        return
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    if len(gz) < len(data):
        Path(str(path) + ".gz").write_bytes(gz)
    if brotli is not None:
        br = brotli.compress(data, quality=11)
        if len(br) < len(data):
            Path(str(path) + ".br").write_bytes(br)


def favicon_ico():
    """A 32x32 icon drawn here: four white dots (the four gatherings) on community red.
    Browsers ask for /favicon.ico whatever the page links, so one is always served."""
    size = 32
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter type 0
        for x in range(size):
            corner = min(x, size - 1 - x) + min(y, size - 1 - y)
            inside = corner >= 3 or (min(x, size - 1 - x) >= 2 and min(y, size - 1 - y) >= 2)
            dot = any((x - cx) ** 2 + (y - cy) ** 2 <= 20 for cx in (10, 21) for cy in (10, 21))
            if not inside:
                row += bytes((0, 0, 0, 0))
            elif dot:
                row += bytes((255, 255, 255, 255))
            else:
                row += bytes((179, 26, 31, 255))
        rows.append(bytes(row))
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasm-dir", required=True)
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    wasm_dir, fonts, out = Path(a.wasm_dir), Path(a.fonts), Path(a.out)
    sources = {
        "sihui.js": wasm_dir / "sihui.js",
        "sihui.wasm": wasm_dir / "sihui.wasm",
        "fonts/first.ttf": fonts / "first.ttf",
        "fonts/common.ttf": fonts / "common.ttf",
        "fonts/full.ttf": fonts / "full.ttf",
        "fonts/fallback.ttf": fonts / "fallback.ttf",
    }
    for logical, src in sources.items():
        if not src.is_file():
            sys.exit(f"package_web.py: {src} is missing; the build did not finish.")
    if out.exists():
        shutil.rmtree(out)
    (out / "fonts").mkdir(parents=True)
    files, sizes = {}, {}
    build_hash = hashlib.sha256()
    for logical, src in sources.items():
        data = src.read_bytes()
        name = hashed_name(logical, data)
        (out / name).write_bytes(data)
        files[logical] = name
        sizes[logical] = len(data)
        build_hash.update(data)
    build_id = build_hash.hexdigest()[:12]
    build = {"build": build_id, "files": files, "sizes": sizes}
    template = (TOP / "shell" / "index.html").read_text(encoding="utf-8")
    html = (template.replace("{{{ BUILD_JSON }}}", json.dumps(build, separators=(",", ":")))
            .replace("{{{ APP_JS }}}", files["sihui.js"])
            .replace("{{{ APP_WASM }}}", files["sihui.wasm"])
            .replace("{{{ FIRST_FONT }}}", files["fonts/first.ttf"]))
    (out / "index.html").write_text(html, encoding="utf-8")
    (out / "build.json").write_text(json.dumps(build, indent=1) + "\n", encoding="utf-8")
    (out / "favicon.ico").write_bytes(favicon_ico())
    web = TOP / "web"
    if web.is_dir():
        for f in web.rglob("*"):
            if f.is_file():
                dest = out / f.relative_to(web)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
    for f in list(out.rglob("*")):
        if f.is_file() and f.suffix not in (".gz", ".br"):
            compress(f)
    print(f"web build {build_id}: {len(files)} files in {out}")


if __name__ == "__main__":
    main()
