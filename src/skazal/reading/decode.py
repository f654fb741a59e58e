"""Bytes to text: the encoding the page declares, else what charset detection finds; only the text
encodings of the WHATWG Encoding Standard, and text any store can hold."""
from __future__ import annotations

import codecs
import dataclasses
import math
import re
import tomllib
from functools import cache
from importlib import resources

import charset_normalizer

from skazal.errors import UnreadableInput

MAX_PAGE_BYTES = 20 * 1024 * 1024
# One invalid byte sequence in a thousand bytes, or a handful in a short page, is a stray byte (a
# truncated character, a byte from another file), not another encoding; binary data has far more.
STRAY_SHARE = 1 / 1000
FEW_STRAY = 3
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<meta|<body|<\?xml)", re.I | re.S)
_TAGS = re.compile(r"</?(p|div|br|span|a|h[1-6]|article|body|title)\b[^>]*>", re.I)
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))
# NUL and lone surrogates: PostgreSQL text cannot hold the one, UTF-8 cannot carry the others.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def decode_page(raw: bytes) -> str:
    """Decode a page's bytes; raise `UnreadableInput` for empty, binary or oversized input."""
    if len(raw) > MAX_PAGE_BYTES:
        raise UnreadableInput(_too_large(len(raw)))
    if not raw.strip():
        raise UnreadableInput("empty")
    for mark, codec in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return clean_text(raw[len(mark):].decode(codec, errors="replace"))
    if b"\x00" in raw[:4096]:
        raise UnreadableInput("binary data, not a text or HTML page")
    return clean_text(_decode(raw))


def _decode(raw: bytes) -> str:
    # Declared charsets lie often (pages re-saved as UTF-8 keep their windows-1251 meta), so UTF-8 wins
    # whenever the bytes are UTF-8, then whenever they are UTF-8 but for a stray byte or two.
    declared = declared_codec(raw)
    candidates = ["utf-8"] + ([declared] if declared else [])
    for codec in candidates:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    for codec in candidates:
        text = _decoded_but_stray_bytes(raw, codec)
        if text is not None:
            return text
    best = charset_normalizer.from_bytes(raw[:200_000], cp_isolation=sorted(text_codecs())).best()
    if best is None:
        raise UnreadableInput("binary data or an unknown encoding")
    return raw.decode(best.encoding, errors="replace")


def _decoded_but_stray_bytes(raw: bytes, codec: str) -> str | None:
    """The text, each invalid sequence replaced, when the codec fits all but a few bytes."""
    text = raw.decode(codec, errors="replace")
    invalid = text.count(REPLACEMENT) - raw.decode(codec, errors="ignore").count(REPLACEMENT)
    return text if invalid <= max(FEW_STRAY, len(raw) * STRAY_SHARE) else None


def declared_codec(raw: bytes) -> str | None:
    """The Python codec of the encoding a page's <meta> declares, if that is a WHATWG text encoding."""
    declared = _DECLARED.search(raw[:8192])
    if declared is None:
        return None
    return encoding_labels().get(declared.group(1).decode("ascii").strip().lower())


@cache
def encoding_labels() -> dict[str, str]:
    """Each WHATWG encoding label ("cp1251", "koi8", "latin1") and the Python codec that decodes it."""
    table = tomllib.loads(resources.files("skazal.data").joinpath("text_encodings.toml").read_text(encoding="utf-8"))
    return {label: encoding["codec"] for encoding in table.values() for label in encoding["labels"]}


@cache
def text_codecs() -> frozenset[str]:
    """The Python codecs of the WHATWG encodings: the only ones charset detection may choose."""
    return frozenset(encoding_labels().values())


def _too_large(size: int) -> str:
    # Shown rounded up, so that a page over the limit never reads as exactly the limit.
    megabytes = math.ceil(size / 2**20 * 100) / 100
    limit = MAX_PAGE_BYTES // 2**20
    if size == MAX_PAGE_BYTES + 1:  # the readers stop one byte past the limit: the real size is unknown
        return f"too large (more than {limit} MB)"
    return f"too large ({megabytes:.2f} MB; the limit is {limit} MB)"


def clean_text(text: str) -> str:
    """`text` with NUL and lone surrogates replaced by U+FFFD, one character for one (offsets hold)."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


def cleaned(record):
    """A record (a dataclass, a tuple of them, a string) with every string in it cleaned by `clean_text`."""
    if isinstance(record, str):
        return clean_text(record)
    if isinstance(record, tuple | list):
        return type(record)(cleaned(item) for item in record)
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        changes = {field.name: cleaned(getattr(record, field.name)) for field in dataclasses.fields(record)}
        return dataclasses.replace(record, **changes)
    return record


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than a page saved as plain text."""
    if _HTML_START.match(text[:2000]):
        return True
    return len(_TAGS.findall(text[:20000])) >= 5
