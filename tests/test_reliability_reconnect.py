"""Reconnecting (issue 10): PostgreSQL ends the store's backend (pg_terminate_backend, as a restarted or
failed-over server does) between ingest's batches, at every kind of statement of a batch write, at its
COMMIT, and while the web app serves; the store reconnects, so every page is stored once, nothing is
quarantined for it, and every request after the backend is gone is answered.

The full ingest, its pooled connections' backends ended while it writes and going on to its end, is in
tests/test_reliability_kill.py; scripts/kill-ingest repeats it, also ending backends in use. A lone read in
flight, and a page saved alone after its batch failed, are run once more on a new connection when their
backend ends; a statement that fails on its own is never run twice."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi.testclient import TestClient
from kill_harness import Comparison, compare, contents, terminate_backends
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from store_fixtures import corpus, fresh_database

from skazal.cli.serve_command import served_store
from skazal.ingest.inputs import failure
from skazal.ingest.run import save_batch
from skazal.store import open_store
from skazal.store.write import address
from skazal.web import create_app

TABLE_AFTER = ("INTO", "FROM", "UPDATE")
WHOLE_AND_ONCE = Comparison(lost=0, duplicated=0, partial=0, integrity="ok", same_hash=True)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The rows the real pages make when nothing goes wrong (on SQLite; PostgreSQL's must be the same)."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("clean")) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages(corpus())
        return contents(url)


@pytest.fixture(scope="module")
def statements_of_a_batch(tmp_path_factory) -> list[str]:
    """The statements the real pages' batch runs on PostgreSQL, in order."""
    with postgresql_store(tmp_path_factory.mktemp("count")) as (_url, store):
        seen = []
        event.listen(store.engine, "before_cursor_execute", lambda *arguments: seen.append(arguments[2]))
        store.save_pages(corpus())
    return seen


@contextmanager
def postgresql_store(folder) -> Iterator[tuple[str, object]]:
    with fresh_database("postgresql", folder) as url, open_store(url) as store:
        store.upgrade()
        yield url, store


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def kinds_of_statement(statements: list[str]) -> dict[str, int]:
    """The first statement of each kind (its verb and table) in the batch, by its place: one
    termination at each."""
    firsts: dict[str, int] = {}
    for number, statement in enumerate(statements, start=1):
        words = statement.split()
        table = next((word for before, word in zip(words, words[1:]) if before.upper() in TABLE_AFTER), "")
        firsts.setdefault(f"{words[0].upper()} {table}", number)
    return firsts


def end_own_backend_before(engine, number: int | None) -> list[int]:
    """Have the store's backend ended by pg_terminate_backend just before its `number`th statement runs
    (None: before its COMMIT), once; the list fills with the pid ended."""
    ended: list[int] = []
    counted = [0]

    def before_statement(_connection, cursor, *_arguments):
        counted[0] += 1
        if counted[0] == number and not ended:
            ended.append(_terminate(cursor.connection.info.backend_pid))

    def before_commit(connection):
        if not ended:
            ended.append(_terminate(connection.connection.dbapi_connection.info.backend_pid))

    if number is None:
        event.listen(engine, "commit", before_commit)
    else:
        event.listen(engine, "before_cursor_execute", before_statement)
    return ended


def _terminate(pid: int) -> int:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    return pid


def test_a_backend_ended_between_batches_is_replaced_and_the_next_batch_is_stored(clean, tmp_path):
    pages = corpus()
    with postgresql_store(tmp_path) as (url, store):
        assert save_batch(store, pages[:2]) == (["new", "new"], [])
        assert terminate_backends(database_of(url)) >= 1  # the store's pooled connection, idle
        assert store.seen(pages[0].location)
        assert save_batch(store, pages[2:]) == (["new"] * (len(pages) - 2), [])
        assert compare(contents(url), clean) == WHOLE_AND_ONCE


@pytest.mark.parametrize("kind", ["BEGIN", "INSERT documents", "INSERT entities", "INSERT search_entries", "last",
                                  "COMMIT"])
