"""A small real corpus for the store tests, on SQLite and on the real PostgreSQL server.

Pages are real (the seed page, a Wikinews article, news pages from eval/corpus/html-modern)
and run through skazal.extract(); their quotes are the gold annotations of the same pages, so the
store tests hold whatever the quote finder's accuracy of the day.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from conftest import CORPUS, DATA, EVAL

import skazal
from skazal.records import IngestedPage, Page, Quote, Speaker
from skazal.store import open_store

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ("sqlite", "postgresql")
MODERN = CORPUS / "html-modern"

# (file, gold set, gold id, outlet, url, fetched_at)
PAGES = (
    (DATA / "texts" / "zerkalo-lukashenko-it.txt", EVAL / "dev" / "gold.jsonl", "seed-zerkalo-it",
     "news.zerkalo.io", None, "2023-03-14T09:00:00+00:00"),
    (DATA / "texts" / "wikinews-militsiya-politsiya.txt", EVAL / "dev" / "gold.jsonl", "nerel-10744",
     "ru.wikinews.org", None, "2010-08-07T12:00:00+00:00"),
    (MODERN / "pages" / "020-bykvu.html", MODERN / "gold.jsonl", "020-bykvu", None, None, None),
    (MODERN / "pages" / "013-medportal.html", MODERN / "gold.jsonl", "013-medportal", None, None, None),
    (MODERN / "pages" / "027-kamtime.html", MODERN / "gold.jsonl", "027-kamtime", None, None, None),
)


def _gold(path, gold_id) -> dict:
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == gold_id:
            return record
    raise LookupError(gold_id)


def _index_entry(file) -> dict:
    for line in (MODERN / "index.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["file"] == f"pages/{file.name}":
            return record
    return {}


def _speaker(gold_speaker, page: Page) -> Speaker | None:
    name = gold_speaker.get("name") if isinstance(gold_speaker, dict) else gold_speaker
    if not name:
        return None
    surnames = {entity.name.split()[-1] for entity in page.entities if entity.type == "PER"}
    return Speaker(name=name, type="PER" if name.split()[-1] in surnames else "ORG")


def _gold_quotes(page: Page, gold: dict) -> tuple[Quote, ...]:
    quotes = []
    for quote in gold.get("quotes", []):
        # The pages write no-break spaces where the annotators typed plain ones.
        found = re.search(r"\s+".join(map(re.escape, quote["text"].split())), page.body)
        if found is None:
            continue
        quotes.append(
            Quote(kind=quote["kind"], text=found.group(), start=found.start(), end=found.end(),
                  speaker=_speaker(quote.get("speaker"), page), confidence=0.9)
        )
    return tuple(quotes)


@cache
def corpus() -> tuple[IngestedPage, ...]:
    """The real pages, extracted once per test session, ready to save."""
    items = []
    for file, gold_path, gold_id, outlet, url, fetched_at in PAGES:
        entry = _index_entry(file)
        url = url or entry.get("url")
        page = skazal.extract(file.read_bytes(), url=url)
        page = replace(page, quotes=_gold_quotes(page, _gold(gold_path, gold_id)))
        items.append(
            IngestedPage(
                location=str(file),
                url=url,
                outlet=outlet or (urlsplit(url).hostname if url else entry.get("outlet")),
                content_hash=hashlib.sha256(page.body.encode()).hexdigest(),
                page=page,
                fetched_at=fetched_at,
            )
        )
    return tuple(items)


def edited(item: IngestedPage, body_suffix: str, **changes) -> IngestedPage:
    """The same page with text added to its body (a correction, an update)."""
    article = replace(item.page.article, body=item.page.body + body_suffix)
    page = replace(item.page, article=article)
    return replace(item, page=page, content_hash=hashlib.sha256(article.body.encode()).hexdigest(), **changes)


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a PostgreSQL database of its own, dropped after."""
    if backend == "sqlite":
        yield str(folder / "corpus.db")
        return
    name = f"skazal_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty database on each backend, for tests that change what is stored."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url):
    """An upgraded, empty store on each backend."""
    with open_store(database_url) as opened:
        opened.upgrade()
        yield opened


@pytest.fixture
def filled_store(store):
    """A store holding the real pages, to change."""
    store.save_pages(corpus())
    return store


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_store(request, tmp_path_factory):
    """One store per backend holding the real pages, shared by the tests that only read it."""
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        with open_store(url) as opened:
            opened.upgrade()
            opened.save_pages(corpus())
            yield opened
