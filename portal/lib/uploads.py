"""What an uploaded file must be, by its content and not only its name.

A PDF is checked by its structure, the way a reader finds its way into one: the `%PDF-` header,
`startxref` and `%%EOF` at the end, a cross-reference section (a table or an xref stream) at the
offset `startxref` names, and a trailer naming the document's root. A text or HTML file that
merely starts with `%PDF-` has none of these. Nothing in the file is parsed beyond that: no
object is read, so a hostile file cannot make the check itself expensive.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_HEADER = re.compile(rb"%PDF-[12]\.\d")
# A reader looks for %%EOF in the last 1024 bytes (ISO 32000-1, 7.5.5); some writers append
# a few bytes of padding after it.
_TAIL_BYTES = 2048
_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF\s*\Z")
_XREF_STREAM = re.compile(rb"\A\s*\d{1,10}\s+\d{1,5}\s+obj\s*<<.*?/Type\s*/XRef", re.DOTALL)
_TRAILER_ROOT = re.compile(rb"trailer\s*<<.*?/Root\s+\d+\s+\d+\s+R", re.DOTALL)
_XREF_WINDOW = 64 * 1024


def _read_at(handle: Any, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def is_pdf(upload: object) -> bool:
    """Whether `upload` (an uploaded file or an open binary file) is structured as a PDF."""
    handle = getattr(upload, "file", upload)
    if not all(hasattr(handle, name) for name in ("read", "seek", "tell")):
        return False
    position = handle.tell()
    try:
        handle.seek(0, 2)
        size = handle.tell()
        if size < 32 or not _HEADER.match(_read_at(handle, 0, 16)):
            return False
        tail_start = max(0, size - _TAIL_BYTES)
        tail = _read_at(handle, tail_start, _TAIL_BYTES).rstrip(b"\x00")
        found = _STARTXREF.search(tail)
        if found is None:
            return False
        offset = int(found.group(1))
        if not 0 < offset < size:
            return False
        section = _read_at(handle, offset, _XREF_WINDOW)
        if section.startswith(b"xref"):
            # A classic table: its trailer follows it (for a big table, the tail holds it).
            return bool(_TRAILER_ROOT.search(section) or _TRAILER_ROOT.search(tail))
        return bool(_XREF_STREAM.match(section)) and b"/Root" in section
    except (OSError, ValueError):
        return False
    finally:
        handle.seek(position)


def validate_pdf_structure(upload: object) -> None:
    """Refuse a file named .pdf that is not one; files with other extensions pass."""
    name = str(getattr(upload, "name", "") or "")
    if name.lower().endswith(".pdf") and not is_pdf(upload):
        raise ValidationError(
            _(
                "Tệp không phải PDF hợp lệ (có thể là tệp khác đã đổi đuôi, hoặc tệp PDF bị "
                "hỏng): vui lòng xuất lại tệp dưới dạng PDF rồi tải lên lại."
            ),
            code="invalid_pdf",
        )
