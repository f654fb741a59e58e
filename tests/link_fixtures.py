"""Real articles of two gold stories of the multi-outlet stream in a store (tests/data/linking/stories.jsonl,
provenance in that folder's README), each saved as `skazal ingest` saves an article record: the page read
from its title and text, its outlet and its publication time kept."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache
from pathlib import Path

import skazal
from skazal.ingest.records import ArticleRecord, read_records
from skazal.records import IngestedPage

STORIES = Path(__file__).parent / "data" / "linking" / "stories.jsonl"
TASS_MASKS = "https://tass.ru/ekonomika/8391043"  # tg-eco-005-01, ТАСС 10:53: Мантуров on masks


@cache
def story_records() -> tuple[ArticleRecord, ...]:
    return tuple(read_records(STORIES))


@cache
def story_pages() -> tuple[IngestedPage, ...]:
    """The articles extracted once per test session, ready to save."""
    pages = []
    for record in story_records():
        page = skazal.extract(record.page_text, url=record.url)
        page = replace(page, article=replace(page.article, title=record.title, published=record.published))
        pages.append(IngestedPage(location=record.url, url=record.url, outlet=record.outlet,
                                  content_hash=hashlib.sha256(page.body.encode()).hexdigest(), page=page))
    return tuple(pages)
