"""Issue 14: an unchanged page is read but not analysed. A page arriving again (the same URL in a new
archive, the same text in another folder) is read, its body hashed and the store asked; the models
run only when saving needs them. What is stored and counted is what analysing every page stores.

The pages are real pages of tests/data/html; the archives are written here from them. The reference
for "what analysing every page stores" is the same runs with the shortcut turned off.
"""
from __future__ import annotations

import hashlib
import io
import shutil

import pytest
from conftest import DATA
from fastwarc.warc import WarcRecord, WarcRecordType
from sqlalchemy import select
from store_fixtures import BACKENDS, fresh_database

import skazal.ingest.workers as ingest_workers
from skazal.ingest import FetchOptions, IngestOptions, ingest
from skazal.ingest.inputs import RawPage
from skazal.ingest.run import _Run
from skazal.ingest.workers import read_raw, unanalysed
from skazal.store import open_store
from skazal.store.schema import metadata
from skazal.store.write import TextNoLongerStored

PAGES = DATA / "html"
FIRST = ("027-kamtime.html", "013-medportal.html", "014-meddaily.html", "020-bykvu.html")
NEWCOMER = "interview-ria-polonsky.html"
# Written at each save, not read from the page: the two stores differ there by the clock alone.
CLOCK_COLUMNS = {"saved_at", "at"}


def url(name: str) -> str:
    return f"https://news.example.ru/{name}"


def warc(path, records: list[tuple[str, bytes]]) -> str:
    with path.open("wb") as out:
        for address, html in records:
            record = WarcRecord()
            record.init_headers(WarcRecordType.response)
            record.headers["WARC-Target-URI"] = address
            record.headers["WARC-Date"] = "2026-11-30T10:00:00Z"
            record.headers["Content-Type"] = "application/http; msgtype=response"
            record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html)
            buffer = io.BytesIO()
            record.write(buffer, checksum_data=True)
            out.write(buffer.getvalue())
    return str(path)


def html(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture
def runs(tmp_path) -> list[list[str]]:
    """Three runs: four pages from an archive; a second archive with the same four URLs and texts, one
    of them also carrying another page's text first (a revision, then the old text again: a revision
    too) and a page never seen; a folder holding copies of three of the first pages (duplicates)."""
    first = warc(tmp_path / "first.warc", [(url(name), html(name)) for name in FIRST])
    changed = FIRST[0]
    second = warc(tmp_path / "second.warc", [
        (url(changed), html(FIRST[1])),
        *[(url(name), html(name)) for name in FIRST],
        (url(NEWCOMER), html(NEWCOMER)),
    ])
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for name in FIRST[1:]:
        shutil.copy(PAGES / name, folder / name)
    return [[first], [second], [str(folder)]]


def ingest_all(database: str, runs: list[list[str]]) -> list[dict[str, int]]:
    options = IngestOptions(workers=0, batch_size=2, fetch=FetchOptions())
    with open_store(database) as store:
        store.upgrade()
        return [ingest(sources, store, options).outcomes for sources in runs]


def contents(database: str) -> str:
    """A hash of every row of every corpus table, in id order, the clock's columns left out."""
    digest = hashlib.sha256()
    with open_store(database) as store, store.engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [column for column in table.columns if column.name not in CLOCK_COLUMNS]
            for row in connection.execute(select(*columns).order_by(*table.primary_key.columns)):
                digest.update(repr((table.name, tuple(row))).encode())
    return digest.hexdigest()


class Analyses:
    """Counts the calls of the pipeline's analysis (natasha's models, entities, quotes) by ingest."""

    def __init__(self, monkeypatch) -> None:
        self.calls = 0
        analyse = ingest_workers.analyse_article

        def counted(*args, **kwargs):
            self.calls += 1
            return analyse(*args, **kwargs)

        monkeypatch.setattr(ingest_workers, "analyse_article", counted)


@pytest.mark.parametrize("backend", BACKENDS)
def test_pages_arriving_again_are_stored_as_before_without_running_the_models(backend, runs, tmp_path,
                                                                               monkeypatch):
    analyses = Analyses(monkeypatch)
    for folder in ("skipping", "reference"):
        (tmp_path / folder).mkdir()
    with fresh_database(backend, tmp_path / "skipping") as skipping, \
            fresh_database(backend, tmp_path / "reference") as reference:
        calls = []
        outcomes = []
        for sources in runs:
            before = analyses.calls
            outcomes += ingest_all(skipping, [sources])
            calls.append(analyses.calls - before)

        with monkeypatch.context() as every_page:
            every_page.setattr(_Run, "needs_analysis", lambda run, read: True)
            before = analyses.calls
            expected = ingest_all(reference, runs)
            analysed_before = analyses.calls - before

        assert outcomes == expected
        assert outcomes == [
            {"new": 4},
            {"revision": 2, "unchanged": 3, "new": 1},
            {"duplicate": 3},
        ]
        assert contents(skipping) == contents(reference)
        # The first run is all new; then only the revisions and the new page; the copies not at all.
        assert calls == [4, 3, 0]
        assert analysed_before == 4 + 6 + 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_page_read_but_not_analysed_is_not_stored_as_new(backend, tmp_path):
    """Should the store change between asking and saving, a page without its analysis is refused,
    not stored without its quotes."""
    read = read_raw(RawPage(location=str(PAGES / NEWCOMER), url=url(NEWCOMER), content=html(NEWCOMER)))
    with fresh_database(backend, tmp_path) as database, open_store(database) as store:
        store.upgrade()
        assert store.outcome_of(url(NEWCOMER), read.content_hash) == "new"
        with pytest.raises(TextNoLongerStored):
            store.save_pages([unanalysed(read)])
        assert store.stats().documents == 0
