"""Bookmarks and page labels added to the PDF with pypdf, written deterministically and atomically."""

from __future__ import annotations

import os
import tempfile
from io import BytesIO
from pathlib import Path


def finish(parts: list[bytes], path: Path, bookmarks: list[tuple[str, int, int]]) -> Path:
    """Join the parts, add the outline (section -> its first page; level-1 items under the last section)
    and decimal page labels, then write ``path`` atomically. No random file identifier is added, so
    equal input gives equal bytes."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(parts[0])))
    for part in parts[1:]:
        for page in PdfReader(BytesIO(part)).pages:
            writer.add_page(page)
    parent = None
    for title, page, level in bookmarks:
        if level == 0 or parent is None:
            parent = writer.add_outline_item(title=title, page_number=page, is_open=False)
        else:
            writer.add_outline_item(title=title, page_number=page, parent=parent)
    writer.page_mode = "/UseOutlines"
    writer.set_page_label(0, len(writer.pages) - 1, style="/D", start=1)
    buf = BytesIO()
    writer.write(buf)
    _atomic_write(Path(path), buf.getvalue())
    return Path(path)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
