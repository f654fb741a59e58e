"""The SQL that differs between SQLite and PostgreSQL, side by side.

Everything else in the store is dialect-neutral SQLAlchemy Core. Both full-text indexes are built
from the same `search_entries.lemmas` string (pymorphy3 lemmas joined by spaces), so both backends
find the same hits; only the ranking formula differs (bm25 in FTS5, ts_rank in PostgreSQL).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, FromClause, Select, Table, column, func, literal_column, table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import TableClause

from skazal.store.schema import search_entries

POSTGRES_FIRST_WINDOW = 50_000

FULL_TEXT_CREATE = {
    "sqlite": (
        # External-content FTS5 table: the text lives once, in search_entries; triggers keep the
        # index in step with it.
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "lemmas, content='search_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        "CREATE TRIGGER search_entries_added AFTER INSERT ON search_entries BEGIN "
        "INSERT INTO search_index(rowid, lemmas) VALUES (new.id, new.lemmas); END",
        "CREATE TRIGGER search_entries_removed AFTER DELETE ON search_entries BEGIN "
        "INSERT INTO search_index(search_index, rowid, lemmas) VALUES ('delete', old.id, old.lemmas); END",
    ),
    "postgresql": (
        "ALTER TABLE search_entries ADD COLUMN lemma_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', lemmas)) STORED",
        "CREATE INDEX ix_search_entries_lemma_vector ON search_entries USING gin (lemma_vector)",
    ),
}

FULL_TEXT_DROP = {
    "sqlite": (
        "DROP TRIGGER search_entries_removed",
        "DROP TRIGGER search_entries_added",
        "DROP TABLE search_index",
    ),
    "postgresql": (
        "DROP INDEX ix_search_entries_lemma_vector",
        "ALTER TABLE search_entries DROP COLUMN lemma_vector",
    ),
}


def _insert(connection: Connection, target: Table):
    return (sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert)(target)


def insert_missing(connection: Connection, target: Table, rows: Sequence[dict]) -> None:
    """Insert `rows`, silently skipping those that clash with a unique key already stored."""
    if rows:
        connection.execute(_insert(connection, target).on_conflict_do_nothing(), list(rows))


def upsert(connection: Connection, target: Table, row: dict, key: Sequence[str]) -> None:
    """Insert `row`, or overwrite the stored row with the same `key` columns."""
    statement = _insert(connection, target).values(row)
    changes = {name: statement.excluded[name] for name in row if name not in key}
    connection.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changes))


class IndexedTable(TableClause):
    """A table SQLite is to read through one named index (INDEXED BY): where its planner would take the
    row itself, found by its rowid, although an index holds every column the query needs."""

    inherit_cache = False  # the index is no part of a table clause's cache key

    def __init__(self, source: Table, index: str) -> None:
        super().__init__(source.name, *(column(name) for name in source.columns.keys()))
        self.index = index


@compiles(IndexedTable, "sqlite")
def _indexed_by(element: IndexedTable, compiler, asfrom: bool = False, **options) -> str:
    name = compiler.preparer.quote(element.name)
    return f"{name} INDEXED BY {element.index}" if asfrom else name


# A search narrowed to an outlet tests each match's outlet. On SQLite that column stands after the
# lemmas in the row, so each test of a body's entry reads its overflow pages; the (outlet_id, id) index
# answers it alone: p95 213 -> 27 ms with cold caches at 1,000,000 quotes (bench/search_bench.py).
SQLITE_ENTRIES_BY_OUTLET = "ix_search_entries_outlet_id"


@dataclass(frozen=True)
class FullText:
    """A full-text query in one backend's terms: where to look, which entries match, how well."""

    source: FromClause  # the entries, joined to the backend's index where it has one
    entries: FromClause  # search_entries, or the clause standing for it in `source`
    entry_id: ColumnElement  # the entry id as the index orders it
    condition: ColumnElement
    rank: ColumnElement  # lower is better
    # How many of the newest entries to look through first, widening when too few match: PostgreSQL's
    # index hands out matches in no order, so a common word would cost a pass over all its matches.
    # FTS5 hands them out newest first and needs no window.
    first_window: int | None
    # FTS5 scores a match as it reads it (scoring the chosen ones afterwards would read every match
    # again); PostgreSQL scores from the stored vector, which is cheaper done for the chosen ones only.
    rank_apart: bool
    # Said before looking through the windows. PostgreSQL's planner takes walking the primary
    # key back through a window, testing each row's vector, for cheaper than intersecting the GIN
    # index with that window; at a million entries it is three to five times slower.
    settings: tuple[str, ...] = ()
    # Said instead for words common enough (search.COMMON_SHARE) to be found fastest walking the primary
    # key back from the newest entry: 'россия', in one entry of ten, 7 ms against 50 ms at a million entries.
    walk_settings: tuple[str, ...] = ()
    walk_undone: tuple[str, ...] = ()  # said when the walk found too few and the windows take over


