"""Reported speech in the body, attributed to its speakers."""
from __future__ import annotations

from natasha import Doc

from skazal.records import Article, Entity, Quote, Source


def find_quotes(
    article: Article, doc: Doc, entities: tuple[Entity, ...]
) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
    """Quotes of the body and the sources the page cites."""
    return (), ()
