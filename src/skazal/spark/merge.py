"""Saving a batch of ingested pages set-wise: staging tables filled in bulk (COPY on PostgreSQL,
executemany on SQLite), then one `INSERT … SELECT … ON CONFLICT DO NOTHING` per corpus table.

It writes what `store.write.save_page` writes page by page (documents, revisions, outlets, entities
with their aliases, terms, counts and people, mentions, quotes, sources, search entries and so the
full-text index), in the same order, so the same pages in the same order get the ids save_page
gives them (on PostgreSQL the same order of ids: there an insert that meets a stored row spends a
sequence number) and a search ranks the same. Whether a page is new, unchanged or a duplicate is decided as
save_page decides it, page after page; a page that revises a stored document goes through save_page
itself (its deletions and recounts are the store's own), between the set-wise parts before and after
it. People are grouped by the store's `regroup`, once for the surnames of the batch. The children
tables have no key of their own: their rows are staged only for the documents the batch adds.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Column, Connection, Float, Integer, MetaData, Table, Text, select, text

from skazal.records import IngestedPage
from skazal.store.lemmas import lemmatise
from skazal.store.people import regroup, surname_of
from skazal.store.schema import documents, revisions
from skazal.store.write import DUPLICATE, NEW, REVISION, UNCHANGED, address, day, name_terms, now, save_page

_stages = MetaData()


def _stage(name: str, *columns: tuple[str, type]) -> Table:
    return Table(f"stage_{name}", _stages, *(Column(column, kind) for column, kind in columns),
                 prefixes=["TEMPORARY"])


_PLACE = (("seq", Integer), ("address", Text))
STAGES = {
    "documents": _stage("documents", *_PLACE, ("location", Text), ("url", Text), ("outlet", Text),
                        ("content_hash", Text), ("title", Text), ("published", Text), ("day", Text),
                        ("author", Text), ("rubric", Text), ("fetched_at", Text), ("body", Text),
                        ("original", Text)),  # the address of the document a duplicate is a copy of
    "entities": _stage("entities", ("seq", Integer), ("type", Text), ("name", Text), ("surname", Text),
                       ("documents", Integer)),
    "entity_aliases": _stage("entity_aliases", ("type", Text), ("name", Text), ("alias", Text)),
    "entity_terms": _stage("entity_terms", ("type", Text), ("name", Text), ("term", Text)),
    "mentions": _stage("mentions", *_PLACE, ("type", Text), ("name", Text), ("start", Integer), ("end", Integer),
                       ("text", Text), ("part", Text)),
    "quotes": _stage("quotes", *_PLACE, ("quote_index", Integer), ("speaker_type", Text), ("speaker_name", Text),
                     ("speaker_role", Text), ("kind", Text), ("text", Text), ("start", Integer), ("end", Integer),
                     ("cue_lemma", Text), ("cue_form", Text), ("cue_start", Integer), ("cue_end", Integer),
                     ("anonymous_description", Text), ("confidence", Float), ("nested", Boolean)),
    "sources": _stage("sources", *_PLACE, ("name", Text), ("phrase", Text), ("start", Integer), ("end", Integer)),
    "search_entries": _stage("search_entries", *_PLACE, ("quote_index", Integer), ("lemmas", Text)),
    "failures": _stage("failures", ("location", Text), ("reason", Text), ("at", Text)),
}

# In the order they run; each reads the staging tables and the rows the ones before it wrote.
_OUTLETS = """
INSERT INTO outlets (name)
SELECT outlet FROM stage_documents WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY min(seq)
ON CONFLICT DO NOTHING"""
_DOCUMENTS = """
INSERT INTO documents (address, location, url, outlet_id, content_hash, duplicate_of, revision, title, published,
                       day, author, rubric, fetched_at, saved_at)
SELECT s.address, s.location, s.url, o.id, s.content_hash, NULL, CASE WHEN s.original IS NULL THEN 1 ELSE 0 END,
       s.title, s.published, s.day, s.author, s.rubric, s.fetched_at, :saved_at
FROM stage_documents s LEFT JOIN outlets o ON o.name = s.outlet WHERE true ORDER BY s.seq
ON CONFLICT DO NOTHING"""
_DUPLICATE_OF = """
UPDATE documents SET duplicate_of = (SELECT o.id FROM stage_documents s JOIN documents o ON o.address = s.original
                                     WHERE s.address = documents.address)
