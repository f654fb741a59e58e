"""Cutting a text into pieces a template can mark: quotes, the names in them, search matches."""
from __future__ import annotations

import re
from dataclasses import dataclass

from skazal.store import StoredQuote
from skazal.store.browse import DocumentMention
from skazal.store.listing import QuoteView
from skazal.store.search import MARKS

MARKED_WORD = re.compile(re.escape(MARKS[0]) + r"([^\W_]+)" + re.escape(MARKS[1]))
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): stored text that
# carries them raw could reorder what is around it on the page ("gpj.exe" shown as "exe.jpg").
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(value):
    """What a page shows of a value: any text without its bidirectional controls (the templates'
    finalize, so every value in text or attribute passes here before it is escaped)."""
    return value.translate(BIDI_CONTROLS) if isinstance(value, str) else value


@dataclass(frozen=True)
class Piece:
    """A stretch of text with the quotes it belongs to and the mention it is part of, if any."""

    text: str
    quotes: tuple[StoredQuote, ...] = ()
    mention: DocumentMention | None = None


def pieces(body: str, quotes: tuple[StoredQuote, ...], mentions: tuple[DocumentMention, ...]) -> list[Piece]:
    """`body` cut wherever a quote or a body mention begins or ends."""
    in_body = [mention for mention in mentions if mention.part == "body" and 0 <= mention.start < mention.end]
    spans = [(quote.start, quote.end) for quote in quotes] + [(mention.start, mention.end) for mention in in_body]
    cuts = sorted({0, len(body)} | {min(max(point, 0), len(body)) for span in spans for point in span})
    result = []
    for start, end in zip(cuts, cuts[1:]):
        if start == end:
            continue
        covering = tuple(quote for quote in quotes if quote.start <= start and end <= quote.end)
        mention = next((m for m in in_body if m.start <= start and end <= m.end), None)
        result.append(Piece(text=body[start:end], quotes=covering, mention=mention))
    return result


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, is a matching word) parts, the store's marks taken out."""
    parts, cursor = [], 0
    for match in MARKED_WORD.finditer(snippet):
        parts += [(snippet[cursor:match.start()], False), (match.group(1), True)]
        cursor = match.end()
    parts.append((snippet[cursor:], False))
    return [part for part in parts if part[0]]


def context_parts(view: QuoteView) -> list[tuple[str, str | None]]:
    """A quote's paragraph as (text, "quote", "cue" or None) parts."""
    offset, quote = view.context_start, view.quote
    spans = {}
    if view.cue_start is not None and view.cue_end is not None:
        spans["cue"] = (view.cue_start - offset, view.cue_end - offset)
    spans["quote"] = (quote.start - offset, quote.end - offset)
    length = len(view.context)
    cuts = sorted({0, length} | {min(max(point, 0), length) for span in spans.values() for point in span})
    parts = []
    for start, end in zip(cuts, cuts[1:]):
        role = next((name for name, (first, last) in spans.items() if first <= start and end <= last), None)
        parts.append((view.context[start:end], role))
    return [part for part in parts if part[0]]
