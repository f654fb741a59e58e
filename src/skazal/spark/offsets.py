"""Where each record of a WARC archive begins: record id → offset, for the provenance of every row.

The project's reader (`skazal.ingest.warc`) names a page by its record id and a broken record by its
offset; this index gives a page its offset too. It reads no more than each record's WARC header,
and it keeps going past a broken record (a corrupt gzip member, bytes that are no record), as the
reader does.
"""
from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path

_GZIP_MEMBER = b"\x1f\x8b\x08"
_RECORD_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
_RECORD_ID = re.compile(rb"\nWARC-Record-ID:[ \t]*<?([^>\r\n]+)>?", re.IGNORECASE)
_HEADER_BYTES = 64 * 1024
_STEP = 1 << 16


def record_offsets(path: Path) -> dict[str, int]:
    """The offset of every record that has an id (of its gzip member, when gzipped), by record id."""
    with path.open("rb") as file:
        if file.read(3) != _GZIP_MEMBER:
            if path.stat().st_size == 0:
                return {}
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return _plain_offsets(view)
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return _member_offsets(view)


def _plain_offsets(view: mmap.mmap) -> dict[str, int]:
    offsets: dict[str, int] = {}
    for match in _RECORD_START.finditer(view):
        start = match.start(1)
        _remember(offsets, view[start:start + _HEADER_BYTES], start)
    return offsets


def _member_offsets(view: mmap.mmap) -> dict[str, int]:
    offsets: dict[str, int] = {}
    start = 0
    while (start := view.find(_GZIP_MEMBER, start)) >= 0:
        header, end = _inflate_member(view, start)
        if end is None:
            start += 1  # not a member, or a corrupt one: look for the next
            continue
        _remember(offsets, header, start)
        start = end
    return offsets


def _inflate_member(view: mmap.mmap, start: int) -> tuple[bytes, int | None]:
    """The first bytes of the gzip member at `start` and where it ends; None for an end if it is corrupt."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head = b""
    position = start
    try:
        while not inflater.eof and position < len(view):
            chunk = view[position:position + _STEP]
            out = inflater.decompress(chunk)
            if len(head) < _HEADER_BYTES:
                head += out[:_HEADER_BYTES - len(head)]
            position += len(chunk) - len(inflater.unused_data)
    except zlib.error:
        return b"", None
    return head, position if inflater.eof else None


def _remember(offsets: dict[str, int], header: bytes, start: int) -> None:
    if not header.startswith(b"WARC/1."):
        return
    header = header.split(b"\r\n\r\n", 1)[0]
    found = _RECORD_ID.search(header)
    if found is not None:
        offsets.setdefault(found.group(1).decode("utf-8", errors="replace").strip(), start)
