"""Pages from WARC archives (.warc, .warc.gz): every HTML or text response record.

A corrupt record is reported as a failure and reading goes on from the next record that can be found.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from skazal.ingest.inputs import PAGE_TYPES, RawPage, failure
from skazal.reading.decode import MAX_PAGE_BYTES
from skazal.records import Failure

_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_SCAN_CHUNK = 1 << 20


def is_warc(path: Path) -> bool:
    """True for an uncompressed or gzipped WARC file, judged by its first bytes."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(_GZIP_MEMBER):
        return path.name.endswith((".warc.gz", ".warc.gzip"))
    return head == b"WARC"


def read_warc(path: Path) -> Iterator[RawPage | Failure]:
    """Each response record holding a page; a `Failure` for each corrupt record."""
    with path.open("rb") as stream:
        offset: int | None = 0
        while offset is not None:
            good, error = yield from _read_from(path, stream, offset)
            if error is None:
                return
            if good is not None:
                # Retry from the record after the last good one: the error may lie between records.
                offset = _next_record_start(stream, good + 1)
                continue
            yield failure(f"{path}@{offset}", f"corrupt WARC record ({error})")
            offset = _next_record_start(stream, offset + 1)


def _read_from(path: Path, stream: BinaryIO, offset: int):
    """Read records from `offset`: (offset of the last record read, the error that stopped it or None)."""
    stream.seek(offset)
    good = None
    try:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=False):
            item = _page_of(path, record)
            if item is not None:
                yield item
            good = record.stream_pos  # an offset in the file, wherever reading began
    except (OSError, ValueError) as error:
        return good, error
    return good, None


def _page_of(path: Path, record: WarcRecord) -> RawPage | Failure | None:
    location = f"{path}#{(record.record_id or '').strip('<>')}"
    if record.headers.get("WARC-Block-Digest") and not record.verify_block_digest(consume=False):
        return failure(location, "corrupt WARC record (block digest does not match its content)")
    record.parse_http()
    content_type = (record.http_content_type or "").lower()
    if not content_type.startswith(PAGE_TYPES):
        return None
    status = record.http_headers.status_code
    if status is not None and status != 200:
        return None
    content = record.reader.read(MAX_PAGE_BYTES + 1)
    return RawPage(
        location=location,
        url=record.headers.get("WARC-Target-URI"),
        content=content,
        fetched_at=record.headers.get("WARC-Date"),
    )


def _next_record_start(stream: BinaryIO, offset: int) -> int | None:
    """The offset of the next gzip member or WARC header at or after `offset`, if any."""
    stream.seek(offset)
    position = offset
    tail = b""
    while chunk := stream.read(_SCAN_CHUNK):
        window = tail + chunk
        starts = [i for i in (window.find(_GZIP_MEMBER), _header_start(window)) if i >= 0]
        if starts:
            return position - len(tail) + min(starts)
        tail = window[-8:]
        position += len(chunk)
    return None


def _header_start(window: bytes) -> int:
    index = window.find(b"\n" + _WARC_START)
    return index + 1 if index >= 0 else -1