WHERE address IN (SELECT address FROM stage_documents WHERE original IS NOT NULL)"""
_REVISIONS = """
INSERT INTO revisions (document_id, number, content_hash, title, published, body, fetched_at, saved_at)
SELECT d.id, 1, s.content_hash, s.title, s.published, s.body, s.fetched_at, :saved_at
FROM stage_documents s JOIN documents d ON d.address = s.address WHERE s.original IS NULL ORDER BY s.seq
ON CONFLICT DO NOTHING"""
_ENTITIES = """
INSERT INTO entities (type, name, surname)
SELECT type, name, surname FROM stage_entities WHERE true ORDER BY seq
ON CONFLICT DO NOTHING"""
_COUNTS = """
UPDATE entities SET documents = entities.documents + s.documents
FROM stage_entities s WHERE s.type = entities.type AND s.name = entities.name"""
_OWN_PEOPLE = """
UPDATE entities SET person_id = entities.id
FROM stage_entities s
WHERE s.type = entities.type AND s.name = entities.name AND s.surname IS NULL AND entities.person_id IS NULL"""
_ALIASES = """
INSERT INTO entity_aliases (entity_id, alias)
SELECT e.id, s.alias FROM stage_entity_aliases s JOIN entities e ON e.type = s.type AND e.name = s.name WHERE true
ON CONFLICT DO NOTHING"""
_TERMS = """
INSERT INTO entity_terms (entity_id, term)
SELECT e.id, s.term FROM stage_entity_terms s JOIN entities e ON e.type = s.type AND e.name = s.name WHERE true
ON CONFLICT DO NOTHING"""
_MENTIONS = """
INSERT INTO mentions (document_id, entity_id, name_id, start, "end", text, part)
SELECT d.id, e.person_id, e.id, s.start, s."end", s.text, s.part
FROM stage_mentions s JOIN documents d ON d.address = s.address JOIN entities e ON e.type = s.type AND e.name = s.name
ORDER BY s.seq"""
_QUOTES = """
INSERT INTO quotes (document_id, outlet_id, day, speaker_id, speaker_name_id, speaker_role, kind, text, start, "end",
                    cue_lemma, cue_form, cue_start, cue_end, anonymous_description, confidence, nested)
SELECT d.id, d.outlet_id, d.day, e.person_id, e.id, s.speaker_role, s.kind, s.text, s.start, s."end",
       s.cue_lemma, s.cue_form, s.cue_start, s.cue_end, s.anonymous_description, s.confidence, s.nested
FROM stage_quotes s JOIN documents d ON d.address = s.address
LEFT JOIN entities e ON e.type = s.speaker_type AND e.name = s.speaker_name
ORDER BY s.seq"""
_SOURCES = """
INSERT INTO sources (document_id, name, phrase, start, "end")
SELECT d.id, s.name, s.phrase, s.start, s."end" FROM stage_sources s JOIN documents d ON d.address = s.address
ORDER BY s.seq"""
# A quote's entry finds its quote by place in its page: the documents are the batch's own, so their
# quotes are the rows just written, in page order.
_SEARCH_ENTRIES = """
INSERT INTO search_entries (document_id, quote_id, lemmas, outlet_id, day)
SELECT d.id, q.id, s.lemmas, d.outlet_id, d.day
FROM stage_search_entries s JOIN documents d ON d.address = s.address
LEFT JOIN (SELECT quotes.id, quotes.document_id,
                  row_number() OVER (PARTITION BY quotes.document_id ORDER BY quotes.id) - 1 AS quote_index
           FROM quotes JOIN documents ON documents.id = quotes.document_id
           JOIN stage_documents ON stage_documents.address = documents.address) q
       ON q.document_id = d.id AND q.quote_index = s.quote_index
