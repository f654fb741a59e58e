"""What a page says about its article: headline, publication date, author, address, language.

The headline is chosen by agreement: a heading on the page that the meta tags, JSON-LD or
<title> repeat (their copies carry " - Outlet" or "Outlet: " decorations, the heading does not).
The publication date is read by `html_dates` from the same meta tags and JSON-LD.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from skazal.reading.dates import date_line, is_full_date, parse_date
from skazal.reading.html_blocks import Block, page_parts
from skazal.reading.html_dates import published_date

MIN_AGREEMENT = 0.9
MIN_SHARE_OF_REFERENCE = 0.4
MAX_HEADLINE_WORDS = 40
MAX_HEADLINE_DECORATION = 4  # words around a headline shown in a table cell ("Чита: …")
MAX_STAMP_WORDS = 4  # a date and time set in the heading beside the headline ("… 06.01.12 08:49")
_WORD = re.compile(r"\w+")
_DECORATION = re.compile(r"\s+(?:\||::|//|—|–|-|/|»|:)\s+|\s*\|\s*")
_TRAILING_DATE = re.compile(r"[,.]?\s+\d{1,2}\s+\w+\s+\d{4}\S*\s*$")
_HEADING_TAGS = ("h1", "h2", "h3")
_META_KEYS = ("property", "name", "itemprop", "http-equiv")
_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle", "webpage")

# a byline longer than this is a sentence about the author, not a name
MAX_AUTHOR_WORDS = 6


@dataclass(frozen=True)
class Heading:
    tag: str
    text: str
    element: int  # the element's id, as in `Block.path`


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    headline_element: int | None
    published: str | None
    author: str | None
    rubric: str | None
    canonical_url: str | None
    language: str | None


def read_metadata(tree: LexborHTMLParser, blocks: Sequence[Block], url: str | None = None) -> PageMetadata:
    meta = _meta_tags(tree)
    linked = _linked_data(tree)
    names = page_parts()["meta"]
    references = [meta[name] for name in names["title"] if meta.get(name)]
    if linked.get("headline"):
        references.append(linked["headline"])
    page_title = _node_text(tree.css_first("title"))
    shown = {element for block in blocks for element in block.path}
    # A hidden heading (a copy in a "share" popup) is not the headline the reader sees.
    headings = [heading for heading in _headings(tree) if heading.element in shown]
    title, element = choose_title(references, page_title, headings)
    if element is None and title:
        element = _element_showing(blocks, title)
    canonical = _canonical(tree, meta, url)
    return PageMetadata(
        title=title,
        headline_element=element,
        published=published_date(tree, meta, linked, blocks, element, (canonical, url)),
        author=_first(meta, names["author"]) or linked.get("author") or _microdata_author(tree),
        rubric=_first(meta, names["rubric"]),
        canonical_url=canonical,
        language=_language(tree, meta),
    )


def choose_title(
    references: Sequence[str], page_title: str | None, headings: Sequence[Heading]
) -> tuple[str | None, int | None]:
    """The headline and its element: a heading the other sources agree on, else their common part."""
    sources = [text for text in (*references, page_title) if text]
    agreed = _agreed_heading(headings, sources)
    if agreed is not None:
        return agreed.text, agreed.element
    if len(sources) >= 2:
        common = _common_words(sources[0], page_title or sources[1])
        if common:
            return common, None
    if references:
        return _undecorated(references[0]), None
    lone = [h for h in headings if h.tag == "h1" and len(h.text.split()) >= 3]
    if lone:
        return lone[0].text, lone[0].element
    return (_undecorated(page_title), None) if page_title else (None, None)


def _agreed_heading(headings: Sequence[Heading], sources: Sequence[str]) -> Heading | None:
    best, best_key = None, None
    source_words = [Counter(_words(source)) for source in sources]
    for order, heading in enumerate(headings):
        words = Counter(_words(heading.text))
        size = sum(words.values())
        if not size or size > MAX_HEADLINE_WORDS:
            continue
        for reference in source_words:
            shared = sum((words & reference).values())
            share = shared / max(sum(reference.values()), 1)
            if shared / size < MIN_AGREEMENT or share < MIN_SHARE_OF_REFERENCE:
                continue
            key = (round(share, 2), -_HEADING_TAGS.index(heading.tag), -order)
            if best_key is None or key > best_key:
                best, best_key = heading, key
    return best


def _common_words(a: str, b: str) -> str | None:
    """The longest run of words two titles share ("Газета.Ru - X" and "X — Газета.Ru" share X)."""
    left, right = a.split(), b.split()
    best = (0, 0)
    previous = [0] * (len(right) + 1)
    for i in range(1, len(left) + 1):
        current = [0] * (len(right) + 1)
        for j in range(1, len(right) + 1):
            if left[i - 1] == right[j - 1]:
                current[j] = previous[j - 1] + 1
                if current[j] > best[0]:
                    best = (current[j], i)
        previous = current
    length, end = best
    if length < 3:
        return None
    return _strip_punctuation(" ".join(left[end - length : end]))


def _undecorated(title: str) -> str:
    """The headline part of a <title>: the longest part between separators, without a trailing date."""
    parts = [part.strip() for part in _DECORATION.split(title) if part and part.strip()]
    if not parts:
        return title.strip()
    longest = max(parts, key=lambda part: len(part.split()))
    stripped = _TRAILING_DATE.sub("", longest)
    return stripped if stripped and parse_date(longest[len(stripped) :]) else longest


def _strip_punctuation(text: str) -> str:
    return text.strip(" -–—|:,/")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("ё", "е"))


def _headings(tree: LexborHTMLParser) -> list[Heading]:
    found = []
    for node in tree.css(", ".join(_HEADING_TAGS)):
        text = _without_stamp(" ".join(node.text(deep=True, separator=" ").split()))
        if text:
            found.append(Heading(tag=node.tag, text=text, element=node.mem_id))
    return found


def _without_stamp(heading: str) -> str:
    """The heading without the date and time a page sets before or after the headline in it."""
    words = heading.split()
    for size in range(min(MAX_STAMP_WORDS, len(words) - 3), 0, -1):
        if is_full_date(date_line(" ".join(words[-size:]))):
            return " ".join(words[:-size])
        if is_full_date(date_line(" ".join(words[:size]))):
            return " ".join(words[size:])
    return heading


def _meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attributes = node.attributes
        name = next((attributes[key] for key in _META_KEYS if attributes.get(key)), None)
        content = attributes.get("content")
        if name and content and content.strip():
            found.setdefault(name.strip().lower(), " ".join(content.split()))
    return found


def _linked_data(tree: LexborHTMLParser) -> dict[str, str]:
    """headline, datePublished and author of the page's JSON-LD article, when it has one."""
    found: dict[str, str] = {}
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except json.JSONDecodeError:
            continue
        for item in _json_objects(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                continue
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str):
                    found.setdefault(key, " ".join(item[key].split()))
            author = _author_name(item.get("author"))
            if author:
                found.setdefault("author", author)
    return found


