"""An HTML page as a run of text blocks (paragraphs, headings, list items, cells) in page order.

Each block knows the elements around it, how much of its text is link text, and whether it
stands in page furniture (menus, comments, sharing, related stories), a caption or a byline:
the stages after this one choose the article from these blocks without walking the tree again.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_DEPTH = 300
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "»", '"')
_OWN_LINE_OPENERS = ("—", "–", "-", "«", '"', "„", "•", "*", "·")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# The layout a paragraph keeps as its mark: a heading or a block quotation around it, or bold or
# italic type over all its words (an interview's questions, a vox pop's names, a lead).
_STYLE_OF = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "blockquote": "blockquote", "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
}


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    links: int  # characters of the text that stand inside links
    path: tuple[int, ...]  # ids of the enclosing elements, outermost first; the last is the block's own
    furniture: bool = False
    caption: bool = False
    byline: bool = False
    related: bool = False  # inside a list of related stories
    link_texts: tuple[str, ...] = ()
    mark: str | None = None  # "heading", "blockquote", "bold" or "italic" (see _STYLE_OF)

    @property
    def link_density(self) -> float:
        return self.links / len(self.text) if self.text else 0.0


@dataclass(frozen=True, slots=True)
class _Marks:
    furniture: bool = False
    caption: bool = False
    byline: bool = False
    related: bool = False


@dataclass(slots=True)
class _Buffer:
    parts: list[str] = field(default_factory=list)
    links: int = 0
    link_texts: list[str] = field(default_factory=list)
    bold: int = 0  # letters and digits of the text in bold type
    soft: bool = False  # the line follows one <br> inside a <p>: a line break, not a new paragraph
    italic: int = 0


@cache
def page_parts() -> dict:
    text = resources.files("skazal.data").joinpath("html_page_parts.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _alternatives(words: list[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern]:
    parts = page_parts()
    return {
        "furniture": re.compile(_alternatives(parts["boilerplate_markers"])),
        "strong": re.compile(_alternatives(parts["strong_boilerplate_markers"])),
        "content": re.compile(_alternatives(parts["content_markers"])),
        "words": re.compile(r"(?:^|[\s_-])(?:" + _alternatives(parts["boilerplate_words"]) + r")(?:$|[\s_-])"),
        "caption": re.compile(r"(?:^|[\s_-])(?:" + _alternatives(parts["caption_markers"]) + ")"),
        "byline": re.compile(r"(?:^|[\s_-])(?:" + _alternatives(parts["byline_markers"]) + ")"),
        "related": re.compile(_alternatives(parts["related_markers"])),
    }


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def page_blocks(tree: LexborHTMLParser) -> list[Block]:
    """The page's text blocks in reading order."""
    body = tree.body
    if body is None:
        return []
    walker = _Walker(page_parts())
    walker.walk(body, (body.mem_id,), _Marks(), 0)
    walker.flush((body.mem_id,), _Marks())
    return walker.blocks


