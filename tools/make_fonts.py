#!/usr/bin/python3
"""Build Sihui's fonts from Debian's CJK font packages (run with /usr/bin/python3).

Four files, each a subset with no hinting and no layout features (ImGui draws
glyphs one by one and ignores both):
  first.ttf     WenQuanYi Micro Hei: ASCII, Latin-1, punctuation, CJK symbols,
                full-width forms, every character used by the translation files
                and by the --text files (the built-in demo community). Loaded
                before the first frame: everything the app itself says.
  common.ttf    WenQuanYi Micro Hei: the rest of the 3,500 level-1 characters of
                the Table of General Standard Chinese Characters (what names and
                residents' words mostly use). Fetched first after the first frame.
  full.ttf      WenQuanYi Micro Hei: every other CJK ideograph it has (the
                rest of the 8,105, and the rarer characters found in names).
                Fetched after common.ttf and merged into the same font.
  fallback.ttf  Noto Sans CJK SC: characters of the 8,105 that WQY lacks.
                Merged last, so every character of the table is drawn.
Usage: make_fonts.py OUT_DIR HANZI_TSV LANG_JSON... [--text FILE]... [--code FILE]...
  --code FILE: a UI source file; every symbol in it (U+2000..U+2E7F) must be in the first font.
"""
import json
import logging
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_SC_INDEX = 2  # face 2 of the collection is Noto Sans CJK SC

BASE_RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF),
    (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF),
    (0x3000, 0x303F), (0xFF00, 0xFFEF),
]
CJK_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def expand(ranges):
    return {cp for lo, hi in ranges for cp in range(lo, hi + 1)}


def read_hanzi(tsv):
    if not Path(tsv).is_file():
        sys.exit(f"make_fonts.py: {tsv} is missing; it is part of the repository (assets/data).")
    levels = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ch, level = line.split("\t")[:2]
        levels[ord(ch)] = int(level)
    if len(levels) != 8105:
        sys.exit(f"make_fonts.py: {tsv} should list 8,105 characters, found {len(levels)}.")
    return levels


def strings_of(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings_of(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings_of(v)


def cmap_of(path, index):
    font = TTFont(path, fontNumber=index, lazy=True)
    return set(font.getBestCmap().keys())


def write_subset(src, index, codepoints, out):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    opts.notdef_outline = True
    opts.font_number = index
    font = subset.load_font(src, opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(codepoints))
    sub.subset(font)
    subset.save_font(font, str(out), opts)
    return out.stat().st_size


def main():
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    levels = read_hanzi(sys.argv[2])
    used, extra, code_symbols, args = set(), set(), {}, sys.argv[3:]
    while args:
        arg = args.pop(0)
        if arg == "--code":
            # UI source files: the symbols they draw (✓, ✕, ▶, ↶ ...) must have a glyph in the first font.
            if not args:
                sys.exit("make_fonts.py: --code needs a file")
            path = args.pop(0)
            for c in Path(path).read_text(encoding="utf-8"):
                if 0x2000 <= ord(c) < 0x2E80:
                    code_symbols.setdefault(ord(c), path)
            continue
        if arg == "--text":
            if not args:
                sys.exit("make_fonts.py: --text needs a file")
            # Only the CJK characters of a source file (its code is ASCII anyway).
            extra.update(ord(c) for c in Path(args.pop(0)).read_text(encoding="utf-8") if ord(c) >= 0x2E80)
            continue
        data = json.loads(Path(arg).read_text(encoding="utf-8"))
        for s in strings_of(data):
            used.update(ord(c) for c in s)

    for font in (WQY, NOTO):
        if not Path(font).is_file():
            sys.exit(f"make_fonts.py: {font} is missing: install Debian's fonts-wqy-microhei and fonts-noto-cjk.")
    wqy = cmap_of(WQY, 0)
    noto = cmap_of(NOTO, NOTO_SC_INDEX)
    level1 = {cp for cp, lv in levels.items() if lv == 1}
    first = (expand(BASE_RANGES) | used | extra) & wqy
    common = (level1 & wqy) - first
    full = ((expand(CJK_RANGES) | set(levels)) & wqy) - first - common
    fallback = ((set(levels) | used) - wqy) & noto
    no_glyph = {cp: path for cp, path in code_symbols.items() if cp not in first}
    if no_glyph:
        sys.exit("make_fonts.py: the first font has no glyph for these symbols in the UI's code: "
                 + ", ".join(f"{chr(cp)} (U+{cp:04X}, {path})" for cp, path in sorted(no_glyph.items())))
    missing_used = used - wqy - noto - {0x0A, 0x0D, 0x09}
    if missing_used:
        sys.exit("make_fonts.py: no font has these characters used in translations: "
                 + "".join(chr(c) for c in sorted(missing_used)))

    sizes = {
        "first.ttf": write_subset(WQY, 0, first, out_dir / "first.ttf"),
        "common.ttf": write_subset(WQY, 0, common, out_dir / "common.ttf"),
        "full.ttf": write_subset(WQY, 0, full, out_dir / "full.ttf"),
        "fallback.ttf": write_subset(NOTO, NOTO_SC_INDEX, fallback, out_dir / "fallback.ttf"),
    }
    report = {
        "first_codepoints": len(first), "common_codepoints": len(common), "full_codepoints": len(full),
        "fallback_codepoints": len(fallback), "bytes": sizes,
    }
    (out_dir / "fonts.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    for name, size in sizes.items():
        print(f"font {name}: {size} bytes")


if __name__ == "__main__":
    main()