def _json_objects(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _json_objects(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _json_objects(graph)


def _microdata_author(tree: LexborHTMLParser) -> str | None:
    """ `<p itemprop="author"><span itemprop="name">Наталья Гранина</span></p>`: a byline marked up
    as schema.org microdata."""
    node = tree.css_first('[itemprop="author"]')
    if node is None:
        return None
    name_node = node.css_first('[itemprop="name"]') or node
    name = " ".join((name_node.text(deep=True, separator=" ") or "").split())
    return name if name and len(name.split()) <= MAX_AUTHOR_WORDS else None


def _author_name(author: object) -> str | None:
    if isinstance(author, list):
        names = [name for name in map(_author_name, author) if name]
        return ", ".join(names) or None
    if isinstance(author, dict):
        author = author.get("name")
    return " ".join(author.split()) if isinstance(author, str) and author.strip() else None


def _element_showing(blocks: Sequence[Block], title: str) -> int | None:
    """The element that shows the headline on the page, when it is not a heading element."""
    wanted = _words(title)
    run = " ".join(wanted)
    for block in blocks:
        words = _words(block.text)
        if not len(wanted) <= len(words) <= len(wanted) + MAX_HEADLINE_DECORATION:
            continue
        shown = " ".join(words)
        # "…курильщикамКомментарии: 45": a link glued to the headline's last word.
        if f" {run} " in f" {shown} " or shown.startswith(run):
            return block.path[-1]
    return None


def _canonical(tree: LexborHTMLParser, meta: dict[str, str], url: str | None) -> str | None:
    link = tree.css_first('link[rel="canonical"]')
    address = (link.attributes.get("href") if link else None) or meta.get("og:url")
    if not address:
        return None
    return urljoin(url, address.strip()) if url else address.strip()


def _language(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    html = tree.css_first("html")
    declared = (html.attributes.get("lang") if html else None) or meta.get("content-language") or meta.get("og:locale")
    if not declared:
        return None
    return declared.strip().replace("_", "-").split("-")[0].lower() or None


def language_of(text: str) -> str | None:
    """Russian ("ru") or Ukrainian ("uk") text told by its letters, for pages that declare no language."""
    letters = [char for char in text[:5000].lower() if char.isalpha()]
    cyrillic = sum("а" <= char <= "я" or char in "ёіїєґ" for char in letters)
    if not letters or cyrillic < len(letters) / 2:
        return None
    ukrainian = sum(char in "іїєґ" for char in letters)
    return "uk" if ukrainian > len(letters) / 100 else "ru"


def _first(meta: dict[str, str], names: Sequence[str]) -> str | None:
    return next((meta[name] for name in names if meta.get(name)), None)


def _node_text(node) -> str | None:
    if node is None:
        return None
    text = " ".join((node.text() or "").split())
    return text or None