class _Walker:
    def __init__(self, parts: dict) -> None:
        self.skipped = frozenset(parts["skipped_tags"])
        self.block_tags = frozenset(parts["block_tags"])
        self.furniture_tags = frozenset(parts["boilerplate_tags"])
        self.caption_tags = frozenset(parts["caption_tags"])
        self.blocks: list[Block] = []
        self.lines: list[_Buffer] = []  # lines of the current block ended by <br>
        self.buffer = _Buffer()
        self.in_link = 0
        self.inside = dict.fromkeys(_STYLE_OF.values(), 0)  # how deep in each style the walk is
        self.in_paragraph = 0  # how deep in <p> elements

    def walk(self, node: LexborNode, path: tuple[int, ...], marks: _Marks, depth: int) -> None:
        for child in node.iter(include_text=True):
            name = child.tag
            if name == "-text":
                text = child.text_content or ""
                self.buffer.parts.append(text)
                if self.in_link:
                    self.buffer.links += len(text.strip())
                if self.inside["bold"]:
                    self.buffer.bold += _letters(text)
                if self.inside["italic"]:
                    self.buffer.italic += _letters(text)
            elif name in self.skipped or name == "-comment" or name is None:
                continue
            elif name == "br":
                self.break_at_br()
            elif name == "a":
                self.walk_link(child, path, marks, depth)
            else:
                self.walk_element(child, name, path, marks, depth)

    def walk_element(self, node: LexborNode, name: str, path: tuple[int, ...], marks: _Marks, depth: int) -> None:
        attributes = node.attributes
        if "hidden" in attributes or _HIDDEN.search(attributes.get("style") or ""):
            return
        own = self.marks(attributes, name, marks)
        style = _STYLE_OF.get(name)
        if depth >= MAX_DEPTH:
            self.buffer.parts.append(node.text(deep=True, separator=" "))
            return
        block = name in self.block_tags or own != marks
        if block:
            self.flush(path, marks)
        if style:
            self.inside[style] += 1
        self.in_paragraph += name == "p"
        if block:
            inner = (*path, node.mem_id)
            self.walk(node, inner, own, depth + 1)
            self.flush(inner, own)
        else:
            self.walk(node, path, marks, depth + 1)
        self.in_paragraph -= name == "p"
        if style:
            self.inside[style] -= 1

    def walk_link(self, node: LexborNode, path: tuple[int, ...], marks: _Marks, depth: int) -> None:
        buffer, before = self.buffer, len(self.buffer.parts)
        self.in_link += 1
        self.walk(node, path, marks, depth + 1)
        self.in_link -= 1
        if self.buffer is buffer:
            text = " ".join("".join(buffer.parts[before:]).split())
            if text:
                buffer.link_texts.append(text)

    def marks(self, attributes: dict, name: str, inherited: _Marks) -> _Marks:
        names = " ".join(filter(None, (attributes.get("class"), attributes.get("id"), attributes.get("itemprop"))))
        furniture_tag, caption_tag = name in self.furniture_tags, name in self.caption_tags
        if not names and not furniture_tag and not caption_tag:
            return inherited
        return _marks_of(names.lower(), furniture_tag, caption_tag, inherited)

    def break_at_br(self) -> None:
        """One <br> inside a <p> breaks a line of the paragraph; two, or one elsewhere, end it."""
        if "".join(self.buffer.parts).strip():
            self.break_line()
            self.buffer.soft = self.in_paragraph > 0
        else:
            self.buffer.soft = False

    def break_line(self) -> None:
        if self.buffer.parts:
            self.lines.append(self.buffer)
            self.buffer = _Buffer()

    def flush(self, path: tuple[int, ...], marks: _Marks) -> None:
        self.break_line()
        lines, self.lines = self.lines, []
        around = "heading" if self.inside["heading"] else "blockquote" if self.inside["blockquote"] else None
        for text, links, link_texts, bold, italic in _paragraphs(lines):
            self.blocks.append(
                Block(
                    text=text,
                    links=min(links, len(text)),
                    path=path,
                    furniture=marks.furniture,
                    caption=marks.caption,
                    byline=marks.byline,
                    related=marks.related,
                    link_texts=link_texts,
                    mark=around or _type_of(text, bold, italic),
                )
            )


@lru_cache(maxsize=20_000)
def _marks_of(names: str, furniture_tag: bool, caption_tag: bool, inherited: _Marks) -> _Marks:
    """The marks of an element by its class, id and itemprop; a page repeats the same few many times."""
    patterns = _patterns()
    furniture = inherited.furniture or furniture_tag or _is_furniture(names, patterns)
    caption = inherited.caption or caption_tag or bool(patterns["caption"].search(names))
    byline = inherited.byline or bool(names and patterns["byline"].search(names))
    related = inherited.related or bool(names and patterns["related"].search(names))
    return _Marks(furniture, caption, byline, related)


def _paragraphs(lines: list[_Buffer]) -> list[tuple[str, int, tuple[str, ...], int, int]]:
    """Lines ended by <br> as paragraphs: a line that breaks off mid-sentence goes on in the next one.
    Each with its link characters, link texts, and letters in bold and in italic type."""
    paragraphs: list[tuple[str, int, tuple[str, ...], int, int]] = []
    for line in lines:
        text = " ".join("".join(line.parts).replace("\ufeff", "").split())
        if not text:
            continue
        goes_on = text[0].islower() and not paragraphs[-1][0].endswith(_SENTENCE_END) if paragraphs else False
        plain = not line.bold and not line.italic and paragraphs and not paragraphs[-1][3] and not paragraphs[-1][4]
        if paragraphs and (goes_on or line.soft and plain and _same_paragraph(paragraphs[-1][0], text)):
            before, links, link_texts, bold, italic = paragraphs.pop()
            text, line.links, line.link_texts = f"{before} {text}", links + line.links, [*link_texts, *line.link_texts]
            line.bold, line.italic = bold + line.bold, italic + line.italic
        paragraphs.append((text, line.links, tuple(line.link_texts), line.bold, line.italic))
    return paragraphs


def _same_paragraph(before: str, line: str) -> bool:
    """A line after one <br> in a <p> goes on the paragraph after a sentence or a clause ends, unless
    it opens words of its own (a dash, a quotation mark, a list item); a question or a colon before it
    (an interview's turns), a credit line ("Фото: …") or a line in other type keeps it apart."""
    return not line.startswith(_OWN_LINE_OPENERS) and before.endswith((".", "!", "…", ",", ";"))


def _letters(text: str) -> int:
    return sum(map(str.isalnum, text))


def _type_of(text: str, bold: int, italic: int) -> str | None:
    """ "bold" or "italic" when all the paragraph's letters and digits are set in that type."""
    if not bold and not italic:
        return None
    letters = _letters(text)
    if bold >= letters:
        return "bold"
    return "italic" if italic >= letters else None


def _is_furniture(names: str, patterns: dict[str, re.Pattern]) -> bool:
    if not names:
        return False
    if patterns["strong"].search(names) or patterns["words"].search(names):
        return True
    return bool(patterns["furniture"].search(names)) and not patterns["content"].search(names)
