"""The one safe reader of every file a user hands innosd: scenarios, model files, project files.

Whatever the bytes, a reader either returns the content or raises one
:class:`~innosd.errors.InputError` naming the file, the field and the fix; it never lets a
decoder, parser or recursion error through, and it reads nothing it cannot bound.

Encodings (one rule for every text file innosd parses itself):

* UTF-8, with or without a byte-order mark: read.
* UTF-16 / UTF-32 with a byte-order mark, and UTF-16 without one (what Windows Notepad calls
  "Unicode"): read.
* GBK / GB18030 (what a Chinese Windows editor writes as "ANSI"): read when the bytes decode
  strictly and every non-ASCII character is Chinese text or punctuation, so a planner's file
  saved in GBK just works.
* Anything else (Latin-1 / Windows-1252, Shift-JIS, random bytes, NUL bytes): refused with the
  encoding found and "save it as UTF-8".

Model files (``.mdl``) are parsed by PySD, which reads UTF-8 only: :func:`check_model_file`
refuses any other encoding with the same one line instead of passing it on.

Structure limits for YAML: at most :data:`MAX_DEPTH` levels of nesting and :data:`MAX_NODES`
values after aliases are expanded (a "billion laughs" file stops at the limit instead of filling
memory), numbers finite and below :data:`MAX_ABS_NUMBER`.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError

#: Largest file read, in bytes, per kind of file (a scenario is a few kB; observed.csv about 100 kB).
MAX_BYTES = {"scenario": 1 << 20, "yaml": 4 << 20, "csv": 64 << 20, "model": 16 << 20}
#: Deepest nesting of YAML mappings and lists accepted (scenarios use 4).
MAX_DEPTH = 32
#: Most YAML values (after aliases are expanded) accepted in one file.
MAX_NODES = 200_000
#: Largest magnitude of a number in a YAML file (far above any count, amount or rate innosd models).
MAX_ABS_NUMBER = 1e15

SAVE_AS_UTF8 = "save the file as UTF-8 (e.g. Notepad: File > Save as > Encoding: UTF-8)"


@dataclass(frozen=True)
class Text:
    """A decoded text file: ``text`` and the ``encoding`` it was read in (``utf-8``, ``gb18030``, ...)."""

    text: str
    encoding: str


def shown(path: str | Path) -> str:
    """``path`` as printed in messages: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_bytes(path: str | Path, kind: str = "yaml", what: str = "file") -> bytes:
    """The bytes of ``path``, refusing a missing file, a folder or one above ``MAX_BYTES[kind]``."""
    p = Path(path)
    name = shown(p)
    if p.is_dir():
        raise InputError(name, "", f"is a folder, not a {what}", f"give the path of the {what} itself")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(name, "", f"{what} not found", "check the path") from None
    except OSError as exc:
        raise InputError(name, "", f"cannot be read ({exc.strerror})", "check the path and its permissions") from None
    limit = MAX_BYTES[kind]
    if size > limit:
        raise InputError(name, "", f"is {size:,} bytes, more than the {limit:,} a {what} may have",
                         f"check that this is the right file (a {what} is a few kB)")
    try:
        with p.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise InputError(name, "", f"cannot be read ({exc.strerror})", "check the path and its permissions") from None


