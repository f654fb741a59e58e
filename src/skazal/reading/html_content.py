"""Which blocks of a page are the article: the element whose blocks read most like prose.

Every block votes for all the elements around it: prose (long, few links) for, link lists,
menus and summaries of other stories against. The element with the best total is the article,
unless the prose right under the headline holds a fair share of that total (a short article
beside a long legal footer or digest of other stories); inside it, captions, bylines, link lists
and page furniture are left out; the lead set apart under the headline is put back, reader
comments are never in.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from skazal.reading.dates import date_line
from skazal.reading.html_blocks import Block, page_parts
from skazal.reading.page_parts import credited_image, is_banner, is_note

PROSE_CHARS = 80
SENTENCE_CHARS = 30
LINK_LIST_DENSITY = 0.5
FURNITURE_WEIGHT = 0.5
MIN_BODY_CHARS = 200
MAX_CREDITED_CHARS = 300  # a longer paragraph ending in "Фото: …" is text, not a caption
LEAD_REACH = 8  # blocks between the headline and the text
MIN_STAMPS = 3  # dated, signed lines that make a list of comments or news
SUMMARY_REACH = 3
MAX_SUMMARY_CHARS = 400
LINKED_HEADLINE = 0.9
MAX_HEADLINE_WORDS = 25
HEADLINE_REACH = 20  # blocks between the headline and the first paragraph of its text
ANCHORED_SHARE = 0.5  # of the best total, that the element under the headline needs to win
MAX_COMMENTS_HEADING_CHARS = 40
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "“", ")", ":")


def article_blocks(blocks: Sequence[Block], title: str | None = None, headline: int | None = None) -> list[Block]:
    """The blocks that make the article's body, in page order."""
    blocks = _without_signed_lists(blocks, headline)
    chosen = _choose(blocks, respect_furniture=True, title=title, headline=headline)
    if sum(len(block.text) for block in chosen) < MIN_BODY_CHARS:
        # Class names lie now and then ("reachbanner" on the article text): try again without them.
        fallback = _choose(blocks, respect_furniture=False, title=title, headline=headline)
        if sum(len(block.text) for block in fallback) > sum(len(block.text) for block in chosen):
            chosen = fallback
    return _without_repeats(_with_lead(blocks, chosen, headline, title))


def _without_signed_lists(blocks: Sequence[Block], headline: int | None) -> Sequence[Block]:
    """Without reader comments and news feeds: the innermost element holding three or more
    "name, date and time" lines ("Piter 6 Января 2012 14:05:28"), unless it holds the headline too."""
    stamps = [block.path for block in blocks if _is_stamp(block.text)]
    if len(stamps) < MIN_STAMPS:
        return blocks
    counts: dict[int, int] = defaultdict(int)
    depth: dict[int, int] = {}
    for path in stamps:
        for level, element in enumerate(path):
            counts[element] += 1
            depth[element] = level
    listed = [element for element, count in counts.items() if count >= MIN_STAMPS]
    innermost = max(listed, key=lambda element: depth[element])
    level = depth[innermost]
    inside = [len(block.path) > level and block.path[level] == innermost for block in blocks]
    if any(is_inside and block.path[-1] == headline for block, is_inside in zip(blocks, inside)):
        return blocks
    return [block for block, is_inside in zip(blocks, inside) if not is_inside]


def _is_stamp(text: str) -> bool:
    return "T" in (date_line(text) or "")


