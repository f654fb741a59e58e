"""The extractor's quotes, entities and sources for each article, cached in a JSON Lines file.

Extraction runs natasha over every article (about ten articles a second a core); linking is
cheap. The cache is keyed by URL and a hash of the text, so a re-run reads it back and a changed
article is analysed again. Lines are appended as articles finish: an interrupted run resumes. An
article the extractor fails on is linked with no quotes, named on standard error, and not cached
(a mended extractor reads it next time): one page does not stop a batch of thousands.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from skazal.ingest.records import ArticleRecord
from skazal.linking.records import AnalysedArticle, SpokenWords

CHUNK = 16


def cache_key(record: ArticleRecord) -> str:
    digest = hashlib.sha256(record.page_text.encode("utf-8")).hexdigest()[:20]
    return f"{record.url}#{digest}"


def analyse(record: ArticleRecord) -> AnalysedArticle:
    """Extract one article's quotes (speaker as its canonical name), entities and sources."""
    from skazal.pipeline import extract

    page = extract(record.page_text, url=record.url or None)
    quotes = tuple(
        SpokenWords(q.kind, q.text, q.speaker.name if q.speaker else None, q.start, q.end) for q in page.quotes
    )
    entities = tuple(entity.name for entity in page.entities)
    return AnalysedArticle(record, quotes, entities, tuple(source.name for source in page.sources))


def analysed_articles(
    records: Iterable[ArticleRecord], cache: Path | None = None, workers: int = 1
) -> list[AnalysedArticle]:
    """Every record analysed, in input order: from the cache where it holds the record, else extracted."""
    records = list(records)
    known = _read_cache(cache) if cache else {}
    missing = [record for record in records if cache_key(record) not in known]
    if missing:
        with open(cache, "a", encoding="utf-8") if cache else _NoCache() as sink:
            for record, found in zip(missing, _extracted(missing, workers)):
                if isinstance(found, str):
                    where = record.url or "an article"
                    print(f"skazal: {where}: the extractor failed ({found}): linked with no quotes", file=sys.stderr)
                    known[cache_key(record)] = ((), (), ())
                    continue
                known[cache_key(record)] = found
                sink.write(json.dumps(_cache_line(record, found), ensure_ascii=False) + "\n")
    return [
        AnalysedArticle(record, *known[cache_key(record)]) for record in records
    ]


Found = tuple[tuple[SpokenWords, ...], tuple[str, ...], tuple[str, ...]]


def _extracted(records: list[ArticleRecord], workers: int) -> Iterator[Found | str]:
    if workers <= 1:
        for record in records:
            yield _found(record)
        return
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(_found, records, chunksize=CHUNK)


def _found(record: ArticleRecord) -> Found | str:
    """What the extractor found in the article, or why it failed."""
    try:
        article = analyse(record)
    except Exception as error:  # noqa: BLE001 - any fault of the extractor on one page
        return f"{type(error).__name__}: {error}"
    return article.quotes, article.entities, article.sources


def _cache_line(record: ArticleRecord, found: Found) -> dict:
    quotes, entities, sources = found
    return {
        "key": cache_key(record),
        "quotes": [[q.kind, q.text, q.speaker, q.start, q.end] for q in quotes],
        "entities": list(entities),
        "sources": list(sources),
    }


def _read_cache(path: Path) -> dict[str, Found]:
    if not path.exists():
        return {}
    known: dict[str, Found] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:  # a line cut short by an interrupted run
                continue
            quotes = tuple(SpokenWords(*quote) for quote in row["quotes"])
            known[row["key"]] = (quotes, tuple(row["entities"]), tuple(row["sources"]))
    return known


class _NoCache:
    def __enter__(self) -> _NoCache:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, line: str) -> None:
        return None