def decode(data: bytes, name: str) -> Text:
    """Decode ``data`` by the rule of this module; ``name`` is the file shown in messages."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Text(_strict(data[len(bom):], enc, name), enc[:6])
    utf16 = _bomless_utf16(data)
    if utf16:
        return Text(_strict(data, utf16, name), "utf-16")
    if b"\x00" in data:
        raise InputError(name, "", "contains NUL bytes: a binary file, not text",
                         "give the text file itself; " + SAVE_AS_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _gb18030(data)
        if text is None:
            raise InputError(name, "", f"is not UTF-8 text (it looks like {_guess(data)})", SAVE_AS_UTF8) from None
        return Text(_no_controls(text, name), "gb18030")
    return Text(_no_controls(text, name), "utf-8")


def read_text(path: str | Path, kind: str = "yaml", what: str = "file") -> Text:
    """Read and decode a text file (size-checked; see the module's encoding rule)."""
    return decode(read_bytes(path, kind, what), shown(path))


def read_yaml(path: str | Path, kind: str = "yaml", what: str = "YAML file") -> tuple[Any, Text]:
    """Parse a YAML file safely: ``(data, text)``; every problem is one :class:`InputError`."""
    text = read_text(path, kind, what)
    return parse_yaml(text.text, shown(path)), text


def parse_yaml(text: str, name: str) -> Any:
    """``yaml.safe_load`` of ``text`` with bounded nesting, size and numbers (see the module doc)."""
    import yaml

    depth = _flow_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(name, "(file)", f"brackets nested {depth} deep, more than {MAX_DEPTH}",
                         "write the file with the keys of scenarios/README.md; no deeper nesting is needed")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(name, where, f"not valid YAML ({problem})",
                         "fix the indentation or quoting near that line") from None
    except RecursionError:
        raise InputError(name, "(file)", f"nested more than {MAX_DEPTH} levels deep",
                         "write the file with the keys of scenarios/README.md; no deeper nesting is needed") from None
    except (ValueError, OverflowError, MemoryError) as exc:  # e.g. an integer with more than 4300 digits
        raise InputError(name, "(file)", f"a value cannot be read ({str(exc).splitlines()[0][:80]})",
                         "write plain numbers of at most 15 digits") from None
    check_tree(data, name)
    return data


def check_tree(data: Any, name: str, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Refuse deep nesting, too many values (expanded aliases), non-finite or huge numbers, control characters.

    Parameters
    ----------
    data : object
        What ``yaml.safe_load`` returned (mappings, lists, scalars; aliases are shared objects).
    name : str
        The file shown in messages.
    """
    count = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        count += 1
        if count > max_nodes:
            raise InputError(name, "(file)", f"more than {max_nodes:,} values (repeated aliases?)",
                             "write the values out; a scenario has a few hundred at most")
        if depth > max_depth:
            raise InputError(name, where or "(file)", f"nested more than {max_depth} levels deep",
                             "write the file with the keys of scenarios/README.md; no deeper nesting is needed")
        if isinstance(node, dict):
            for key, value in node.items():
                _check_number(key, f"{where}.{key}" if where else str(key), name, is_key=True)
                stack.append((value, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(node, (list, tuple)):
            for i, value in enumerate(node):
                stack.append((value, f"{where}[{i}]", depth + 1))
        else:
            _check_number(node, where or "(file)", name)


def read_csv(path: str | Path, what: str, columns: tuple[str, ...] = (), numeric: tuple[str, ...] = (),
             dtype: dict | None = None):
    """Read a CSV file safely into a DataFrame; refuse missing columns and non-numeric or non-finite values.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.
    what : str
        What the file is, for messages (e.g. ``"observations file"``).
    columns : tuple of str
        Columns that must be present.
    numeric : tuple of str
        Columns whose every value must be a finite number.
    dtype : dict, optional
        Passed to :func:`pandas.read_csv`.
    """
    import numpy as np
    import pandas as pd

    name = shown(path)
    text = read_text(path, "csv", what)
    try:
        df = pd.read_csv(io.StringIO(text.text), dtype=dtype)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, TypeError) as exc:
        raise InputError(name, "(file)", f"not a readable CSV table ({str(exc).splitlines()[0][:100]})",
                         f"restore the {what} from version control (git checkout -- {name})") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(name, missing[0], "column missing",
                         f"restore the {what}: its columns are " + ", ".join(columns))
    for col in numeric:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(name, f"row {row + 2}, {col}", f"{df[col].iloc[row]!r} is not a finite number",
                             "write a plain number (no units, no thousands separators)")
    return df


def check_model_file(path: str | Path) -> Path:
    """Refuse a model file that PySD cannot read safely (missing, huge, binary, not UTF-8); return its path."""
    p = Path(path)
    data = read_bytes(p, "model", "model file")
    text = decode(data, shown(p))
    if text.encoding != "utf-8":
        raise InputError(shown(p), "", f"is {text.encoding.upper()}-encoded; PySD reads model files as UTF-8 only",
                         SAVE_AS_UTF8 + " (Vensim writes UTF-8 with the {UTF-8} header)")
    return p


# ---------------------------------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# DEL (U+007F) is allowed: Vensim writes it in the sketch section of .mdl files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x84\x86-\x9f]")


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        raise InputError(name, "", f"starts like {enc.upper()} text but is not valid {enc.upper()}",
                         SAVE_AS_UTF8) from None
    return _no_controls(text, name)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes look like UTF-16 without a BOM (ASCII with NULs between)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _gb18030(data: bytes) -> str | None:
    """The text when ``data`` is GB18030 (GBK) Chinese text, else None.

    Almost any byte string decodes as GB18030, so the text must also look like Chinese written in
    GBK: every non-ASCII character Chinese, and nine in ten of them from the common GB2312 set
    (Shift-JIS or Big5 bytes decode to rare characters outside it).
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if ord(c) > 127]
    # GB2312's symbol rows (→, ≥, ①, ...) are what a Chinese editor writes beside the characters
    if not wide or not all(_is_chinese(c) or _in_gb2312(c) for c in wide):
        return None
    common = sum(1 for c in wide if _in_gb2312(c))
    return text if common >= 0.9 * len(wide) else None


def _in_gb2312(c: str) -> bool:
    b = c.encode("gb18030")
    return len(b) == 2 and 0xA1 <= b[0] <= 0xF7 and 0xA1 <= b[1] <= 0xFE


def _is_chinese(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF
            or 0x2010 <= o <= 0x206F or 0x3040 <= o <= 0x30FF  # punctuation; kana (GB2312 rows 4-5: quotes)
            or c in "·×÷—…‘’“”āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü")  # pinyin letters (GB2312 row 8)


def _guess(data: bytes) -> str:
    """A name for the encoding of bytes that are neither UTF-8 nor GB18030 Chinese, for the message."""
    if sum(b < 9 or 13 < b < 32 for b in data[:4096]) > 8:
        return "binary data"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return "a legacy encoding"
    high = [c for c in text if ord(c) > 127]
    if high and all(unicodedata.category(c)[0] in "LPSZ" for c in high):
        return "Latin-1 / Windows-1252"
    return "a legacy encoding"


def _no_controls(text: str, name: str) -> str:
    """Refuse control characters other than tab, newline and carriage return (binary data)."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(name, f"line {line}", f"contains the control character U+{ord(bad.group()):04X}: "
                         "not a text file", "give the text file itself; " + SAVE_AS_UTF8)
    return text


def _flow_depth(text: str) -> int:
    """Deepest nesting of YAML flow brackets ([ and {) outside quotes and comments (a cheap pre-check)."""
    depth = deepest = 0
    quote = ""
    comment = False
    for c in text:
        if comment:
            comment = c != "\n"
        elif quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "#":
            comment = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(0, depth - 1)
    return deepest


def _check_number(value: Any, where: str, name: str, is_key: bool = False) -> None:
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise InputError(name, where or "(file)", f"text holds the control character U+{ord(bad.group()):04X}",
                             "remove escapes such as \\0 or \\x01 from the quoted text")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(name, where, f"{value} is not a finite number", "write a plain finite number")
    if abs(value) > MAX_ABS_NUMBER:
        shown_value = f"{value:.3g}" if isinstance(value, float) else f"a {len(str(abs(value)))}-digit number"
        raise InputError(name, where, f"{shown_value} is too large (more than {MAX_ABS_NUMBER:.0e})",
                         "write the number in the unit the field asks for")