def full_text(dialect: str, lemmas: Sequence[str], by_outlet: bool = False) -> FullText:
    """Entries holding every one of `lemmas`, in the backend's own full-text index; `by_outlet` when
    they will be narrowed to an outlet."""
    if dialect == "sqlite":
        index = table("search_index", column("rowid"), column("rank"))
        query = " ".join('"' + lemma.replace('"', '""') + '"' for lemma in lemmas)
        entries = IndexedTable(search_entries, SQLITE_ENTRIES_BY_OUTLET) if by_outlet else search_entries
        return FullText(
            source=index.join(entries, entries.c.id == index.c.rowid),
            entries=entries,
            entry_id=index.c.rowid,
            condition=text("search_index MATCH :query").bindparams(query=query),
            rank=index.c.rank,
            first_window=None,
            rank_apart=False,
        )
    query = func.plainto_tsquery(literal_column("'simple'"), " ".join(lemmas))
    vector = literal_column("search_entries.lemma_vector")
    return FullText(
        source=search_entries,
        entries=search_entries,
        entry_id=search_entries.c.id,
        condition=vector.bool_op("@@")(query),
        rank=-func.ts_rank(vector, query),
        first_window=POSTGRES_FIRST_WINDOW,
        rank_apart=True,
        settings=("SET LOCAL enable_indexscan = off",),
        walk_settings=("SET LOCAL enable_bitmapscan = off",),
        walk_undone=("SET LOCAL enable_bitmapscan = on",),
    )


def estimated_share(connection: Connection, query: Select, entries: int) -> float:
    """The share of `entries` the PostgreSQL planner expects `query` to match (from ANALYZE's statistics
    of the words, most_common_elems), its order and limit left aside."""
    if entries <= 0:
        return 0.0
    unbounded = query.order_by(None).limit(None)
    compiled = unbounded.compile(connection, compile_kwargs={"render_postcompile": True})
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar()
    return plan[0]["Plan"]["Plan Rows"] / entries


# Quotes are listed "day DESC NULLS LAST, id DESC" (an undated quote last). SQLite sorts NULL lowest,
# so its plain (…, day) indexes read backwards give that order; PostgreSQL sorts NULL highest and
# would sort every matching quote instead, so it gets indexes in that very order.
NEWEST_FIRST_CREATE = {
    "sqlite": (),
    "postgresql": (
        "CREATE INDEX ix_quotes_newest ON quotes (day DESC NULLS LAST, id DESC)",
        "CREATE INDEX ix_quotes_speaker_newest ON quotes (speaker_id, day DESC NULLS LAST, id DESC)",
        "CREATE INDEX ix_quotes_outlet_newest ON quotes (outlet_id, day DESC NULLS LAST, id DESC)",
    ),
}

