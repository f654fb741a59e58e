"""Pages from WARC archives (.warc, .warc.gz): every HTML or text response record.

Records are read strictly, as the WARC standard writes them: a record that breaks it (a
Content-Length that does not end where the record ends, a truncated or corrupt gzip member, LF-only
header lines, a block digest that does not match, bytes that are no record) is a `Failure` with its
offset in the archive and the reason, and reading goes on from the next record that can be found.
Blocks are streamed: the digest is computed chunk by chunk and a page over the size cap is skipped,
never held whole.
"""
from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from skazal.ingest.inputs import PAGE_TYPES, RawPage, failure
from skazal.reading.decode import MAX_PAGE_BYTES
from skazal.records import Failure

_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_CHUNK = 1 << 20
_MAX_HEADER_BYTES = 64 * 1024  # WARC or HTTP headers longer than this are no headers
_END_OF_RECORD = b"\r\n\r\n"
_PADDING = b"\r\n\t \x00"  # what some writers leave after the last record


class BadRecord(Exception):
    """A record that breaks the WARC format; `started` once its version line was read."""

    def __init__(self, reason: str, started: bool = True) -> None:
        super().__init__(reason)
        self.started = started


def is_warc(path: Path) -> bool:
    """True for an uncompressed or gzipped WARC file, judged by its first bytes."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(_GZIP_MEMBER):
        return path.name.endswith((".warc.gz", ".warc.gzip"))
    return head == b"WARC"


def read_warc(path: Path) -> Iterator[RawPage | Failure]:
    """Each response record holding a page; a `Failure` for each record that is broken."""
    with path.open("rb") as file:
        gzipped = file.read(3) == _GZIP_MEMBER
        archive = _Members(file) if gzipped else _Plain(file)
        resyncing = False  # after a broken record: candidates that are no record belong to the same damage
        while True:
            try:
                offset = archive.next_record()
            except BadRecord as error:  # what follows the last record is no record
                offset = archive.position()
                if not resyncing:
                    yield failure(f"{path}@{offset}", f"corrupt WARC record ({error})")
                resyncing = archive.resync(offset + 1)
                if resyncing:
                    continue
                return
            if offset is None:
                return
            try:
                item = _record(path, archive, offset)
            except BadRecord as error:
                if error.started or not resyncing:
                    yield failure(f"{path}@{offset}", f"corrupt WARC record ({error})")
                if not archive.resync(offset + 1):
                    return
                resyncing = True
                continue
            resyncing = False
            if item is not None:
                yield item


class _Archive:
    """The bytes of an archive as records are read from it, and where the current record began."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.buffer = bytearray()
        self.start = 0  # the offset in the file of the record being read (of its gzip member, gzipped)

    def more(self) -> bool:
        """Add to `buffer`; False at the end of the archive."""
        raise NotImplementedError

    def _restart_at(self, offset: int) -> None:
        raise NotImplementedError

    def position(self) -> int:
        """Where the record (or the gzip member) about to be read begins."""
        raise NotImplementedError

    def next_record(self) -> int | None:
        """The offset of the next record, None at the end (padding past the last record is no record)."""
        while True:
            self.buffer[:] = self.buffer.lstrip(_PADDING)
            if self.buffer:
                self.start = self.position()
                return self.start
            if not self.more():
                return None

    def line(self) -> bytes:
        """The next line, its line ending included."""
        while (end := self.buffer.find(b"\n")) < 0:
            if len(self.buffer) > _MAX_HEADER_BYTES:
                raise BadRecord("a header line longer than 64 KiB")
            if not self.more():
                raise BadRecord("the archive ends inside the record's header")
        return self.take(end + 1)

    def peek(self, size: int) -> bytes:
        """The next `size` bytes (fewer at the end of the archive), left to be read."""
        while len(self.buffer) < size and self.more():
            pass
        return bytes(self.buffer[:size])

    def take(self, size: int) -> bytes:
        """The next `size` bytes; `BadRecord` when the archive ends first."""
        while len(self.buffer) < size:
            if not self.more():
                raise BadRecord(f"the archive ends {size - len(self.buffer):,} bytes before the record does")
        chunk = bytes(self.buffer[:size])
        del self.buffer[:size]
        return chunk

    def chunks(self, size: int) -> Iterator[bytes]:
        """The next `size` bytes, a chunk at a time."""
        while size > 0:
            chunk = self.take(min(size, _CHUNK))
            size -= len(chunk)
            yield chunk

    def resync(self, offset: int) -> bool:
        """Go to the next place at or after `offset` where a record may begin; False if there is none."""
        found = _next_start(self.file, offset, self.marker)
        if found is None:
            return False
        self._restart_at(found)
        return True


