#!/usr/bin/python3
"""Assemble build/web/dist: content-hashed file names, index.html, build.json, .gz and .br.

Files of two builds are never mixed: every file the page loads carries a hash of its bytes
in its name (served as immutable), and index.html, which names them, is always revalidated.
Usage: package_web.py --wasm-dir build/web --fonts build/fonts --out build/web/dist
"""
import argparse
import gzip
import shutil as _shutil
import subprocess
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


def png_icon(size):
    """A PNG of web/icon.svg at size x size: rendered by Debian's rsvg-convert (librsvg2-bin) when it
    is there, else drawn here (four white dots, the four gatherings, on community red)."""
    return _render_svg(TOP / "web" / "icon.svg", size) or _dots_png(size)


def maskable_icon(size):
    """The same mark with the safe zone of a maskable icon: full-bleed red, the character within 60%."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#b31a1f"/>'
           '<text x="32" y="41" font-size="26" text-anchor="middle" fill="#fff" font-family="sans-serif">\u6c47</text></svg>')
    tmp = TOP / "build" / "maskable-icon.svg"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(svg, encoding="utf-8")
    return _render_svg(tmp, size) or _dots_png(size, rounded=False)


def _render_svg(svg, size):
    tool = _shutil.which("rsvg-convert")
    if not tool:
        return None
    try:
        return subprocess.run([tool, "-w", str(size), "-h", str(size), str(svg)], check=True,
                              capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _dots_png(size, rounded=True):
    import struct
    import zlib
    k = size / 32
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            corner = min(x, size - 1 - x) + min(y, size - 1 - y)
            inside = not rounded or corner >= 3 * k
            dot = any((x - cx * k) ** 2 + (y - cy * k) ** 2 <= 20 * k * k for cx in (10, 21) for cy in (10, 21))
            row += bytes((0, 0, 0, 0)) if not inside else bytes((255, 255, 255, 255)) if dot else bytes((179, 26, 31, 255))
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def manifest(lang, files):
    """The web app manifest in one language (the page links the one of its language)."""
    zh = lang == "zh-CN"
    icons = [{"src": files["icons/icon-192.png"], "sizes": "192x192", "type": "image/png", "purpose": "any"},
             {"src": files["icons/icon-512.png"], "sizes": "512x512", "type": "image/png", "purpose": "any"},
             {"src": files["icons/icon-maskable-512.png"], "sizes": "512x512", "type": "image/png",
              "purpose": "maskable"}]
    return {
        "id": "./",
        "name": "四汇 · 仓南街社区" if zh else "Sihui · Cangnan Street community",
        "short_name": "四汇" if zh else "Sihui",
        "description": ("仓南街社区的网格、报事、活动、课程与食堂，离线也能用。" if zh else
                        "The Cangnan Street community's grids, reports, events, classes and canteen; works offline."),
        "lang": lang,
        "dir": "ltr",
        "start_url": "./" if zh else "./?lang=en",
        "scope": "./",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#fdf8f0",
        "theme_color": "#b31a1f",
        "icons": icons,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasm-dir", required=True)
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--stamp", default="", help="tests: a note appended to the JS, making a new build of the same code")
    a = ap.parse_args()
    wasm_dir, fonts, out = Path(a.wasm_dir), Path(a.fonts), Path(a.out)
    sources = {
        "sihui.js": wasm_dir / "sihui.js",
        "sihui.wasm": wasm_dir / "sihui.wasm",
        "fonts/first.ttf": fonts / "first.ttf",
        "fonts/common.ttf": fonts / "common.ttf",
        "fonts/full.ttf": fonts / "full.ttf",
        "fonts/fallback.ttf": fonts / "fallback.ttf",
        # qrcode-generator (npm, MIT, pinned in package.json): loaded by the page only when a check-in
        # QR code is first shown, so it costs the first frame nothing (decision 0019).
        "vendor/qrcode.js": TOP / "node_modules" / "qrcode-generator" / "dist" / "qrcode.js",
    }
    for logical, src in sources.items():
        if not src.is_file():
            sys.exit(f"package_web.py: {src} is missing; the build did not finish (or run npm ci).")
    if out.exists():
        shutil.rmtree(out)
    (out / "fonts").mkdir(parents=True)
    (out / "vendor").mkdir()
    files, sizes = {}, {}
    build_hash = hashlib.sha256()
    blobs = {logical: src.read_bytes() for logical, src in sources.items()}
    if a.stamp:
        blobs["sihui.js"] += f"\n// build stamp: {a.stamp}\n".encode()
    (out / "icons").mkdir()
    blobs["icons/icon-192.png"] = png_icon(192)
    blobs["icons/icon-512.png"] = png_icon(512)
    blobs["icons/icon-maskable-512.png"] = maskable_icon(512)
    for logical, data in blobs.items():
        name = hashed_name(logical, data)
        (out / name).write_bytes(data)
        files[logical] = name
        sizes[logical] = len(data)
        build_hash.update(data)
    # The page template, the static files and this packager belong to the build too.
    for extra in [TOP / "shell" / "index.html", Path(__file__).resolve(), *sorted((TOP / "web").rglob("*"))]:
        if extra.is_file():
            build_hash.update(extra.read_bytes())
    build_id = build_hash.hexdigest()[:12]
    build = {"build": build_id, "files": files, "sizes": sizes}
    # What the service worker precaches besides index.html: the whole build (web/sw.js).
    unhashed = ["manifest.webmanifest", "manifest.en.webmanifest", "icon.svg", "favicon.ico"]
    build["precache"] = sorted(files.values()) + unhashed
    template = (TOP / "shell" / "index.html").read_text(encoding="utf-8")
    html = (template.replace("{{{ BUILD_JSON }}}", json.dumps(build, separators=(",", ":")))
            .replace("{{{ APP_JS }}}", files["sihui.js"])
            .replace("{{{ APP_WASM }}}", files["sihui.wasm"])
            .replace("{{{ FIRST_FONT }}}", files["fonts/first.ttf"])
            .replace("{{{ ICON_192 }}}", files["icons/icon-192.png"]))
    (out / "index.html").write_text(html, encoding="utf-8")
    (out / "build.json").write_text(json.dumps(build, indent=1) + "\n", encoding="utf-8")
    (out / "favicon.ico").write_bytes(favicon_ico())
    for lang, name in (("zh-CN", "manifest.webmanifest"), ("en", "manifest.en.webmanifest")):
        (out / name).write_text(json.dumps(manifest(lang, files), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    web = TOP / "web"
    if web.is_dir():
        for f in web.rglob("*"):
            if f.is_file():
                dest = out / f.relative_to(web)
                dest.parent.mkdir(parents=True, exist_ok=True)
                if f.name == "sw.js":  # one worker per build: its id and file list go in
                    sw_build = {"build": build_id, "precache": build["precache"]}
                    text = f.read_text(encoding="utf-8").replace(
                        "{/* BUILD */}", json.dumps(sw_build, separators=(",", ":")), 1)
                    dest.write_text(text, encoding="utf-8")
                else:
                    shutil.copyfile(f, dest)
    for f in list(out.rglob("*")):
        if f.is_file() and f.suffix not in (".gz", ".br"):
            compress(f)
    print(f"web build {build_id}: {len(files)} files in {out}")


if __name__ == "__main__":
    main()
