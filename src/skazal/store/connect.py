"""Where the corpus lives: a database URL (or a plain path) turned into a SQLAlchemy engine."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from skazal.errors import SkazalError
from skazal.reading.decode import clean_text

DEFAULT_PATH = "skazal.db"
ENVIRONMENT_VARIABLE = "SKAZAL_DB"

T = TypeVar("T")


class StoreError(SkazalError):
    """The corpus database cannot be opened or used as asked."""


def database_url(url: str | None) -> URL:
    """The SQLAlchemy URL for `url`: None → $SKAZAL_DB, else "skazal.db" in the working directory."""
    url = url or os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_PATH
    if "://" not in url:
        return URL.create("sqlite", database=str(Path(url).expanduser().resolve()))
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"not a database URL: {url!r}") from error
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed
    raise StoreError(f"unsupported database {backend!r}: use a sqlite:/// path or a postgresql:// URL")


def create_store_engine(url: URL, read_only: bool = False) -> Engine:
    """An engine for the store at `url`; `read_only` opens it for reading alone, and an SQLite file must
    then exist already."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, read_only)
    # A server restarted, failed over, or ending idle sessions leaves the pool holding closed connections:
    # each is tried before it is handed out, and replaced when it is gone. A connection lost inside a
    # transaction fails that transaction alone (ingest then saves its batch again, page by page), and
    # the loss invalidates every connection pooled before it. A read, or a page saved alone, that loses
    # its connection is run once more (once_more_if_disconnected).
    engine = create_engine(url, pool_pre_ping=True,
                           connect_args={"options": "-c default_transaction_read_only=on"} if read_only else {})
    _store_clean_text(engine)
    return engine


def is_disconnect(error: BaseException) -> bool:
    """Whether `error` is the loss of the connection a statement ran on (a backend ended, a server
    restarted), which SQLAlchemy marks by invalidating that connection; never a statement's own error."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def once_more_if_disconnected(operation: Callable[[], T]) -> T:
    """Run `operation` (one read, or one whole transaction), and run it again from its start, once, on a
    new connection if the one it ran on was lost; a lost transaction was rolled back, so nothing is
    stored twice. Any other error, or a second loss, is raised."""
    try:
        return operation()
    except DBAPIError as error:
        if not is_disconnect(error):
            raise
    return operation()


def _sqlite_engine(url: URL, read_only: bool) -> Engine:
    if read_only:
        path = Path(url.database or "")
        if not url.database or not path.is_file():
            where = url.database or "an in-memory database"
            raise StoreError(f"no corpus at {where}: create it with `skazal db upgrade` or `skazal ingest`")
        url = url.set(database=path.resolve().as_uri(), query={"mode": "ro", "uri": "true"})
    engine = create_engine(url)
    event.listen(engine, "connect", _tune_sqlite_reader if read_only else _tune_sqlite)
    # sqlite3 left alone begins no transaction before a read or DDL: two ingests would both read
    # "not stored" and collide, and a migration cut short would stay half done. A writer begins with
    # the write lock taken (the second writer waits for it), a reader with none.
    event.listen(engine, "begin", _begin_reading if read_only else _begin_writing)
    _store_clean_text(engine)
    return engine


def _tune_sqlite(connection, _record) -> None:
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets the web app read while ingest writes; the timeout rides out a concurrent writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _tune_sqlite_reader(connection, _record) -> None:
    connection.isolation_level = None
    connection.execute("PRAGMA busy_timeout=30000")


def _begin_writing(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_reading(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _store_clean_text(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _clean_parameters, retval=True)


def _clean_parameters(_connection, _cursor, statement, parameters, _context, executemany):
    # The edge of what a backend can store, the same on both: text read from anywhere (a page's JSON-LD,
    # a file name that is not UTF-8) is written without NUL or lone surrogates, never refused.
    if executemany and not isinstance(parameters, dict):
        return statement, [_clean_row(row) for row in parameters]
    return statement, _clean_row(parameters)


def _clean_row(row):
    if isinstance(row, dict):
        return {name: clean_text(value) if isinstance(value, str) else value for name, value in row.items()}
    if isinstance(row, tuple | list):
        return type(row)(clean_text(value) if isinstance(value, str) else value for value in row)
    return row
