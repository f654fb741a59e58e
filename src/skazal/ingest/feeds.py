"""RSS and Atom feeds: the links of their items.

feedparser is given a stream, never bytes or a str: given those, it first tries them as a URL
or a local path to open, so a remote body naming a local file would read that file.
"""
from __future__ import annotations

import io
import re

import feedparser

from skazal.errors import SkazalError

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
FEED_SUFFIXES = (".rss", ".atom", ".xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


class NotAFeed(SkazalError):
    """Input that should be a feed (by its name or type) but is not RSS or Atom."""


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document open an RSS, Atom or RSS 1.0 root element."""
    return bool(_FEED_ROOT.search(head[:4096]))


def feed_links(content: bytes, base_url: str | None = None) -> list[str]:
    """The link of every item, in feed order, without repeats; `NotAFeed` when it is not RSS or Atom."""
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    if not parsed.version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "no RSS or Atom root element")()
        raise NotAFeed(f"not an RSS or Atom feed ({reason})")
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link and link not in links:
            links.append(link)
    return links