def _without_repeats(blocks: list[Block]) -> list[Block]:
    """Each paragraph once: pages print a text twice ("fulltext" and "shorttext", one hidden by script)."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        key = " ".join(_WORD.findall(block.text.lower()))
        if key in seen and len(block.text) >= SENTENCE_CHARS:
            continue
        seen.add(key)
        kept.append(block)
    return kept


def _with_lead(blocks: Sequence[Block], chosen: list[Block], headline: int | None, title: str | None) -> list[Block]:
    """The lead set apart between the headline and the text ("div.lead" beside "div.text") belongs to the body."""
    if not chosen or headline is None:
        return chosen
    start = next(i for i, block in enumerate(blocks) if block is chosen[0])
    lead: list[Block] = []
    for index in range(start - 1, max(start - 1 - LEAD_REACH, -1), -1):
        block = blocks[index]
        if block.path[-1] == headline:
            return lead + chosen
        if _reads_as_text(block) and _is_article_text(block, True, title):
            lead.insert(0, block)
    return chosen


def _choose(blocks: Sequence[Block], respect_furniture: bool, title: str | None, headline: int | None) -> list[Block]:
    scores: dict[int, float] = defaultdict(float)
    depth: dict[int, int] = {}
    parent: dict[int, int | None] = {}
    summaries = _teaser_summaries(blocks)
    for index, block in enumerate(blocks):
        value = -float(len(block.text)) if index in summaries else _vote(block, respect_furniture)
        if not value:
            continue
        for level, element in enumerate(block.path):
            scores[element] += value
            depth[element] = level
            parent[element] = block.path[level - 1] if level else None
    if not scores:
        return []
    best = max(scores, key=lambda element: (scores[element], depth[element]))
    anchored = _under_headline(blocks, scores, depth, summaries, headline, respect_furniture)
    if anchored is not None and scores[anchored] >= ANCHORED_SHARE * scores[best]:
        if not _is_within(best, anchored, parent) and not _is_within(anchored, best, parent):
            best = anchored
    if scores[best] <= 0:
        return []
    level = depth[best]
    inside = [index for index, block in enumerate(blocks) if len(block.path) > level and block.path[level] == best]
    kept = [
        blocks[index]
        for index in _before_comments(blocks, inside)
        if index not in summaries
        and blocks[index].path[-1] != headline  # "Headline Комментарии: 45"
        and not _heads_a_link_list(blocks, index)
        and _is_article_text(blocks[index], respect_furniture, title)
    ]
    return _trim_edges(kept)


def _under_headline(
    blocks: Sequence[Block],
    scores: dict[int, float],
    depth: dict[int, int],
    summaries: set[int],
    headline: int | None,
    respect_furniture: bool,
) -> int | None:
    """The best element around the first paragraph under the headline: where a news page puts its text."""
    place = next((i for i, block in enumerate(blocks) if block.path[-1] == headline), None) if headline else None
    if place is None:
        return None
    for index in range(place + 1, min(place + 1 + HEADLINE_REACH, len(blocks))):
        block = blocks[index]
        if index in summaries or _vote(block, respect_furniture) <= 0 or len(block.text) < PROSE_CHARS:
            continue
        return max(block.path, key=lambda element: (scores[element], depth[element]))
    return None


def _is_within(element: int, ancestor: int, parent: dict[int, int | None]) -> bool:
    current: int | None = element
    while current is not None:
        if current == ancestor:
            return True
        current = parent.get(current)
    return False


def _before_comments(blocks: Sequence[Block], inside: list[int]) -> list[int]:
    """The element's blocks up to the heading of its reader comments ("Комментарии (45)"), when the
    article's text stands before it: the comments and their rules are not the article."""
    total = sum(len(blocks[index].text) for index in inside if _reads_as_text(blocks[index]))
    before = 0
    for position, index in enumerate(inside):
        block = blocks[index]
        if _is_comments_heading(block.text) and before >= MIN_BODY_CHARS and before * 2 >= total:
            return inside[:position]
        if _reads_as_text(block):
            before += len(block.text)
    return inside


def _is_comments_heading(text: str) -> bool:
    if len(text) > MAX_COMMENTS_HEADING_CHARS:
        return False
    return " ".join(_LETTERS.findall(text.lower())) in _comments_headings()


