"""Pages saved as plain text: the article body, and the banners, teasers and captions around it."""
from __future__ import annotations

import re

from skazal.reading.dates import only_date, opening_date
from skazal.reading.page_parts import (
    credited_image,
    is_banner,
    is_note,
    normalise_space,
    opens_related_list,
    same_line,
)
from skazal.records import Article, Image

_TEASER = re.compile(r"^\s*\d{1,2}[.)]\s+(?P<text>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?…»\"”]\s*$")
_DIRECT_SPEECH = re.compile(r"^[—–-]\s")
MAX_TITLE_WORDS = 30
MAX_CAPTION_WORDS = 16
MAX_HEADLINE_WORDS = 20


def read_text_scrape(text: str, url: str | None = None) -> Article:
    """Read a page saved as text: title, rubric, teasers, banners, captions and the body."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    banners = tuple(line for line in lines if is_banner(line))
    lines = [line for line in lines if not is_banner(line)]
    published, lines = _dated(lines)
    teasers = tuple(_TEASER.match(line).group("text").strip() for line in lines if _is_teaser_line(line, lines))
    head, rest = _split_head(lines)
    title, rubric, images = _read_head(head)
    body: list[str] = []
    notes: list[str] = []
    related: list[str] = []
    in_related = False
    for line in rest:
        if opens_related_list(line):
            in_related = True
            continue
        in_related = in_related and _is_headline(line)
        if in_related:
            related.append(normalise_space(line))
            continue
        image = credited_image(line)
        if image is not None:
            if not any(same_line(image.caption, known.caption) for known in images):
                images.append(image)
        elif is_note(line):
            notes.append(normalise_space(line))
        elif not _is_teaser_line(line, rest):
            body.append(line)
    if published is None and body:
        published = opening_date(body[0])
    return Article(
        body="\n\n".join(body),
        title=title,
        published=published,
        rubric=rubric,
        url=url,
        format="text",
        teasers=teasers + tuple(related),
        images=tuple(images),
        banners=banners,
        notes=tuple(notes),
    )


def _is_headline(line: str) -> bool:
    """A line that reads as a headline: short, no full stop at its end, no dash of direct speech."""
    line = line.strip().rstrip("\u200b")
    return (
        0 < len(line.split()) <= MAX_HEADLINE_WORDS
        and not line.endswith((".", "!", "…"))
        and not _DIRECT_SPEECH.match(line)
    )


def _is_teaser_line(line: str, lines: list[str]) -> bool:
    """A numbered headline in a run of at least two numbered lines."""
    return bool(_TEASER.match(line)) and sum(1 for other in lines if _TEASER.match(other)) >= 2


def _dated(lines: list[str]) -> tuple[str | None, list[str]]:
    """The date a line above or below the title gives, and the lines without it."""
    for i, line in enumerate(lines[:2]):
        date = only_date(line)
        if date:
            return date, lines[:i] + lines[i + 1 :]
    return None, lines


def _split_head(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines before the body (title, rubric, teaser list, a caption) and the rest. A text of
    one line, or one that opens with a line no title could be (a long one, a dash of direct
    speech), is all body: a sentence or a paragraph given to analyse."""
    last_teaser = max((i for i, line in enumerate(lines) if _is_teaser_line(line, lines)), default=-1)
    if last_teaser >= 0:
        return lines[: last_teaser + 1], lines[last_teaser + 1 :]
    if len(lines) < 2 or not _is_title_like(lines[0]):
        return [], lines
    head = lines[:1]
    if len(lines) > 2 and _is_caption_like(lines[1]):
        head.append(lines[1])
    return head, lines[len(head) :]


def _read_head(head: list[str]) -> tuple[str | None, str | None, list[Image]]:
    plain = [line for line in head if not _TEASER.match(line)]
    if any(_TEASER.match(line) for line in head):
        # A short line above a teaser list names the list's rubric; the article's own title is missing.
        return None, (plain[0] if plain else None), []
    title = plain[0] if plain else None
    images = [Image(caption=normalise_space(line)) for line in plain[1:]]
    return title, None, images


def _is_title_like(line: str) -> bool:
    return len(line.split()) <= MAX_TITLE_WORDS and not _DIRECT_SPEECH.match(line)


def _is_caption_like(line: str) -> bool:
    return len(line.split()) <= MAX_CAPTION_WORDS and not _SENTENCE_END.search(line)
