"""Content-Encoding undone in small steps, so that a small body cannot expand past the size limit.

Each layer (gzip, deflate, br, in any stack) gives out at most `STEP` bytes at a time and at most
`limit` bytes in all: a 1.6 KB brotli body that would expand to 1 GiB stops a few steps past the
limit, holding little more than the limit in memory.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

import brotli

from skazal.errors import SkazalError

STEP = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
ACCEPTED = "gzip, deflate, br"


class BodyTooLarge(SkazalError):
    """A body, or one of its decoded layers, longer than the size limit."""


class BodyUndecodable(SkazalError):
    """A body in an encoding not accepted, or not valid in the one it names."""


def content_codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header, in the order they were applied."""
    codings = [coding.strip().lower() for coding in (header or "").split(",")]
    return [coding for coding in codings if coding and coding != "identity"]


def decoded(raw: Iterable[bytes], codings: list[str], limit: int) -> bytes:
    """The body with every coding undone; `BodyTooLarge` as soon as any layer passes `limit` bytes."""
    chunks = _at_most(raw, limit)
    for coding in reversed(codings):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise BodyUndecodable(f"content encoding {coding!r} is not one of {ACCEPTED}")
        chunks = _at_most(decoder(chunks), limit)
    return b"".join(chunks)


def _at_most(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"too large (more than {limit / 2**20:g} MB)")
        yield chunk


def _gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    return _inflate(chunks, lambda _first: zlib.MAX_WBITS | 16, members=True, name="gzip")


def _inflate_deflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
    return _inflate(chunks, lambda first: zlib.MAX_WBITS if _zlib_header(first) else -zlib.MAX_WBITS,
                    members=False, name="deflate")


def _zlib_header(first: bytes) -> bool:
    return len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0


def _inflate(chunks: Iterable[bytes], wbits_for: Callable[[bytes], int], members: bool, name: str) -> Iterator[bytes]:
    engine = None
    try:
        for data in chunks:
            while data:
                if engine is not None and engine.eof:
                    # Another gzip member may follow; anything else after the end is ignored.
                    if not (members and data.startswith(_GZIP_MAGIC)):
                        break
                    engine = None
                if engine is None:
                    engine = zlib.decompressobj(wbits_for(data))
                out = engine.decompress(data, STEP)
                data = engine.unused_data if engine.eof else engine.unconsumed_tail
                if out:
                    yield out
        if engine is not None and not engine.eof:
            raise BodyUndecodable(f"the {name} body is cut short")
    except zlib.error as error:
        raise BodyUndecodable(f"the {name} body is not valid ({error})") from error


def _unbrotli(chunks: Iterable[bytes]) -> Iterator[bytes]:
    engine = brotli.Decompressor()
    try:
        for chunk in chunks:
            out = engine.process(chunk, output_buffer_limit=STEP)
            # Output may still be pending after the input is taken: drain it before the next chunk.
            while out or not (engine.can_accept_more_data() or engine.is_finished()):
                yield out
                out = engine.process(b"", output_buffer_limit=STEP)
        if not engine.is_finished():
            raise BodyUndecodable("the br body is cut short")
    except brotli.error as error:
        raise BodyUndecodable(f"the br body is not valid ({error})") from error


_DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "gzip": _gunzip,
    "x-gzip": _gunzip,
    "deflate": _inflate_deflate,
    "br": _unbrotli,
}
