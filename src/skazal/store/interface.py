"""The corpus store: one interface over SQLite and PostgreSQL."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, delete, or_, select

from skazal.records import Failure, IngestedPage
from skazal.store import migrate
from skazal.store.connect import StoreError, create_store_engine, database_url
from skazal.store.dialects import upsert
from skazal.store.queries import (
    WHOLE_CORPUS,
    CorpusStats,
    Scope,
    SpeakerCount,
    StoredQuote,
    corpus_stats,
    count_speakers,
    find_quotes,
)
from skazal.store.schema import documents, failures
from skazal.store.search import SearchHit, search
from skazal.store.write import save_page


class Store:
    """A corpus of ingested pages, in a SQLite file or a PostgreSQL database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def backend(self) -> str:
        """The backend: sqlite or postgresql."""
        return self.engine.dialect.name

    def upgrade(self) -> None:
        """Create or update the schema (Alembic migrations to head)."""
        migrate.upgrade(self.engine)

    def check_schema(self) -> None:
        """Raise StoreError unless the schema is at the newest migration."""
        if not migrate.is_current(self.engine):
            raise StoreError("the database has no corpus schema, or an old one: run `skazal db upgrade`")

    def save_pages(self, items: Sequence[IngestedPage]) -> list[str]:
        """Save a batch in one transaction; per item "new", "unchanged", "revision" or "duplicate"."""
        with self.engine.begin() as connection:
            outcomes = [save_page(connection, item) for item in items]
            if items:
                locations = [item.location for item in items]
                connection.execute(delete(failures).where(failures.c.location.in_(locations)))
        return outcomes

    def seen(self, location: str, content_hash: str | None = None) -> bool:
        """Whether a page read from `location` (with this content hash, if given) is stored."""
        query = select(documents.c.id).where(or_(documents.c.location == location, documents.c.address == location))
        if content_hash is not None:
            query = query.where(documents.c.content_hash == content_hash)
        with self.engine.connect() as connection:
            return connection.execute(query.limit(1)).first() is not None

    def record_failure(self, failure: Failure) -> None:
        """Quarantine an input that could not be ingested (the latest reason per location)."""
        with self.engine.begin() as connection:
            upsert(connection, failures, {"location": failure.location, "reason": failure.reason, "at": failure.at},
                   key=["location"])

    def failures(self, limit: int | None = None) -> list[Failure]:
        """Quarantined inputs, the most recent first."""
        query = select(failures).order_by(failures.c.at.desc(), failures.c.location).limit(limit)
        with self.engine.connect() as connection:
            return [Failure(location=row.location, reason=row.reason, at=row.at) for row in connection.execute(query)]

    def quotes(self, speaker: str | None = None, scope: Scope = WHOLE_CORPUS) -> list[StoredQuote]:
        """Quotes, the newest first; `speaker` in any form ("Лукашенко А.Г.", "Александра Лукашенко")."""
        with self.engine.connect() as connection:
            return find_quotes(connection, scope, speaker)

    def speakers(self, scope: Scope = WHOLE_CORPUS, by: tuple[str, ...] = ()) -> list[SpeakerCount]:
        """Who is quoted most; `by` may hold "outlet" and one of "day", "month", "year"."""
        with self.engine.connect() as connection:
            return count_speakers(connection, scope, by)

    def search(self, text: str, scope: Scope = WHOLE_CORPUS) -> list[SearchHit]:
        """Quotes and bodies with every word of `text` in any form, the most relevant first."""
        with self.engine.connect() as connection:
            return search(connection, text, scope)

    def stats(self, scope: Scope = WHOLE_CORPUS) -> CorpusStats:
        """Counts of documents, revisions, duplicates, quotes, speakers, entities, outlets, failures."""
        with self.engine.connect() as connection:
            return corpus_stats(connection, scope)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def open_store(url: str | None = None) -> Store:
    """Open the corpus at `url` (a path, sqlite:///path or postgresql://…); None → $SKAZAL_DB or ./skazal.db."""
    return Store(create_store_engine(database_url(url)))