ORDER BY s.seq"""
_FAILURES = """
INSERT INTO failures (location, reason, at)
SELECT location, reason, at FROM stage_failures WHERE true
ON CONFLICT (location) DO UPDATE SET reason = excluded.reason, at = excluded.at"""

_BEFORE_PEOPLE = (
    ("outlets", _OUTLETS), ("documents", _DOCUMENTS), ("documents", _DUPLICATE_OF), ("revisions", _REVISIONS),
    ("entities", _ENTITIES), ("entities", _COUNTS), ("entities", _OWN_PEOPLE),
)
# Mentions and quotes are written with the person each name belongs to once the batch's names are grouped.
_AFTER_PEOPLE = (
    ("entity_aliases", _ALIASES), ("entity_terms", _TERMS), ("mentions", _MENTIONS), ("quotes", _QUOTES),
    ("sources", _SOURCES), ("search_entries", _SEARCH_ENTRIES),
)


@dataclass
class Timings:
    """Where a load spent its time, per table: filling its staging table (COPY or executemany) and the
    merge statements writing it, with the rows each moved."""

    fill_seconds: dict[str, float] = field(default_factory=dict)
    fill_rows: dict[str, int] = field(default_factory=dict)
    merge_seconds: dict[str, float] = field(default_factory=dict)
    merge_rows: dict[str, int] = field(default_factory=dict)
    prepare_seconds: float = 0.0  # the rows built in Python: lemmas, name terms, surnames

    def add(self, kind: str, table: str, seconds: float, rows: int) -> None:
        seconds_of, rows_of = (self.fill_seconds, self.fill_rows) if kind == "fill" else \
            (self.merge_seconds, self.merge_rows)
        seconds_of[table] = seconds_of.get(table, 0.0) + seconds
        rows_of[table] = rows_of.get(table, 0) + max(rows, 0)


def save_pages(connection: Connection, items: Sequence[IngestedPage], timings: Timings) -> list[str]:
    """Save a batch inside the caller's transaction; per page new, unchanged, revision or duplicate."""
    at_address, first_with_hash = _stored(connection, items)
    outcomes: list[str] = []
    added: list[tuple[IngestedPage, str | None]] = []  # (page, the address it duplicates)
    for item in items:
        at, content_hash = address(item), item.content_hash
        if at in at_address:
            outcome = UNCHANGED if at_address[at] == content_hash else REVISION
        else:
            outcome = DUPLICATE if content_hash in first_with_hash else NEW
        if outcome == REVISION:
            _merge(connection, added, timings)
            added = []
            save_page(connection, item)
        elif outcome in (NEW, DUPLICATE):
            added.append((item, first_with_hash.get(content_hash)))
        if outcome != UNCHANGED:
            at_address[at] = content_hash
        if outcome in (NEW, REVISION):
            first_with_hash.setdefault(content_hash, at)
        outcomes.append(outcome)
    _merge(connection, added, timings)
    return outcomes


def save_failures(connection: Connection, rows: Iterable[tuple[str, str, str]], timings: Timings) -> int:
    """Quarantine (location, reason, at) rows, the latest reason per location winning, as
    `Store.record_failure` does one by one."""
    latest = {location: (location, reason, at) for location, reason, at in rows}
    _run(connection, {"failures": list(latest.values())}, [("failures", _FAILURES)], timings)
    return len(latest)


def _stored(connection: Connection, items: Sequence[IngestedPage]) -> tuple[dict[str, str], dict[str, str]]:
    """The stored content hash of each address of the batch, and the address of the first document
    stored with each content hash of the batch (what save_page asks of the store page by page)."""
    addresses = sorted({address(item) for item in items})
    hashes = sorted({item.content_hash for item in items})
    at_address = dict(connection.execute(
        select(documents.c.address, documents.c.content_hash).where(documents.c.address.in_(addresses))).all())
    first_with_hash: dict[str, str] = {}
    rows = connection.execute(
        select(revisions.c.content_hash, documents.c.address).join(documents, documents.c.id == revisions.c.document_id)
        .where(revisions.c.content_hash.in_(hashes)).order_by(revisions.c.id))
    for content_hash, at in rows:
        first_with_hash.setdefault(content_hash, at)
    return at_address, first_with_hash


def _merge(connection: Connection, added: list[tuple[IngestedPage, str | None]], timings: Timings) -> None:
    if not added:
        return
    started = time.perf_counter()
    staged = _staged_rows(added)
    timings.prepare_seconds += time.perf_counter() - started
    surnames = {row[2] for row in staged["entities"] if row[2] is not None}
    people = ("people", lambda: regroup(connection, surnames))
    _run(connection, staged, (*_BEFORE_PEOPLE, people, *_AFTER_PEOPLE), timings)