class _Plain(_Archive):
    marker = b"\n" + _WARC_START

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file)
        self._restart_at(0)

    def _restart_at(self, offset: int) -> None:
        self.file.seek(offset)
        self.buffer.clear()

    def more(self) -> bool:
        chunk = self.file.read(_CHUNK)
        self.buffer += chunk
        return bool(chunk)

    def position(self) -> int:
        return self.file.tell() - len(self.buffer)


class _Members(_Archive):
    """A gzipped archive: gzip members one after another, each inflated as it is read."""

    marker = _GZIP_MEMBER

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file)
        self._restart_at(0)

    def _restart_at(self, offset: int) -> None:
        self.file.seek(offset)
        self.buffer.clear()
        self.compressed = b""
        self.compressed_offset = offset  # of compressed[0]
        self.inflater: zlib._Decompress | None = None
        self.member = offset  # where the member being inflated began

    def more(self) -> bool:
        while True:
            if not self.compressed:
                self.compressed = self.file.read(_CHUNK)
                if not self.compressed:
                    if self.inflater is not None and not self.inflater.eof:
                        raise BadRecord("the last gzip member is truncated")
                    return False
            if self.inflater is None or self.inflater.eof:
                padding = len(self.compressed) - len(self.compressed.lstrip(_PADDING))
                self.compressed, self.compressed_offset = self.compressed[padding:], self.compressed_offset + padding
                if not self.compressed:
                    continue
                self.inflater, self.member = zlib.decompressobj(16 + zlib.MAX_WBITS), self.compressed_offset
            try:
                out = self.inflater.decompress(self.compressed, _CHUNK)
            except zlib.error as error:
                raise BadRecord(f"not a gzip member, or a corrupt one: {error}") from None
            rest = self.inflater.unused_data if self.inflater.eof else self.inflater.unconsumed_tail
            self.compressed_offset += len(self.compressed) - len(rest)
            self.compressed = rest
            if out:
                self.buffer += out
                return True

    def position(self) -> int:
        return self.member


def _record(path: Path, archive: _Archive, offset: int) -> RawPage | Failure | None:
    """Read the record at `offset`: a page, a failure of a page that cannot be had, or None (not a page)."""
    try:
        if archive.peek(len(_WARC_START)) != _WARC_START:
            raise BadRecord("no WARC record starts here (bytes that are no record)")
        version = archive.line()
    except BadRecord as error:
        error.started = False
        raise
    if not version.endswith(b"\r\n"):
        raise BadRecord("its header lines end in LF alone, not CRLF")
    headers = _headers(archive)
    try:
        length = int(headers["content-length"])
    except (KeyError, ValueError):
        raise BadRecord("no Content-Length, or one that is not a number") from None
    if length < 0:
        raise BadRecord("a negative Content-Length")
    record_id = headers.get("warc-record-id", "").strip("<>")
    location = f"{path}#{record_id}" if record_id else f"{path}@{offset}"
    page = _block(archive, headers, length, location)
    if archive.take(len(_END_OF_RECORD)) != _END_OF_RECORD:
        raise BadRecord(f"the record does not end where its Content-Length ({length:,}) says")
    return page