NEWEST_FIRST_DROP = {
    "sqlite": (),
    "postgresql": (
        "DROP INDEX ix_quotes_outlet_newest",
        "DROP INDEX ix_quotes_speaker_newest",
        "DROP INDEX ix_quotes_newest",
    ),
}


def facet_key(dialect: str, column: ColumnElement, filtered: bool) -> ColumnElement:
    """What to group a facet's counts by, for an integer column with an index of its own.

    Over filtered quotes, SQLite walks the column's index to group without sorting, then reads the row of
    every entry to test a filter the index does not hold (kind="direct": ten times slower than reading the
    table and sorting); "+ 0" keeps the index for the filter alone. PostgreSQL's planner weighs both itself.
    """
    return column + 0 if dialect == "sqlite" and filtered else column


# The relations a search or a speaker's quotes read first, for PostgreSQL's pg_prewarm to fetch at start.
POSTGRES_PREWARMED = ("ix_search_entries_lemma_vector", "search_entries_pkey", "ix_search_entries_outlet_id",
                      "search_entries", "ix_quotes_speaker_newest", "ix_entity_terms_term", "entity_terms",
                      "entities")


def warm_up(connection: Connection) -> list[str]:
    """Ask the operating system (and PostgreSQL) to read the store's index pages into memory now, in the
    background, so that the first queries after a start do not wait for the disk; what was asked for."""
    if connection.dialect.name == "sqlite":
        return _sqlite_warm_up(connection)
    analysed = _analyse_stale_tables(connection)
    installed = "SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'"
    if connection.exec_driver_sql(installed).scalar() is None:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION pg_prewarm")
        except DBAPIError:
            connection.rollback()
            return analysed  # no pg_prewarm, or a read-only server may not install it: the first queries read from disk
    asked = []
    for relation in POSTGRES_PREWARMED:
        if connection.exec_driver_sql("SELECT to_regclass(%(name)s)", {"name": relation}).scalar() is not None:
            connection.exec_driver_sql("SELECT pg_prewarm(%(name)s, 'prefetch')", {"name": relation})
            asked.append(relation)
    connection.commit()
    return analysed + asked


# A table changed this much since its statistics were taken is analysed at start: after a bulk load on a
# server whose autovacuum is off or behind, the planner would take a rare word for a common one.
STALE_SHARE = 0.2


def _analyse_stale_tables(connection: Connection) -> list[str]:
    stale = connection.exec_driver_sql(
        "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
        "AND n_mod_since_analyze > %(share)s * greatest(n_live_tup, 1000) ORDER BY relname", {"share": STALE_SHARE}
    ).scalars().all()
    for name in stale:
        connection.exec_driver_sql(f'ANALYZE "{name}"')  # allowed in a read-only transaction
    connection.commit()
    return [f"ANALYZE {name}" for name in stale]


# SQLite's ANALYZE reads this many rows of each index at most: statistics close enough for the planner, in
# a time that does not grow with the store (a full ANALYZE reads every index whole).
SQLITE_ANALYSIS_ROWS = 10_000

REFRESH_STATISTICS = {
    "sqlite": (f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_ROWS}", "ANALYZE", "PRAGMA analysis_limit = 0",
               "PRAGMA optimize"),
    "postgresql": ("ANALYZE",),  # a sample of each table, whatever its size
}


def refresh_statistics(connection: Connection) -> list[str]:
    """Take the planner's statistics of every table again, as after a bulk load (SQLite keeps none until
    asked; PostgreSQL's autovacuum may be off or behind); the statements run."""
    statements = REFRESH_STATISTICS[connection.dialect.name]
    for statement in statements:
        connection.exec_driver_sql(statement)
    return list(statements)


def _sqlite_warm_up(connection: Connection) -> list[str]:
    # The database file read ahead by the kernel (posix_fadvise WILLNEED), asynchronously: it returns at once.
    files = [row[2] for row in connection.exec_driver_sql("PRAGMA database_list") if row[1] == "main" and row[2]]
    for path in files:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(descriptor)
    return files
