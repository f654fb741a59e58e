"""Bytes to text: the encoding the page declares, else what charset detection finds."""
from __future__ import annotations

import re

import charset_normalizer

from skazal.errors import UnreadableInput

MAX_PAGE_BYTES = 20 * 1024 * 1024
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<meta|<body|<\?xml)", re.I | re.S)
_TAGS = re.compile(r"</?(p|div|br|span|a|h[1-6]|article|body|title)\b[^>]*>", re.I)


def decode_page(raw: bytes) -> str:
    """Decode a page's bytes; raise `UnreadableInput` for empty, binary or oversized input."""
    if len(raw) > MAX_PAGE_BYTES:
        megabytes = len(raw) // (1024 * 1024)
        raise UnreadableInput(f"too large ({megabytes} MB; the limit is {MAX_PAGE_BYTES // 2**20} MB)")
    if not raw.strip():
        raise UnreadableInput("empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if b"\x00" in raw[:4096]:
        raise UnreadableInput("binary data, not a text or HTML page")
    # Declared charsets lie often (pages re-saved as UTF-8 keep their windows-1251 meta), so UTF-8 wins
    # whenever the bytes are valid UTF-8.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(raw[:8192])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii").lower())
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(raw[:200_000]).best()
    if best is None:
        raise UnreadableInput("binary data or an unknown encoding")
    return raw.decode(best.encoding, errors="replace")


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than a page saved as plain text."""
    if _HTML_START.match(text[:2000]):
        return True
    return len(_TAGS.findall(text[:20000])) >= 5
