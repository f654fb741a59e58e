"""Atom feeds (RFC 4287) of quotes: what a journalist follows a speaker or a search by."""
from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree

from fastapi.responses import Response

from skazal.store import StoredQuote
from skazal.web.marking import without_bidi_controls

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
TITLE_WORDS = 12
# An undated quote needs a date all the same; a fixed one, so that a reader does not take it for new on every poll.
UNDATED = "1970-01-01T00:00:00Z"
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ElementTree.register_namespace("", ATOM)


def atom_feed(title: str, address: str, page: str, base: str, quotes: Sequence[StoredQuote]) -> Response:
    """A feed titled `title` at `address`, the HTML `page` it follows, one entry per quote (links under `base`)."""
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", address)
    _add(feed, "title", title)
    _add(feed, "updated", max((_updated(quote) for quote in quotes), default=UNDATED))
    _link(feed, address, "self", "application/atom+xml")
    _link(feed, page, "alternate", "text/html")
    author = _add(feed, "author")
    _add(author, "name", "skazal")
    _add(feed, "generator", "skazal")
    for quote in quotes:
        _entry(feed, quote, base)
    body = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=MEDIA_TYPE, headers={"X-Content-Type-Options": "nosniff"})


def _entry(feed: ElementTree.Element, quote: StoredQuote, base: str) -> None:
    entry = _add(feed, "entry")
    permalink = f"{base}quotes/{quote.quote_id}"
    speaker = quote.speaker or quote.anonymous_description
    words = quote.text.split()
    headline = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    _add(entry, "id", permalink)
    _add(entry, "title", f"{speaker}: {headline}" if speaker else headline)
    _add(entry, "updated", _updated(quote))
    _link(entry, permalink, "alternate", "text/html")
    if quote.url and quote.url.startswith(("https://", "http://")):
        _link(entry, quote.url, "related", "text/html")
    author = _add(entry, "author")
    _add(author, "name", speaker or "skazal")
    said = f"«{quote.text}»" if quote.kind == "direct" else quote.text
    told = " · ".join(part for part in (quote.cue, quote.title, quote.outlet, quote.day) if part)
    _add(entry, "content", f"{said}\n\n{told}" if told else said, type="text")


def _updated(quote: StoredQuote) -> str:
    return f"{quote.day}T00:00:00Z" if quote.day else UNDATED


def _add(parent: ElementTree.Element, name: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = NOT_XML.sub("", without_bidi_controls(text))
    return element


def _link(parent: ElementTree.Element, href: str, rel: str, media_type: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}link", {"href": NOT_XML.sub("", href), "rel": rel, "type": media_type})
