"""The query planner's statistics are taken again at the end of an ingest that stored many pages (issue 14:
searches planned for the rows stored now, not for the empty tables of before the bulk load): ANALYZE on
both backends, from the real pages of tests/data/html."""
import shutil

import pytest
from conftest import DATA
from sqlalchemy import text
from store_fixtures import BACKENDS, fresh_database

from skazal.ingest import IngestOptions, ingest
from skazal.store import open_store

PAGES = 4


def analysed_tables(store) -> set[str]:
    """The tables the planner has statistics of."""
    query = {"sqlite": "SELECT DISTINCT tbl FROM sqlite_stat1",
             "postgresql": "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()"}
    with store.engine.connect() as connection:
        if store.backend == "sqlite" and connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first() is None:
            return set()
        return set(connection.execute(text(query[store.backend])).scalars())


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted((DATA / "html").glob("*.html"))[:PAGES]:
        shutil.copy(page, folder)
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("statistics_after", "taken"), [(PAGES, True), (PAGES + 1, False)])
def test_an_ingest_that_stored_many_pages_ends_by_taking_the_planners_statistics(
        backend, statistics_after, taken, pages, tmp_path):
    with fresh_database(backend, tmp_path) as url, open_store(url) as store:
        store.upgrade()
        report = ingest([str(pages)], store, IngestOptions(workers=0, statistics_after=statistics_after))
        assert report.saved == PAGES
        # documents hold a row a page: too few for autovacuum to analyse on its own, so only the run does.
        assert {"documents", "quotes", "search_entries"} <= analysed_tables(store) if taken else \
            "documents" not in analysed_tables(store)
