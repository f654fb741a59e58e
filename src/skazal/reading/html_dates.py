"""When the article was published, as the page states it, shows it or files it.

In order of trust: meta tags, JSON-LD and marked elements (a UTC moment is given in the zone the
page shows); a short line beside the headline; the date in the page's address (canonical link,
share buttons); a line under the text that only dates it; the dateline opening the body.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser

from skazal.reading.dates import date_line, in_local_time, is_full_date, parse_date
from skazal.reading.html_blocks import Block, page_parts

DATE_LINE_CHARS = 200
BLOCKS_AROUND_HEADLINE = 8
_URL_DATES = (
    re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{2})/(?P<day>\d{2})(?:/|$)"),
    re.compile(r"/(?P<day>\d{2})/(?P<month>\d{2})/(?P<year>(?:19|20)\d{2})(?:/|$)"),
    re.compile(r"/(?P<year>(?:19|20)\d{2})-?(?P<month>\d{2})-?(?P<day>\d{2})(?:/|$|[-_])"),
    re.compile(r"/(?P<day>\d{1,2})(?P<month>[a-z]{3})(?P<year>(?:19|20)\d{2})(?:/|$)", re.I),
)
_DATELINE = re.compile(r"[А-ЯЁA-Z][\w-]*(?:\s[А-ЯЁA-Z][\w-]*)?[,.]\s+(?P<date>\d{1,2}\.?\s+\w+\.?(?:\s+\d{4})?)")


def published_date(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    linked: dict[str, str],
    blocks: Sequence[Block],
    headline: int | None,
    addresses: tuple[str | None, ...],
) -> str | None:
    """The article's date: stated by meta tags, JSON-LD or a marked element (in the zone the page
    shows), else shown near the headline, else in the page's address, else under the text."""
    shown = _date_under_headline(blocks, headline)
    stated = _stated_date(tree, meta, linked)
    if stated:
        return in_local_time(stated, shown) if shown else stated
    if shown:
        return shown
    for address in (*addresses, *_shared_addresses(tree)):
        date = _date_in_address(address)
        if date:
            return date
    return _date_line_below(blocks, headline)


def _stated_date(tree: LexborHTMLParser, meta: dict[str, str], linked: dict[str, str]) -> str | None:
    """The date that meta tags, JSON-LD or a marked element state, as they state it."""
    for name in page_parts()["meta"]["published"]:
        date = parse_date(meta.get(name, ""))
        if is_full_date(date):
            return date
    date = parse_date(linked.get("datePublished", ""))
    if is_full_date(date):
        return date
    for node in tree.css('[itemprop="datePublished"], time[pubdate], [itemprop="dateCreated"]'):
        attributes = node.attributes
        for text in (attributes.get("datetime"), attributes.get("content"), node.text()):
            date = parse_date(text or "")
            if is_full_date(date):
                return date
    return None


def _shared_addresses(tree: LexborHTMLParser) -> list[str]:
    """The page's own address as its share and like buttons give it, for pages without a canonical link."""
    found = []
    for node in tree.css("[data-url], [data-href]"):
        attributes = node.attributes
        address = attributes.get("data-url") or attributes.get("data-href") or ""
        if address.startswith("http"):
            found.append(address)
    return found


def _date_under_headline(blocks: Sequence[Block], headline: int | None) -> str | None:
    """The nearest short line with a full date around the headline, looking below it first."""
    place = _headline_place(blocks, headline)
    if place is None:
        return None
    for distance in range(1, BLOCKS_AROUND_HEADLINE + 1):
        for index in (place + distance, place - distance):
            if not 0 <= index < len(blocks):
                continue
            block = blocks[index]
            if len(block.text) > DATE_LINE_CHARS or block.link_density > 0.5 or block.furniture:
                continue
            date = parse_date(block.text)
            if is_full_date(date):
                return date
    return None


def _date_line_below(blocks: Sequence[Block], headline: int | None) -> str | None:
    """Some pages date the article under its last paragraph: the first line below the headline that only dates."""
    place = _headline_place(blocks, headline)
    if place is None:
        return None
    for block in blocks[place + 1 :]:
        date = None if block.furniture else date_line(block.text)
        if is_full_date(date):
            return date
    return None


def _headline_place(blocks: Sequence[Block], headline: int | None) -> int | None:
    if headline is None:
        return None
    return next((i for i, block in enumerate(blocks) if block.path[-1] == headline), None)


def _date_in_address(address: str | None) -> str | None:
    if not address:
        return None
    for pattern in _URL_DATES:
        match = pattern.search(address)
        if match:
            day, month, year = match.group("day", "month", "year")
            date = parse_date(f"{year}-{month}-{day:0>2}" if month.isdigit() else f"{day} {month} {year}")
            if is_full_date(date):
                return date
    return None


def dateline_date(body: str) -> str | None:
    """The date of the dateline that opens the body ("МОСКВА, 4 янв — РИА Новости"), partial as it is written."""
    match = _DATELINE.match(body)
    return parse_date(match.group("date")) if match else None