def _headers(archive: _Archive) -> dict[str, str]:
    headers: dict[str, str] = {}
    size = 0
    while (line := archive.line()) != b"\r\n":
        size += len(line)
        if not line.endswith(b"\r\n"):
            raise BadRecord("its header lines end in LF alone, not CRLF")
        if size > _MAX_HEADER_BYTES:
            raise BadRecord("a header longer than 64 KiB")
        name, colon, value = line.decode("utf-8", errors="replace").partition(":")
        if not colon:
            raise BadRecord(f"a header line without a colon: {line[:60]!r}")
        headers[name.strip().lower()] = value.strip()
    return headers


def _block(archive: _Archive, headers: dict[str, str], length: int, location: str) -> RawPage | Failure | None:
    """The page a record's block holds, read chunk by chunk; the rest of the block is skipped."""
    if headers.get("warc-type", "").lower() != "response":
        _skip(archive, length)
        return None
    digest = _Digest.of(headers.get("warc-block-digest"))
    http = _http_header(archive, min(length, _MAX_HEADER_BYTES))
    digest.update(http)
    status, content_type = _status_and_type(http)
    remaining = length - len(http)
    if status is None:
        _skip(archive, remaining)
        return failure(location, "corrupt WARC record (a response record whose block is no HTTP response)")
    if status != 200 or not content_type.startswith(PAGE_TYPES):
        _skip(archive, remaining)
        return None
    if remaining > MAX_PAGE_BYTES:
        _skip(archive, remaining)
        return failure(location, f"the page is larger than the {MAX_PAGE_BYTES >> 20} MB limit ({remaining:,} bytes)")
    content = bytearray()
    for chunk in archive.chunks(remaining):
        digest.update(chunk)
        content += chunk
    if not digest.matches():
        return failure(location, "corrupt WARC record (block digest does not match its content)")
    return RawPage(location=location, url=headers.get("warc-target-uri"), content=bytes(content),
                   fetched_at=headers.get("warc-date"))


def _skip(archive: _Archive, size: int) -> None:
    for _ in archive.chunks(size):
        pass


def _http_header(archive: _Archive, limit: int) -> bytes:
    """The HTTP status line and headers at the start of a block (at most `limit` bytes of it)."""
    while True:
        ends = [i + len(blank) for blank in (b"\r\n\r\n", b"\n\n") if (i := archive.buffer.find(blank, 0, limit)) >= 0]
        if ends:
            return archive.take(min(ends))
        if len(archive.buffer) >= limit or not archive.more():
            return archive.take(min(limit, len(archive.buffer)))


def _status_and_type(http: bytes) -> tuple[int | None, str]:
    lines = http.decode("latin-1").splitlines()
    parts = lines[0].split() if lines else []
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return None, ""
    content_type = next((line.partition(":")[2].strip().lower() for line in lines[1:]
                         if line.lower().startswith("content-type:")), "")
    return int(parts[1]), content_type


class _Digest:
    """A WARC-Block-Digest ("sha1:<base32>", hex too) checked over the block as it streams by."""

    def __init__(self, algorithm: str | None, expected: str) -> None:
        self.hash = hashlib.new(algorithm) if algorithm else None
        self.expected = expected

    @classmethod
    def of(cls, header: str | None) -> _Digest:
        algorithm, _, value = (header or "").partition(":")
        algorithm = algorithm.strip().lower().replace("-", "")
        if not value or algorithm not in hashlib.algorithms_guaranteed:
            return cls(None, "")  # no digest, or one of an algorithm not known here: nothing to check
        return cls(algorithm, value.strip())

    def update(self, chunk: bytes) -> None:
        if self.hash is not None:
            self.hash.update(chunk)

    def matches(self) -> bool:
        if self.hash is None:
            return True
        digest = self.hash.digest()
        spellings = {base64.b32encode(digest).decode().rstrip("="), digest.hex().upper()}
        return self.expected.upper().rstrip("=") in spellings


def _next_start(stream: BinaryIO, offset: int, marker: bytes) -> int | None:
    """The offset of the next `marker` (a gzip member's magic, or a WARC version line) at or after `offset`."""
    stream.seek(offset)
    position = offset
    tail = b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        index = window.find(marker)
        if index >= 0:
            found = position - len(tail) + index
            return found + 1 if marker.startswith(b"\n") else found
        tail = window[-len(marker):]
        position += len(chunk)
    return None
