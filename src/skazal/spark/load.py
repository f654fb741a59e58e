"""`skazal spark load`: the Parquet tables of a Spark ingest into the store, set-wise (`merge`:
COPY or executemany into staging tables, then one INSERT … SELECT merge per table and batch), writing
what the single-machine ingest writes, so both give the same corpus.

The unit is a day's documents file (a Spark ingest writes one per day): its documents, in the
order they were read (WARC file, offset), with their entities, mentions, quotes and sources from
the same day's files of those tables. A file loaded is recorded in the store (`spark_loads`) and
skipped next time; a day written again by a later ingest is a new file, and its pages, already
stored, change nothing. Failures are loaded first, so a page stored since is no longer one. A batch
the database refuses goes again page by page through the store (`save_batch`), so that a page it
refuses is a failure of its own, as with `skazal ingest`. Needs pyarrow only, not Spark.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyarrow.parquet as parquet
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from skazal.errors import SkazalError
from skazal.ingest.run import save_batch
from skazal.records import IngestedPage
from skazal.spark import merge
from skazal.spark.tables import ingested_page
from skazal.store.schema import failures
from skazal.store.write import now

BATCH = 1000  # pages a merge writes at once
_CHILDREN = ("entities", "mentions", "quotes", "sources")

# Kept beside the corpus tables, outside the migrations: only Spark loads write it.
_metadata = MetaData()
spark_loads = Table(
    "spark_loads",
    _metadata,
    Column("file", Text, primary_key=True),  # relative to the Parquet folder: "documents/day=…/part-….parquet"
    Column("rows", Integer, nullable=False),
    Column("loaded_at", String(40), nullable=False),
)


@dataclass(frozen=True)
class LoadReport:
    files: int  # loaded now
    skipped_files: int  # loaded before
    outcomes: dict[str, int]  # new, unchanged, revision, duplicate, failed (as the store saw them)
    timings: merge.Timings

    def summary(self) -> str:
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items()) if count)
        return f"{self.files} files loaded, {self.skipped_files} loaded before; {counts or 'no rows'}"


class NoTables(SkazalError):
    """A folder that holds no tables of `skazal spark ingest`."""


def load(folder: str | Path, store) -> LoadReport:
    """Load every Parquet file under `folder` not loaded into `store` before."""
    folder = Path(folder)
    if not any((folder / table).is_dir() for table in ("documents", "failures")):
        raise NoTables(f"{folder}: no tables of `skazal spark ingest` here (documents/, failures/)")
    _metadata.create_all(store.engine, checkfirst=True)
    loaded = _loaded(store)
    outcomes: dict[str, int] = {}
    timings = merge.Timings()
    files = skipped = 0
    for table in ("failures", "documents"):
        for file in _files(folder, table):
            name = file.relative_to(folder).as_posix()
            if name in loaded:
                skipped += 1
                continue
            counts = (_load_failures(file, store, timings) if table == "failures"
                      else _load_documents(folder, file, store, timings))
            for outcome, count in counts.items():
                outcomes[outcome] = outcomes.get(outcome, 0) + count
            with store.engine.begin() as connection:
                connection.execute(insert(spark_loads).values(file=name, rows=sum(counts.values()), loaded_at=now()))
            files += 1
    return LoadReport(files=files, skipped_files=skipped, outcomes=outcomes, timings=timings)


def _loaded(store) -> set[str]:
    with store.engine.connect() as connection:
        return set(connection.execute(select(spark_loads.c.file)).scalars())


def _files(folder: Path, table: str) -> list[Path]:
    return sorted((folder / table).glob("day=*/*.parquet"))


def _rows(file: Path) -> list[dict]:
    return parquet.ParquetFile(file).read().to_pylist()


def _load_failures(file: Path, store, timings: merge.Timings) -> dict[str, int]:
    rows = [(row["location"], row["reason"], row["at"]) for row in _rows(file)]
    with store.engine.begin() as connection:
        return {"failed": merge.save_failures(connection, rows, timings)}


def _load_documents(folder: Path, file: Path, store, timings: merge.Timings) -> dict[str, int]:
    documents = sorted(_rows(file), key=lambda row: (row["warc_file"] or "", row["warc_offset"] or 0))
    wanted = {row["document_id"] for row in documents}
    children = {table: _by_document(folder / table / file.parent.name, wanted) for table in _CHILDREN}
    pages = (ingested_page(row, *(children[table].get(row["document_id"], ()) for table in _CHILDREN))
             for row in documents)
    counts: dict[str, int] = {}
    for batch in _batches(pages):
        for outcome in _save(store, batch, timings):
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _save(store, batch: list[IngestedPage], timings: merge.Timings) -> list[str]:
    """Save a batch set-wise in one transaction; if the database refuses it, page by page."""
    try:
        with store.engine.begin() as connection:
            outcomes = merge.save_pages(connection, batch, timings)
            connection.execute(delete(failures).where(failures.c.location.in_([item.location for item in batch])))
        return outcomes
    except SQLAlchemyError:  # the write edge: one page's fault must not lose the batch
        outcomes, refused = save_batch(store, batch)
        for item in refused:
            store.record_failure(item)
        return outcomes + ["failed"] * len(refused)


def _by_document(day_folder: Path, wanted: set[str]) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for file in sorted(day_folder.glob("*.parquet")):
        for row in _rows(file):
            if row["document_id"] in wanted:
                rows.setdefault(row["document_id"], []).append(row)
    return rows


def _batches(items: Iterator) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, BATCH)):
        yield batch

