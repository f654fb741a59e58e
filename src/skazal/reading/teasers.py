"""Teasers: the headlines of other stories that a page lists beside its article.

Only lists that present themselves as related stories count: an element marked so ("related",
"read-more") or a run of links under a heading such as "Читайте также". Menus and the site's
news feed are left alone: their headlines have nothing to do with the article.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from skazal.reading.html_blocks import Block, page_parts

MIN_WORDS = 3
MAX_WORDS = 20
MIN_CHARS = 20
LINKED = 0.9
MAX_LIST_BLOCKS = 20
MAX_TEASERS = 50


def find_teasers(blocks: Sequence[Block], body: Sequence[Block], title: str | None = None) -> tuple[str, ...]:
    """Linked headlines of related-story lists outside the article body, each once, in page order."""
    in_body = {id(block) for block in body}
    seen = {_key(title)} if title else set()
    teasers: list[str] = []
    for block in _related_blocks(blocks):
        if id(block) in in_body:
            continue
        for text in _headlines(block):
            key = _key(text)
            if key not in seen and _reads_as_headline(text):
                seen.add(key)
                teasers.append(text)
    return tuple(teasers[:MAX_TEASERS])


def _related_blocks(blocks: Sequence[Block]) -> list[Block]:
    found: list[Block] = []
    under_heading = 0
    for block in blocks:
        if _is_related_heading(block.text):
            under_heading = MAX_LIST_BLOCKS
            continue
        if block.related or under_heading:
            found.append(block)
        if under_heading:
            linked = block.link_density >= LINKED
            under_heading = under_heading - 1 if linked or len(block.text) < MIN_CHARS else 0
    return found


def _headlines(block: Block) -> tuple[str, ...]:
    if block.link_density >= LINKED and len(block.link_texts) <= 1:
        return (block.text,)
    return block.link_texts


def _reads_as_headline(text: str) -> bool:
    words = text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or len(text) < MIN_CHARS:
        return False
    # Menus shout ("НОВОСТИ | В МИРЕ"); headlines are sentences in lower case.
    return any(word.islower() for word in words) and "|" not in text


@cache
def _related_headings() -> tuple[str, ...]:
    return tuple(heading.lower() for heading in page_parts()["related_headings"])


def _is_related_heading(text: str) -> bool:
    low = text.lower().rstrip(" :.")
    return len(low) <= 40 and low in _related_headings()


def _key(text: str) -> str:
    return " ".join(text.lower().split())
