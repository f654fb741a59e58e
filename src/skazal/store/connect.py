"""Where the corpus lives: a database URL (or a plain path) turned into a SQLAlchemy engine."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from skazal.errors import SkazalError

DEFAULT_PATH = "skazal.db"
ENVIRONMENT_VARIABLE = "SKAZAL_DB"


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


def create_store_engine(url: URL) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(connection, _record) -> None:
    cursor = connection.cursor()
    # WAL lets the web app read while ingest writes; the timeout rides out a concurrent writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
