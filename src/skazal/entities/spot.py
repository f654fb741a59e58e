"""Names natasha's NER misses on news pages, found by rules kept in the entity lexicon:
names in «» («Амкодор», «Зеркалу»), known abbreviations (МИД, США), capitalised Latin names
(BELPOL), sites by their address (TUT.BY, ovdinfo.org) and photo credits."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from natasha.doc import DocToken

from skazal.entities.lexicon import EntityLexicon, fold
from skazal.entities.normalise import common_name
from skazal.nlp import lemma_among

OPENING_QUOTES = frozenset("«„“\"")
CLOSING_QUOTES = frozenset("»“”\"")
LATIN_CAPITALS = re.compile(r"[A-Z][A-Z0-9&]{3,}")
CREDIT_PARTS = re.compile(r"\s*[/,;]\s*|\s+и\s+")


@dataclass(frozen=True, slots=True)
class Spotted:
    """Tokens `tokens[start:stop]` name an entity of `type` (`name` already canonical)."""

    start: int
    stop: int
    name: str
    type: str


def spot_names(tokens: Sequence[DocToken], taken: set[int], lexicon: EntityLexicon) -> Iterator[Spotted]:
    """Names among `tokens` that natasha did not tag; `taken` holds indices already in a name."""
    i = 0
    while i < len(tokens):
        found = _quoted_name(tokens, i, lexicon) or _known_word(tokens, i, lexicon)
        if found and not taken.intersection(range(found.start, found.stop)):
            yield found
            i = found.stop
        else:
            i += 1


def preceding_word(tokens: Sequence[DocToken], i: int) -> DocToken | None:
    """The word before `tokens[i]`, past any opening quotation mark."""
    j = i - 1
    while j >= 0 and tokens[j].text in OPENING_QUOTES:
        j -= 1
    return tokens[j] if j >= 0 else None


def named_in_credit(credit: str, lexicon: EntityLexicon) -> Iterator[tuple[int, int]]:
    """Offsets of the agencies and outlets a photo credit names ("TUT.BY", "Reuters / AFP"),
    leaving out parts that are only stock words ("Скриншот видео", "архив")."""
    start = 0
    for separator in [*CREDIT_PARTS.finditer(credit), None]:
        stop = separator.start() if separator else len(credit)
        part = credit[start:stop]
        words = part.split()
        stock = all(fold(w) in lexicon.credit_words for w in words)
        if words and len(words) <= 4 and words[0][:1].isupper() and not stock:
            yield start, stop
        start = separator.end() if separator else stop


def _quoted_name(tokens: Sequence[DocToken], i: int, lexicon: EntityLexicon) -> Spotted | None:
    if tokens[i].text not in OPENING_QUOTES:
        return None
    last = min(len(tokens), i + 2 + lexicon.quoted_name_max_words)
    inner_stop = next((j for j in range(i + 1, last) if tokens[j].text in CLOSING_QUOTES), None)
    if inner_stop is None or inner_stop == i + 1:
        return None
    inner = tokens[i + 1:inner_stop]
    if not all(t.text[:1].isupper() or t.text[:1].isdigit() or t.text == "-" for t in inner):
        return None
    if inner[-1].pos not in ("NOUN", "PROPN", "X") and not inner[-1].text.isascii():
        return None
    before = preceding_word(tokens, i)
    if before is not None and lemma_among(before, lexicon.not_after):
        return None
    name = common_name(inner)
    if lexicon.is_not_name(name):
        return None
    return Spotted(i + 1, inner_stop, name, lexicon.types.get(fold(name), "ORG"))


def _known_word(tokens: Sequence[DocToken], i: int, lexicon: EntityLexicon) -> Spotted | None:
    token = tokens[i]
    if not token.text[:1].isupper():
        return None
    known = lexicon.known.get(fold(token.text)) or lexicon.known.get(lemma_among(token, lexicon.known) or "")
    # An abbreviation counts only as spelled: "МИД", not "Мид".
    if known and (token.text == known[0] or not known[0].isupper()):
        return Spotted(i, i + 1, known[0], known[1])
    if _latin_name(tokens, i, lexicon):
        return Spotted(i, i + 1, token.text, "ORG")
    return None


def _latin_name(tokens: Sequence[DocToken], i: int, lexicon: EntityLexicon) -> bool:
    """A word in Latin capitals amid Russian text ("BELPOL передал"), not a line of English."""
    if not LATIN_CAPITALS.fullmatch(tokens[i].text) or tokens[i].text in lexicon.latin_terms:
        return False
    neighbours = [tokens[j].text for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
    return not any(re.fullmatch(r"[A-Za-z]+", n) for n in neighbours)


def sites(text: str, lexicon: EntityLexicon) -> Iterator[tuple[int, int]]:
    """Offsets of sites named by their address ("TUT.BY", "ovdinfo.org"), not within a link or an e-mail."""
    for match in _site_pattern(lexicon.domains).finditer(text):
        yield match.start(), match.end()


@cache
def _site_pattern(domains: frozenset[str]) -> re.Pattern:
    tlds = "|".join(sorted(domains, key=len, reverse=True))
    address = r"[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
    return re.compile(rf"(?<![\w@/.-]){address}\.(?:{tlds})(?![\w/@-]|\.\w)", re.IGNORECASE)
