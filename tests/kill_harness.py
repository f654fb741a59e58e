"""Crash safety of `skazal ingest`: kill it with SIGKILL (at a named point, at a random moment, or its
PostgreSQL backend with pg_terminate_backend), resume, and compare the store with a clean run's, row by row.

Used by tests/test_reliability_kill.py (a few kills per `make test`) and scripts/kill-ingest (hundreds).
The named points are read by the ingest code from SKAZAL_KILL_AT (src/skazal/store/kill_points.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import event, inspect, text
from store_fixtures import POSTGRES, fresh_database

from skazal.store import migrate, open_store

SKAZAL = Path(sys.executable).with_name("skazal")
DATA = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2  # pages a transaction: small, so that a few pages make several batches
# Each named point with the time it is reached to die at: the migrations' 20th statement (of 70 in
# December 2026), the others in the run's second batch, so that one batch is committed before.
NAMED_POINTS = ("during-migration:20", "after-begin:2", "mid-batch:2", "after-commit:2")
RUN_SECONDS = 600  # an ingest that has not ended by then hangs


def page_files(folder: Path, count: int) -> list[Path]:
    """Copies of real news pages from tests/data/html (eval/corpus/html-modern), the first `count` by name."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = sorted((DATA / "html").glob("*.html"))[:count]
    assert len(pages) == count, f"tests/data/html holds {len(pages)} pages, not {count}"
    for page in pages:
        (folder / page.name).write_bytes(page.read_bytes())
    return [folder / page.name for page in pages]


@dataclass(frozen=True)
class Run:
    """How one ingest ended: killed (by itself at its point, or by the harness), or with its exit code."""

    killed: bool
    returncode: int
    stderr: str

    @property
    def clean_ending(self) -> bool:
        """Exit 0, or a failure said in lines of its own: no traceback."""
        return not self.killed and self.returncode in (0, 1, 2) and "Traceback" not in self.stderr


def ingest_command(url: str, sources: Sequence[Path]) -> list[str]:
    # One process (no workers): the models load once a run, and pages are saved in their order.
    return [str(SKAZAL), "ingest", "--db", url, "--workers", "0", "--batch-size", str(BATCH_SIZE),
            *map(str, sources)]


def environment(kill_at: str | None = None) -> dict[str, str]:
    values = {key: value for key, value in os.environ.items() if key != "SKAZAL_KILL_AT"}
    values["OPENBLAS_NUM_THREADS"] = "1"
    return values | ({"SKAZAL_KILL_AT": kill_at} if kill_at else {})


