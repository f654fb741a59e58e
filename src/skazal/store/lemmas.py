"""Russian words reduced to their dictionary forms (pymorphy3), for full-text search and name lookup.

The same function lemmatises stored text and queries, so "айтишников" in a quote and "айтишник"
in a query meet on "айтишник" in either backend.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pymorphy3

# Letters and digits only: both FTS5's unicode61 tokenizer and PostgreSQL's 'simple' parser then
# see the same tokens ("IT-сферу" is indexed as "it" and "сфера" in both).
WORD = re.compile(r"[^\W_]+")


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def normal_forms(word: str) -> list[str]:
    """The dictionary forms pymorphy3 offers for one word, the most likely first; none if it cannot read it."""
    try:
        return [parse.normal_form for parse in morph().parse(word)]
    except ValueError:
        # pymorphy3 looks up each letter's Unicode name, and letters without one ("𗀀", U+17000) raise.
        return []


@cache
def lemma(word: str) -> str:
    """The most likely dictionary form of one word, lower case, "ё" written "е"; the word itself if none."""
    forms = normal_forms(word)
    return fold(forms[0] if forms else word)


@cache
def name_forms(word: str) -> frozenset[str]:
    """Every dictionary form a name part may come from ("Александра" → александр, александра)."""
    return frozenset({fold(word)} | {fold(form) for form in normal_forms(word)})


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text`, with their offsets."""
    return WORD.finditer(text)


def lemmatise(text: str) -> str:
    """`text` as a space-separated string of lemmas, the form the full-text index stores."""
    return " ".join(lemma(match.group()) for match in words(text))


def query_lemmas(text: str) -> tuple[str, ...]:
    """The distinct lemmas of a search query, in the order given."""
    return tuple(dict.fromkeys(lemma(match.group()) for match in words(text)))