def _heads_a_link_list(blocks: Sequence[Block], index: int) -> bool:
    """A short line over a list of links ("Рамблер-Новости", "Ещё по теме") names the list, it is no inner heading."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and following.link_density > LINK_LIST_DENSITY and not _reads_as_text(blocks[index])


def _teaser_summaries(blocks: Sequence[Block]) -> set[int]:
    """Blocks that summarise another story: prose right under a linked headline in the same card
    (not under the last line of a list of links: "- Ученые обосновали …" in the text heads no card)."""
    found = set()
    for index, block in enumerate(blocks):
        if not _is_linked_headline(block) or (index and _in_link_list(blocks[index - 1], block)):
            continue
        for offset in range(index + 1, min(index + 1 + SUMMARY_REACH, len(blocks))):
            following = blocks[offset]
            if len(following.text) > MAX_SUMMARY_CHARS or following.link_density > LINK_LIST_DENSITY:
                break
            if len(following.text) >= SENTENCE_CHARS:
                if _cards_share_parent(block, following):
                    found.add(offset)
                break
    return found


def _in_link_list(previous: Block, block: Block) -> bool:
    return previous.path[:-1] == block.path[:-1] and previous.link_density > LINK_LIST_DENSITY


def _is_linked_headline(block: Block) -> bool:
    if block.link_density < LINKED_HEADLINE or not 3 <= len(block.text.split()) <= MAX_HEADLINE_WORDS:
        return False
    return not _is_furniture_phrase(block.text)  # "Версия для печати" heads no story


def _cards_share_parent(headline: Block, summary: Block) -> bool:
    """One card: the same box around headline and summary, marked alike (a related-stories box
    inside the article is no card of the paragraph after it)."""
    if (headline.furniture, headline.related) != (summary.furniture, summary.related):
        return False
    return headline.path[:-1] == summary.path[:-1] or headline.path[:-2] == summary.path[:-2]


def _vote(block: Block, respect_furniture: bool) -> float:
    length = len(block.text)
    if (respect_furniture and block.furniture) or _is_notice(block.text):
        return -FURNITURE_WEIGHT * length
    if block.caption:
        return 0.0
    if block.link_density > LINK_LIST_DENSITY:
        return -float(length)
    return float(length - 2 * block.links) if _reads_as_text(block) else 0.0


def _is_article_text(block: Block, respect_furniture: bool, title: str | None) -> bool:
    if block.caption or (respect_furniture and block.furniture):
        return False
    if block.link_density > LINK_LIST_DENSITY:
        return False
    text = block.text
    if title and _same_text(text, title):
        return False
    if block.byline and len(text) < PROSE_CHARS:
        return False
    if is_banner(text) or is_note(text) or _is_notice(text) or date_line(text):
        return False
    return credited_image(text) is None or len(text) > MAX_CREDITED_CHARS


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop short lines that are not sentences before the first and after the last paragraph."""
    start, stop = 0, len(blocks)
    while start < stop and not _reads_as_text(blocks[start]):
        start += 1
    while stop > start and not _reads_as_text(blocks[stop - 1]):
        stop -= 1
    return blocks[start:stop]


def _reads_as_text(block: Block) -> bool:
    text = block.text
    return len(text) >= PROSE_CHARS or (len(text) >= SENTENCE_CHARS and text.endswith(_SENTENCE_END))


def _is_notice(text: str) -> bool:
    """The site's own words: "Версия для печати", "При перепечатке ссылка обязательна", "© 2012, …"."""
    return "©" in text or _is_furniture_phrase(text)


def _is_furniture_phrase(text: str) -> bool:
    return text.lower().startswith(_furniture_prefixes())


@cache
def _furniture_prefixes() -> tuple[str, ...]:
    return tuple(prefix.lower() for prefix in page_parts()["furniture_prefixes"])


@cache
def _comments_headings() -> frozenset[str]:
    return frozenset(" ".join(_LETTERS.findall(heading.lower())) for heading in page_parts()["comments_headings"])


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())