def start_ingest(url: str, sources: Sequence[Path], kill_at: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(ingest_command(url, sources), env=environment(kill_at), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def ended(run: subprocess.Popen, kill_after: float | None = None) -> Run:
    """Wait for the ingest to end, killing it (its whole process group) after `kill_after` seconds."""
    try:
        _, stderr = run.communicate(timeout=kill_after if kill_after is not None else RUN_SECONDS)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:  # it ended meanwhile
            pass
        _, stderr = run.communicate()
    return Run(killed=run.returncode == -signal.SIGKILL, returncode=run.returncode, stderr=stderr)


def run_ingest(url: str, sources: Sequence[Path], kill_at: str | None = None) -> Run:
    """One ingest to its end, or to the named point it kills itself at."""
    return ended(start_ingest(url, sources, kill_at))


def kill_at_random(url: str, sources: Sequence[Path], rng: random.Random, span: float) -> Run:
    """SIGKILL the ingest at a moment drawn from (0.2 s, span) after it starts (it may end before)."""
    return ended(start_ingest(url, sources), kill_after=rng.uniform(0.2, span))


def kill_while_writing(url: str, sources: Sequence[Path], rng: random.Random, window: float = 0.6) -> Run:
    """SIGKILL the ingest at a moment drawn from (0, window) after it commits its first batch."""
    run = start_ingest(url, sources)
    if _first_commit(url, run):
        time.sleep(rng.uniform(0, window))
    return ended(run, kill_after=0)


def terminate_backend_while_writing(url: str, sources: Sequence[Path], rng: random.Random,
                                    window: float = 0.6, times: int = 1, idle_only: bool = False) -> tuple[int, Run]:
    """`times` over, each at a moment drawn from (0, window) after the one before (the first after the
    ingest commits its first batch), end its PostgreSQL backends (pg_terminate_backend), as a crashed or
    restarted server would, and let it go on to its end; `idle_only`: only while its connections are idle
    (see `terminate_idle_backends`). Returns the backends ended, and how the run ended."""
    run = start_ingest(url, sources)
    ended_backends, database = 0, url.rsplit("/", 1)[1]
    if _first_commit(url, run):
        for _ in range(times):
            time.sleep(rng.uniform(0, window))
            if run.poll() is not None:
                break
            ended_backends += terminate_idle_backends(run, database) if idle_only else terminate_backends(database)
    return ended_backends, ended(run)


def terminate_backends(database: str) -> int:
    """End every backend connected to the PostgreSQL database (pg_terminate_backend); how many were ended."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        return sum(ended for (ended,) in admin.execute(BACKENDS_ENDED, (list(_backends(admin, database)),)))


BACKENDS_ENDED = "SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid"


def terminate_idle_backends(run: subprocess.Popen, database: str, tries: int = 100) -> int:
    """End the ingest's backends at a moment each one's connection lies in the ingest's pool (idle, its last
    statement the COMMIT or ROLLBACK that returned it): the ingest stopped (SIGSTOP) meanwhile, and let go
    on once they are gone. Its pool then holds only closed connections, as after a server restart or an idle
    session timeout; a connection checked out (pinged with ";", or new) is never ended under it. How many
    were ended (0 if no such moment came)."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for _ in range(tries):
            os.killpg(run.pid, signal.SIGSTOP)
            try:
                time.sleep(0.05)  # what the server was doing for it when it stopped is done
                backends = _backends(admin, database)
                if backends and set(backends.values()) <= POOLED:
                    ended = sum(ended for (ended,) in admin.execute(BACKENDS_ENDED, (list(backends),)))
                    while _backends(admin, database).keys() & backends.keys():
                        time.sleep(0.01)
                    return ended
            finally:
                os.killpg(run.pid, signal.SIGCONT)
            time.sleep(0.02)
    return 0


POOLED = {("idle", "COMMIT"), ("idle", "ROLLBACK")}  # (state, last statement) of a connection back in its pool


def _backends(admin: psycopg.Connection, database: str) -> dict[int, tuple[str, str]]:
    """The backends connected to the database, but the admin's own, with their state and last statement."""
    rows = admin.execute("SELECT pid, state, query FROM pg_stat_activity WHERE datname = %s"
                         " AND pid <> pg_backend_pid()", (database,))
    return {pid: (state, query) for pid, state, query in rows}


def _first_commit(url: str, run: subprocess.Popen) -> bool:
    """Wait until the store holds more documents than when the run started; False if it ended first."""
    before = stored_documents(url)
    deadline = time.monotonic() + RUN_SECONDS
    while run.poll() is None and time.monotonic() < deadline:
        if stored_documents(url) > before:
            return True
        time.sleep(0.02)
    return False


def stored_documents(url: str) -> int:
    """Documents committed so far (0 before the schema exists), read without the store's engine."""
    try:
        if "://" not in url:
            with closing(sqlite3.connect(f"file:{url}?mode=ro", uri=True)) as connection:
                return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except (sqlite3.Error, psycopg.Error):
        return 0


def has_schema(url: str) -> bool:
    """Whether the database's schema is at the newest migration."""
    with open_store(url) as store:
        return migrate.is_current(store.engine)


def migration_statements(backend: str) -> int:
    """How many statements the migrations run on a new database of the backend: where during-migration
    can be reached."""
    counted = []
    with tempfile.TemporaryDirectory() as folder, fresh_database(backend, Path(folder)) as url, \
            open_store(url) as store:
        event.listen(store.engine, "after_cursor_execute", lambda *_arguments: counted.append(1))
        migrate.upgrade(store.engine)
    return len(counted)


# Every stored row, with ids replaced by what they stand for (a document by its address, an entity by its
# name and type), so that two stores can be compared whatever order their rows were written in. The rows
# of a document name the entities as the page names them; which person a name belongs to (it may change
# as later pages come in) is in `entities`, `quote_people` and `mention_people`.
ROWS = {
    "documents": """
        SELECT d.address, d.location, d.url, d.content_hash, d.revision, d.title, d.published, d.day,
               d.author, d.rubric, d.fetched_at, o.name, original.address
        FROM documents d LEFT JOIN outlets o ON o.id = d.outlet_id
        LEFT JOIN documents original ON original.id = d.duplicate_of""",
    "revisions": """
        SELECT d.address, r.number, r.content_hash, r.title, r.published, r.body, r.fetched_at
        FROM revisions r JOIN documents d ON d.id = r.document_id""",
    "quotes": """
        SELECT d.address, q.kind, q.text, q.start, q."end", named.name, named.type,
               q.speaker_role, q.cue_lemma, q.cue_form, q.cue_start, q.cue_end, q.anonymous_description,
               ROUND(CAST(q.confidence AS NUMERIC), 6), q.nested, o.name, q.day
        FROM quotes q JOIN documents d ON d.id = q.document_id
        LEFT JOIN entities named ON named.id = q.speaker_name_id
        LEFT JOIN outlets o ON o.id = q.outlet_id""",
    "mentions": """
        SELECT d.address, named.name, named.type, m.start, m."end", m.text, m.part
        FROM mentions m JOIN documents d ON d.id = m.document_id JOIN entities named ON named.id = m.name_id""",
    "sources": """
        SELECT d.address, s.name, s.phrase, s.start, s."end"
        FROM sources s JOIN documents d ON d.id = s.document_id""",
    "search_entries": """
        SELECT d.address, q.start, q."end", q.kind, e.lemmas, o.name, e.day
        FROM search_entries e JOIN documents d ON d.id = e.document_id
        LEFT JOIN quotes q ON q.id = e.quote_id LEFT JOIN outlets o ON o.id = e.outlet_id""",
    "entities": """
        SELECT e.name, e.type, person.name, person.type, e.surname, e.documents
        FROM entities e LEFT JOIN entities person ON person.id = e.person_id""",
    "quote_people": """
        SELECT d.address, q.start, q."end", person.name, person.type
        FROM quotes q JOIN documents d ON d.id = q.document_id JOIN entities person ON person.id = q.speaker_id""",
    "mention_people": """
        SELECT d.address, m.start, m."end", person.name, person.type
        FROM mentions m JOIN documents d ON d.id = m.document_id JOIN entities person ON person.id = m.entity_id""",
    "entity_aliases": "SELECT e.name, e.type, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id",
    "entity_terms": "SELECT e.name, e.type, t.term FROM entity_terms t JOIN entities e ON e.id = t.entity_id",
    "outlets": "SELECT name FROM outlets",
    "failures": "SELECT location, reason FROM failures",
}
PER_DOCUMENT = ("documents", "revisions", "quotes", "mentions", "sources", "search_entries")
# Each entity's tally of documents must be the number of stored documents naming it (as an entity or a
# speaker): a batch counted twice, or counted and not stored, shows here even before the run is over.
TALLIES_OFF = """
    SELECT e.name FROM entities e
    WHERE e.documents <> (SELECT count(*) FROM (
        SELECT m.document_id FROM mentions m WHERE m.name_id = e.id
        UNION SELECT q.document_id FROM quotes q WHERE q.speaker_name_id = e.id) AS naming)"""


@dataclass(frozen=True)
class Contents:
    rows: dict[str, Counter]  # table → Counter of row tuples (as JSON)
    integrity: str  # "ok", or what the checks found

    @property
    def digest(self) -> str:
        """The content hash of the store: of every row of every table, in no particular order."""
        content = {table: sorted(rows.elements()) for table, rows in self.rows.items()}
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()

    def documents(self) -> dict[str, str]:
        """Each document's address and a hash of every row that belongs to it."""
        parts: dict[str, list[str]] = {}
        for table in PER_DOCUMENT:
            for row in self.rows[table].elements():
                parts.setdefault(json.loads(row)[0], []).append(f"{table}:{row}")
        return {at: hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest() for at, rows in parts.items()}


def contents(url: str) -> Contents:
    """Every row of the store at `url`, and the integrity checks; no rows if no migration has committed."""
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if "alembic_version" not in tables:
                schema = "ok" if not tables else f"tables without a schema version: {sorted(tables)}"
                return Contents(rows={table: Counter() for table in ROWS}, integrity=schema)
            rows = {table: Counter(json.dumps([_plain(value) for value in row], ensure_ascii=False, default=str)
                                   for row in connection.execute(text(query)))
                    for table, query in ROWS.items()}
            integrity = _integrity(connection, store.backend)
    finally:
        store.close()
    return Contents(rows=rows, integrity=integrity)


def _plain(value):
    # ROUND gives Decimal on PostgreSQL and float on SQLite; booleans are 0/1 on SQLite.
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "as_tuple") or isinstance(value, float):
        return f"{float(value):.6f}"
    return value


