"""HTML pages as published: the article's title, body, date, teasers and captions.

selectolax (lexbor) parses the page; `html_blocks` turns it into text blocks, `html_metadata`
reads the headline and date, `html_content` chooses the article's blocks, `html_captions` its
photo captions and `teasers` the headlines of other stories.
"""
from __future__ import annotations

import re

from skazal.reading.html_blocks import page_blocks, parse
from skazal.reading.html_captions import captions
from skazal.reading.html_content import article_blocks
from skazal.reading.html_dates import dateline_date
from skazal.reading.html_metadata import language_of, read_metadata
from skazal.reading.teasers import find_teasers
from skazal.records import Article

# lexbor checks each new attribute of an element against all it already has: one tag with 2×10⁵
# distinct attributes takes it minutes. Real tags carry a few dozen at most; past this many, the
# rest are dropped before parsing. The pattern follows the HTML tokenizer (names end at
# whitespace, "/", ">" or "="; "/" separates attributes too), never backtracks into an attribute,
# and leaves what is no markup alone: comments and the text of scripts, styles and titles.
MAX_ATTRIBUTES = 200
_SPACE = r"[\t\n\f\r ]"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\t\n\f\r >]*)"""
_ATTRIBUTE = rf"(?>[\t\n\f\r /]+[^\t\n\f\r />][^\t\n\f\r />=]*(?:{_SPACE}*={_SPACE}*{_VALUE})?)"
_RAW_TEXT = "script|style|title|textarea|xmp|iframe|noembed|noframes"
_TOO_MANY_ATTRIBUTES = re.compile(
    rf"<!--.*?(?:-->|\Z)"
    rf"|(?P<raw_start><(?P<raw>{_RAW_TEXT})(?=[\t\n\f\r />]){_ATTRIBUTE}{{0,{MAX_ATTRIBUTES}}})"
    rf"{_ATTRIBUTE}*+(?P<raw_rest>.*?(?:</(?P=raw)|\Z))"
    rf"|(?P<start><[a-z][^\t\n\f\r />]*{_ATTRIBUTE}{{{MAX_ATTRIBUTES}}}){_ATTRIBUTE}++",
    re.S | re.I,
)


def _without_surplus_attributes(html: str) -> str:
    """`html` with no tag holding more than `MAX_ATTRIBUTES` attributes."""

    def kept(match: re.Match) -> str:
        if match["raw"]:
            return match["raw_start"] + match["raw_rest"]
        return match["start"] or match[0]

    return _TOO_MANY_ATTRIBUTES.sub(kept, html)


def read_html(html: str, url: str | None = None) -> Article:
    """Read an HTML page into an `Article`."""
    html = _without_surplus_attributes(html)
    tree = parse(html)
    blocks = page_blocks(tree)
    metadata = read_metadata(tree, blocks, url=url)
    body = article_blocks(blocks, title=metadata.title, headline=metadata.headline_element)
    text = "\n\n".join(block.text for block in body) or _text_by_trafilatura(html)
    return Article(
        body=text,
        title=metadata.title,
        published=metadata.published or dateline_date(text),
        author=metadata.author,
        rubric=metadata.rubric,
        url=url,
        canonical_url=metadata.canonical_url,
        language=metadata.language or language_of(text),
        format="html",
        teasers=find_teasers(blocks, body, metadata.title),
        images=tuple(captions(blocks, body)),
        paragraph_marks=tuple(block.mark for block in body),
    )


def _text_by_trafilatura(html: str) -> str:
    """trafilatura's reading of a page where no element reads as an article (a last resort: it is slow)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_comments=False, with_metadata=False)
    text = (extracted.text or "") if extracted is not None else ""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
