"""The whole extraction of one page: reading → entities → quotes."""
from __future__ import annotations

from skazal.entities import find_entities
from skazal.nlp import analyse
from skazal.quotes import find_quotes
from skazal.reading import read_page
from skazal.records import Page


def extract(page: str | bytes, url: str | None = None) -> Page:
    """Read a page (text scrape or HTML, as text or raw bytes) into a `Page` with entities and quotes."""
    article = read_page(page, url=url)
    doc = analyse(article.body)
    entities = find_entities(article, doc)
    quotes, sources = find_quotes(article, doc, entities)
    return Page(article=article, entities=entities, quotes=quotes, sources=sources)