def _integrity(connection, backend: str) -> str:
    tallies_off = list(connection.execute(text(TALLIES_OFF)).scalars())
    if tallies_off:
        return f"document tallies off for {len(tallies_off)} entities, {tallies_off[:3]}"
    if backend == "sqlite":
        found = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        orphans = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
        return "ok" if found == ["ok"] and not orphans else f"integrity_check {found}, foreign keys {orphans[:3]}"
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    indexes = connection.exec_driver_sql(
        "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
        "WHERE n.nspname = 'public' AND a.amname = 'btree'").scalars().all()
    for oid in indexes:  # raises on a corrupt B-tree, or one that misses a heap tuple
        connection.exec_driver_sql(f"SELECT bt_index_check({oid}, true)")
    connection.commit()
    return "ok" if indexes else "no indexes to check"


@dataclass(frozen=True)
class Comparison:
    lost: int  # documents of the clean run missing (counted once the run is over)
    duplicated: int  # rows beyond the clean run's
    partial: int  # documents stored with rows of theirs missing or different
    integrity: str
    same_hash: bool  # the content hash equals the clean run's (once the run is over)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.partial) and self.integrity == "ok" and self.same_hash


def compare(resumed: Contents, clean: Contents, finished: bool = True) -> Comparison:
    """The store against a clean run's: whole when `finished`; else, mid-way, every document it holds
    whole and once (documents yet to come, and the tallies and groupings they change, are not counted)."""
    ours, theirs = resumed.documents(), clean.documents()
    tables = ROWS if finished else PER_DOCUMENT
    return Comparison(
        lost=len(theirs.keys() - ours.keys()) if finished else 0,
        duplicated=sum(sum((resumed.rows[table] - clean.rows[table]).values()) for table in tables),
        partial=sum(1 for at in ours.keys() & theirs.keys() if ours[at] != theirs[at]),
        integrity=resumed.integrity,
        same_hash=resumed.digest == clean.digest or not finished,
    )


def differences(resumed: Contents, clean: Contents, limit: int = 6) -> list[str]:
    """The first rows the store has beyond the clean run's (+) and the clean run's it lacks (-)."""
    found = []
    for table in ROWS:
        found += [f"+ {table} {row}" for row in resumed.rows[table] - clean.rows[table]]
        found += [f"- {table} {row}" for row in clean.rows[table] - resumed.rows[table]]
    return [line if len(line) < 300 else f"{line[:300]}…" for line in found[:limit]]
