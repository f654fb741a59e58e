"""RSS and Atom feeds: their items, each with its link and the text the feed itself carries.

feedparser is given a stream, never bytes or a str: given those, it first tries them as a URL
or a local path to open, so a remote body naming a local file would read that file.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import feedparser

from skazal.errors import SkazalError
from skazal.ingest.tracking import without_tracking
from skazal.reading.dates import parse_date
from skazal.reading.html_blocks import page_blocks, parse

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
FEED_SUFFIXES = (".rss", ".atom", ".xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


class NotAFeed(SkazalError):
    """Input that should be a feed (by its name or type) but is not RSS or Atom."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """An item of a feed: the page it links to, and what the feed says of it (its feed text)."""

    link: str  # without tracking parameters
    title: str | None
    text: str  # the full content where the feed carries it, else the description; plain text, paragraphs
    published: str | None  # ISO 8601, as the page readers give it

    @property
    def page_text(self) -> str:
        """The item as a text scrape, as an article record is read: the title, a blank line, the text."""
        return "\n\n".join(part for part in (self.title, self.text) if part)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document open an RSS, Atom or RSS 1.0 root element."""
    return bool(_FEED_ROOT.search(head[:4096]))


def feed_items(content: bytes, base_url: str | None = None) -> list[FeedItem]:
    """Every item with a link, in feed order, one per link; `NotAFeed` when it is not RSS or Atom."""
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    if not parsed.version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "no RSS or Atom root element")()
        raise NotAFeed(f"not an RSS or Atom feed ({reason})")
    items: dict[str, FeedItem] = {}
    for entry in parsed.entries:
        link = without_tracking(entry.get("link") or "")
        if link and link not in items:
            items[link] = FeedItem(link=link, title=_plain(entry.get("title_detail")) or None, text=_fullest(entry),
                                   published=parse_date(entry.get("published") or entry.get("updated") or ""))
    return list(items.values())


def _fullest(entry: feedparser.FeedParserDict) -> str:
    """The longest of the entry's texts: its full content (content:encoded, Atom content) or its description."""
    texts = [_plain(detail) for detail in [*entry.get("content", []), entry.get("summary_detail")]]
    return max(texts, key=len, default="")


def _plain(detail: feedparser.FeedParserDict | None) -> str:
    """A feed text as plain text: HTML's paragraphs kept, one to a line with a blank line between, tags gone."""
    if not detail or not detail.get("value"):
        return ""
    if detail.get("type") == "text/plain":
        return detail["value"].strip()
    return "\n\n".join(block.text for block in page_blocks(parse(detail["value"])))
