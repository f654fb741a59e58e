"""The whole extraction of one page: reading → entities → quotes."""
from __future__ import annotations

from skazal.entities import find_entities, short_texts
from skazal.nlp import analyse_texts
from skazal.quotes import find_quotes
from skazal.quotes.ranker import Chooser
from skazal.reading import read_page
from skazal.reading.decode import clean_text, cleaned
from skazal.records import Article, Page


def extract(page: str | bytes, url: str | None = None, chooser: Chooser | None = None) -> Page:
    """Read a page (text scrape or HTML, as text or raw bytes) into a `Page` with entities and quotes;
    `chooser` picks each quote's speaker among its candidates (the shipped ranker unless given)."""
    return analyse_article(read_article(page, url=url), chooser)


def read_article(page: str | bytes, url: str | None = None) -> Article:
    """The article a page holds, before any language analysis: the cheap half of `extract`."""
    # What a page carries that no store can hold (NUL, lone surrogates: a str given as it is, escapes
    # in the page's JSON-LD) is replaced here, so that every record made from it is clean too.
    return cleaned(read_page(page if isinstance(page, bytes) else clean_text(page), url=url))


def analyse_article(article: Article, chooser: Chooser | None = None) -> Page:
    """The entities and quotes of a read article: natasha's models and the rules over them."""
    short_text, _ = short_texts(article)
    # the body and the title, teasers and captions go through natasha's models together
    doc, short_doc = analyse_texts([article.body, short_text])
    entities = find_entities(article, doc, short_doc)
    quotes, sources = find_quotes(article, doc, entities, chooser)
    return Page(article=article, entities=entities, quotes=quotes, sources=sources)
