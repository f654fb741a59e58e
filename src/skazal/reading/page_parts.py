"""The page-part lexicon (banners, photo credits, editorial notes), loaded from package data."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from skazal.records import Image


@cache
def page_parts() -> dict:
    return tomllib.loads(resources.files("skazal.data").joinpath("page_parts.toml").read_text(encoding="utf-8"))


@cache
def _credit_pattern() -> re.Pattern:
    markers = "|".join(sorted((re.escape(m) for m in page_parts()["credit_markers"]), key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s.,;]))(?:{markers})\s*[:—–]\s*(?P<credit>[^\n]{{1,120}}?)\s*$")


def same_line(a: str, b: str) -> bool:
    """Lines equal but for no-break spaces and runs of white space (a caption saved twice)."""
    return normalise_space(a) == normalise_space(b)


def normalise_space(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def is_banner(line: str) -> bool:
    low = normalise_space(line).lower()
    return any(low.startswith(p.lower()) for p in page_parts()["banner_prefixes"]) or _shouted_pointer(line)


_POINTER_WORDS = re.compile(r"[\s:.!]+")


def _shouted_pointer(line: str) -> bool:
    """ "ЧИТАЙТЕ ПОСЛЕДНИЕ НОВОСТИ ПРО КОРОНАВИРУС", "СЛУШАЙТЕ ТАКЖЕ": a line in capitals that sends
    the reader elsewhere; in lower case the same words may open an article's sentence."""
    if len(line) > 120 or not line.lstrip()[:1].isupper():
        return False
    words = _POINTER_WORDS.split(line.strip())
    if not words or words[0].lower() not in page_parts()["shouted_pointers"]:
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_note(line: str) -> bool:
    low = normalise_space(line).lower()
    return any(low.startswith(p.lower()) for p in page_parts()["note_prefixes"])


def credited_image(line: str) -> Image | None:
    """A caption line ending in a photo credit ("… Фото: TUT.BY"), or None."""
    line = normalise_space(line)
    if len(line) > 400:
        return None
    match = _credit_pattern().search(line)
    if not match:
        return None
    return Image(caption=line[: match.start()].strip(), credit=match.group("credit").rstrip("."))


def opens_related_list(line: str) -> bool:
    """ "Читайте также:" alone on its line: the headlines of other stories follow."""
    heading = normalise_space(line).rstrip(":").strip().lower()
    return heading in _related_headings()


@cache
def _related_headings() -> frozenset[str]:
    return frozenset(h.lower() for h in page_parts()["related_headings"])
