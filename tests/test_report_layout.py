"""Table cells that fit their columns, and numbers without exponents: the measures the report tests use.

:func:`overflowing` measures every table cell of a report's blocks with the report's own font files
(the ones Typst is given) against its column's width as ``template.typ`` lays it out (relative
widths of the text width, 3 pt inset each side). A cell overflows when a piece of it that cannot
be broken (a word, an id, a number) is wider than its column: Typst then lets it run into the next
cell. Breaks are where Typst may break: spaces, zero-width spaces, between Chinese characters and
after a hyphen or a slash not followed by a digit.
"""

from __future__ import annotations

import functools
import re

from fontTools.ttLib import TTFont

from innosd.fonts import report_fonts
from innosd.report.document import Col, Document

#: A4 text width in points, portrait and landscape (template.typ: 50 pt margins left and right).
TEXT_WIDTH = {"portrait": 595.28 - 100, "landscape": 841.89 - 100}
INSET = 3.0  # template.typ: table inset x
#: A number written with an exponent (1.472e+04, 2.1E-14), not part of a longer word (a hash, a file name).
EXPONENT = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?[eE][-+]?\d+(?![\w.])")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_PIECES = re.compile(rf"[{_CJK}]|[^\s\u200b{_CJK}]+?(?:[-/](?!\d)|(?=[\s\u200b{_CJK}])|$)")


@functools.cache
def _font(stem: str):
    path = next(p for p in report_fonts() if p.stem == stem)
    with TTFont(str(path)) as font:  # read what is needed, then close the file
        return dict(font.getBestCmap()), dict(font["hmtx"].metrics), font["head"].unitsPerEm


def text_width(text: str, size: float, lang: str, mono: bool = False) -> float:
    """Width in points of ``text`` at ``size`` pt in the report's fonts (first font that has the glyph)."""
    if mono:
        order = ["DejaVuSansMono", "NotoSansMonoCJKsc-Regular"]
    else:  # report/__init__.py: meta fonts, Chinese first in the Chinese report
        order = ["NotoSansCJKsc-Regular", "DejaVuSans"] if lang == "zh" else ["DejaVuSans", "NotoSansCJKsc-Regular"]
    total = 0.0
    for ch in text:
        for stem in order:
            cmap, hmtx, upem = _font(stem)
            if ord(ch) in cmap:
                total += hmtx[cmap[ord(ch)]][0] / upem
                break
        else:
            total += 1.0
    return total * size


def pieces(text: str) -> list[str]:
    """The parts of ``text`` no line break can split (see the module's docstring)."""
    return [p for line in str(text).split("\n") for p in _PIECES.findall(line) if p.strip()]


def _tables(blocks: list[dict], page: str = "portrait"):
    for b in blocks:
        if b["type"] == "landscape":
            yield from _tables(b["blocks"], "landscape")
        elif b["type"] == "table":
            yield b, TEXT_WIDTH[page]


def overflowing(blocks: list[dict], lang: str, slack: float = 0.5) -> list[tuple[str, str, float]]:
    """(column head, piece, points over) of every table cell piece wider than its column, heads included."""
    out = []
    for table, width in _tables(blocks):
        cols = table["columns"]
        unit = width / sum(c["width"] for c in cols)
        rows = [[{"text": c["head"]} for c in cols]] if table["header"] else []
        for row in rows + table["rows"]:
            for col, c in zip(cols, row, strict=True):
                room = col["width"] * unit - 2 * INSET
                for piece in pieces(c["text"]):
                    over = text_width(piece, table["size"], lang, col["mono"]) - room
                    if over > slack:
                        out.append((col["head"], piece, round(over, 1)))
    return out


def _blocks(cols: list[Col], rows: list[list], size: float = 7.0) -> list[dict]:
    doc = Document(".")
    doc.table(cols, rows, size=size)
    return doc.blocks


def test_pieces_break_where_typst_breaks():
    assert pieces("科技领军企业") == list("科技领军企业")
    assert pieces("1,632 3,557\n4,974") == ["1,632", "3,557", "4,974"]
    assert pieces("chuying_\u200bbatch2") == ["chuying_", "batch2"]
    assert pieces("new-pilot-platforms-2025-2027") == ["new-", "pilot-", "platforms-2025-2027"]


def test_a_long_id_in_a_narrow_column_overflows_and_a_chinese_label_wraps():
    cols = [Col("序列", 0.5), Col("值", 9.5, "right")]
    assert overflowing(_blocks(cols, [["high_tech_new_certifications", "1"]]), "zh")
    assert not overflowing(_blocks(cols, [["新认定高新技术企业", "1"]]), "zh")
    assert overflowing(_blocks([Col("a", 9.8), Col("MAPE", 0.2)], [["x", "0.0000000000000212"]]), "en")


def test_widths_grow_with_the_text_and_the_size():
    assert text_width("0.0000548", 6.3, "zh") > text_width("0.05", 6.3, "zh") > 0
    assert text_width("样本内", 7, "zh") == 3 * 7  # a Chinese character is one em
    assert text_width("abc", 14, "en") == 2 * text_width("abc", 7, "en")


def test_the_exponent_pattern_finds_numbers_not_hashes():
    assert EXPONENT.findall("1.472e+04 观测 2.12e-14，8.8E+04") == ["1.472e+04", "2.12e-14", "8.8E+04"]
    assert not EXPONENT.findall("sha 67ebaa9ee60a 2b76d4c3307e 003_4e42376db48fd658.txt 1,472 0.0000548")


def test_every_committed_fit_table_series_has_a_chinese_name_and_numbers_read_plainly():
    from pathlib import Path

    import pandas as pd

    from innosd.report.fittable import metric, series_label, values

    tables = list((Path(__file__).resolve().parents[1] / "calibration").rglob("fit_table.csv"))
    assert tables
    for path in tables:
        for s in pd.read_csv(path).series:
            assert re.search(r"[\u4e00-\u9fff]", series_label(s, "zh")), (path, s)
            assert "_" not in series_label(s, "en"), (path, s)
    assert series_label("chuying_batch2", "zh") == "雏鹰企业（第二批，下限）"
    assert series_label("some_new_series", "zh") == "some_\u200bnew_\u200bseries"  # unknown: breakable, as written
    assert (metric(2.12e-14), metric(0.0000548), metric(-2.3669), metric("x")) == ("0", "0.0000548", "-2.37", "-")
    assert values("1.472e+04 1.54e+04 16311.3") == "14,720 15,400 16,311"