def _run(connection: Connection, staged: dict[str, list[tuple]], steps: Sequence[tuple[str, str | Callable]],
         timings: Timings) -> None:
    """Fill the staging tables, run the steps (a merge statement, or a call), drop the staging tables."""
    stages = [STAGES[name] for name in staged]
    for stage in stages:
        stage.create(connection)
    try:
        for name, rows in staged.items():
            started = time.perf_counter()
            _fill(connection, STAGES[name], rows)
            timings.add("fill", name, time.perf_counter() - started, len(rows))
        if connection.dialect.name == "postgresql":
            for stage in stages:  # a temporary table has no statistics until analysed
                connection.exec_driver_sql(f"ANALYZE {stage.name}")
        parameters = {"saved_at": now()}
        for table, step in steps:
            started = time.perf_counter()
            rows = 0
            if callable(step):
                step()
            else:
                result = connection.execute(text(step), parameters if ":saved_at" in step else {})
                rows = result.rowcount if step.lstrip().startswith("INSERT") else 0
            timings.add("merge", table, time.perf_counter() - started, rows)
    finally:
        for stage in reversed(stages):
            stage.drop(connection)


def _fill(connection: Connection, stage: Table, rows: list[tuple]) -> None:
    """Staging rows in bulk, numbered in the order they came (`seq`) where the stage keeps one: COPY on
    PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    names = [column.name for column in stage.columns]
    if names[0] == "seq":
        rows = [(number, *row) for number, row in enumerate(rows)]
    if connection.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in names)
        with connection.connection.driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY {stage.name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    quoted = ", ".join(f'"{name}"' for name in names)
    connection.exec_driver_sql(f"INSERT INTO {stage.name} ({quoted}) VALUES ({', '.join('?' * len(names))})", rows)


def _staged_rows(added: list[tuple[IngestedPage, str | None]]) -> dict[str, list[tuple]]:
    """The staging rows of the pages a batch adds, in the order save_page would write them."""
    staged: dict[str, list[tuple]] = {name: [] for name in STAGES if name != "failures"}
    named: dict[tuple[str, str], list] = {}  # (type, name) -> [documents, aliases]
    for item, original in added:
        at, article = address(item), item.page.article
        staged["documents"].append((
            at, item.location, item.url, item.outlet or None, item.content_hash, article.title,
            article.published, day(item), article.author, article.rubric, item.fetched_at, item.page.body, original,
        ))
        if original is None:
            _stage_contents(staged, named, at, item)
    for (etype, name), (count, aliases) in named.items():  # in the order the pages first name them
        staged["entities"].append((etype, name, surname_of(name, etype), count))
        staged["entity_aliases"] += [(etype, name, alias) for alias in sorted(aliases)]
        staged["entity_terms"] += [(etype, name, term) for term in sorted(name_terms({name, *aliases}))]
    return staged


def _stage_contents(staged: dict[str, list[tuple]], named: dict, at: str, item: IngestedPage) -> None:
    page = item.page
    in_page = [(entity.type, entity.name, entity.aliases) for entity in page.entities]
    in_page += [(quote.speaker.type, quote.speaker.name, ()) for quote in page.quotes if quote.speaker]
    for etype, name, aliases in in_page:
        named.setdefault((etype, name), [0, set()])[1].update(aliases)
    for key in dict.fromkeys((etype, name) for etype, name, _ in in_page):
        named[key][0] += 1
    for entity in page.entities:
        staged["mentions"] += [(at, entity.type, entity.name, mention.start, mention.end, mention.text,
                                mention.where) for mention in entity.mentions]
    for index, quote in enumerate(page.quotes):
        speaker, cue = quote.speaker, quote.cue
        staged["quotes"].append((
            at, index, speaker.type if speaker else None, speaker.name if speaker else None,
            speaker.role if speaker else None, quote.kind, quote.text, quote.start, quote.end,
            cue.lemma if cue else None, cue.form if cue else None, cue.start if cue else None,
            cue.end if cue else None, quote.anonymous_description, quote.confidence, quote.nested,
        ))
    staged["sources"] += [(at, source.name, source.phrase, source.start, source.end) for source in page.sources]
    staged["search_entries"].append((at, None, lemmatise(page.body)))
    staged["search_entries"] += [(at, index, lemmatise(quote.text)) for index, quote in enumerate(page.quotes)]
