#!/usr/bin/env python3
"""Writes src/emit/diagram/widths.rs: the advance widths of DejaVu Sans (Book and Bold),
in font units (2048 per em), for the characters the diagrams measure: printable ASCII,
Latin-1, Latin Extended-A, the Vietnamese letters of Latin Extended Additional, and a few
punctuation marks. Reads the TrueType files directly (cmap format 4, hmtx); no library.

    python3 tools/dejavu_widths.py /usr/share/fonts/truetype/dejavu > src/emit/diagram/widths.rs
"""
import struct
import sys


def tables(data):
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        out[tag.decode()] = (offset, length)
    return out


def advances(path):
    data = open(path, "rb").read()
    t = tables(data)
    units = struct.unpack(">H", data[t["head"][0] + 18: t["head"][0] + 20])[0]
    metrics = struct.unpack(">H", data[t["hhea"][0] + 34: t["hhea"][0] + 36])[0]
    hmtx = t["hmtx"][0]

    def advance(glyph):
        glyph = min(glyph, metrics - 1)
        return struct.unpack(">H", data[hmtx + 4 * glyph: hmtx + 4 * glyph + 2])[0]

    cmap = t["cmap"][0]
    n = struct.unpack(">H", data[cmap + 2: cmap + 4])[0]
    sub = None
    for i in range(n):
        pid, eid, off = struct.unpack(">HHI", data[cmap + 4 + 8 * i: cmap + 12 + 8 * i])
        if pid == 3 and eid == 1:
            sub = cmap + off
    assert struct.unpack(">H", data[sub: sub + 2])[0] == 4
    segs = struct.unpack(">H", data[sub + 6: sub + 8])[0] // 2
    ends = struct.unpack(">%dH" % segs, data[sub + 14: sub + 14 + 2 * segs])
    base = sub + 16 + 2 * segs
    starts = struct.unpack(">%dH" % segs, data[base: base + 2 * segs])
    deltas = struct.unpack(">%dh" % segs, data[base + 2 * segs: base + 4 * segs])
    ro_at = base + 4 * segs
    ros = struct.unpack(">%dH" % segs, data[ro_at: ro_at + 2 * segs])

    def glyph(c):
        for i in range(segs):
            if starts[i] <= c <= ends[i]:
                if ros[i] == 0:
                    return (c + deltas[i]) & 0xFFFF
                at = ro_at + 2 * i + ros[i] + 2 * (c - starts[i])
                g = struct.unpack(">H", data[at: at + 2])[0]
                return (g + deltas[i]) & 0xFFFF if g else 0
        return 0

    return units, {c: advance(glyph(c)) for c in chars() if glyph(c)}


def chars():
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x1A0, 0x1B0), (0x1EA0, 0x1EF9)]
    extra = [0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x2192, 0x2190, 0x26A0, 0x2605]
    out = [c for a, b in ranges for c in range(a, b + 1)] + extra
    return out


def main():
    folder = sys.argv[1]
    units, book = advances(folder + "/DejaVuSans.ttf")
    _, bold = advances(folder + "/DejaVuSans-Bold.ttf")
    print("//! Advance widths of DejaVu Sans, Book and Bold, in font units; written by")
    print("//! `tools/dejavu_widths.py` from the font files of the Debian package `fonts-dejavu-core`.")
    print()
    print("/// Font units per em.")
    print("pub const UNITS_PER_EM: f64 = %d.0;" % units)
    print()
    print("/// `(character, Book advance, Bold advance)`, sorted by character.")
    print("pub static WIDTHS: &[(char, u16, u16)] = &[")
    for c in sorted(set(book) & set(bold)):
        print("    ('\\u{%X}', %d, %d)," % (c, book[c], bold[c]))
    print("];")


main()