def test_a_backend_ended_inside_a_batch_write_loses_no_page_and_stores_none_twice(
        kind, clean, statements_of_a_batch, tmp_path):
    firsts = kinds_of_statement(statements_of_a_batch)
    # "BEGIN" is the batch's first statement: psycopg sends BEGIN itself, with it.
    places = firsts | {"BEGIN": 1, "last": len(statements_of_a_batch), "COMMIT": None}
    number = places[kind]
    with postgresql_store(tmp_path) as (url, store):
        ended = end_own_backend_before(store.engine, number)
        outcomes, failures = save_batch(store, corpus())
        assert ended, f"the backend was not ended at {kind}"
        assert (outcomes, failures) == (["new"] * len(corpus()), [])
        assert compare(contents(url), clean) == WHOLE_AND_ONCE


def test_the_web_app_answers_after_its_backends_are_ended(clean, tmp_path):
    with postgresql_store(tmp_path) as (url, writer):
        writer.save_pages(corpus())
        reader = served_store(url)
        with TestClient(create_app(reader)) as client:
            addresses = ["/", "/quotes", "/search?q=айтишник", "/speakers", "/articles", "/api/stats"]
            assert [client.get(at).status_code for at in addresses] == [200] * len(addresses)
            for _ in range(3):  # ended again and again, as a server restarting
                assert terminate_backends(database_of(url)) >= 1
                assert [client.get(at).status_code for at in addresses] == [200] * len(addresses)
        reader.close()


def test_a_backend_ended_under_a_lone_read_is_replaced_and_the_read_answered(tmp_path):
    """The reads ingest asks for every page (is it stored? what would saving it be?) and the failures
    listed: each answered on a new connection when its backend ends under it, not a stopped ingest."""
    page = corpus()[0]
    with postgresql_store(tmp_path) as (_url, store):
        store.save_pages([page])
        reads = {"seen": lambda: store.seen(page.location),
                 "outcome_of": lambda: store.outcome_of(address(page), page.content_hash),
                 "failures": store.failures}
        answers = {}
        for name, read in reads.items():
            ended = end_own_backend_before(store.engine, 1)
            answers[name] = read()
            assert ended, f"the backend was not ended under {name}"
        assert answers == {"seen": True, "outcome_of": "unchanged", "failures": []}


def test_a_backend_ended_while_a_page_is_quarantined_is_replaced_and_the_failure_written_once(tmp_path):
    with postgresql_store(tmp_path) as (_url, store):
        ended = end_own_backend_before(store.engine, 1)
        store.record_failure(failure("pages/broken.html", "not a page: binary data"))
        assert ended
        assert [(f.location, f.reason) for f in store.failures()] == [("pages/broken.html", "not a page: binary data")]


def test_a_backend_ended_again_while_a_failed_batch_is_saved_page_by_page_loses_no_page(clean, tmp_path):
    with postgresql_store(tmp_path) as (url, store):
        first = end_own_backend_before(store.engine, 2)  # in the batch: it is saved again page by page
        statements = [0]
        event.listen(store.engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1))
        second = []

        def in_the_second_page(_connection, cursor, *_arguments):
            if first and not second and statements[0] > 2 + 60:  # well into the page-by-page saves
                second.append(_terminate(cursor.connection.info.backend_pid))

        event.listen(store.engine, "before_cursor_execute", in_the_second_page)
        outcomes, failures = save_batch(store, corpus())
        assert first and second
        assert (outcomes, failures) == (["new"] * len(corpus()), [])
        assert compare(contents(url), clean) == WHOLE_AND_ONCE


@pytest.mark.parametrize(("statement", "error"), [
    ("SELECT 1 / 0", "DivisionByZero"),
    # An OperationalError too, as a lost connection is, but the connection is still there.
    ("SET LOCAL statement_timeout = 1; SELECT pg_sleep(1)", "QueryCanceled"),
])
def test_a_read_that_fails_on_its_own_is_not_tried_again(statement, error, tmp_path):
    with postgresql_store(tmp_path) as (_url, store):
        tries = []

        def read(connection):
            tries.append(1)
            for part in statement.split("; "):
                connection.execute(text(part))

        with pytest.raises(DBAPIError) as raised:
            store._read(read)
        assert (type(raised.value.orig).__name__, len(tries)) == (error, 1)
        assert store.seen("nowhere") is False  # and the store goes on
