"""One Spark task: one WARC file read with the project's reader, each page through the ingest's own
page function (`extract_raw`: reading, entities, quotes), out as rows of the Parquet tables.

Runs in a Python worker. natasha's models load once per worker process (`worker_models`, a
singleton of this installed module, so it is imported, never pickled with the job) and stay
loaded while Spark reuses the worker for the next tasks. Nothing here fails a task: a record that
cannot be read or analysed, or a file that cannot be opened, is a `failures` row with its reason.
"""
from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from skazal.ingest.inputs import RawPage, failure
from skazal.ingest.warc import is_warc, read_warc
from skazal.ingest.workers import extract_raw, load_models
from skazal.records import Failure
from skazal.spark.offsets import record_offsets
from skazal.spark.tables import Provenance, document_id, failure_row, page_rows

Row = tuple[str, tuple]  # (table, row)


@dataclass(frozen=True)
class Counters:
    """The job's accumulators: records processed, failed and skipped (a record repeated in its file),
    model loads, the worker processes that ran tasks, and the largest peak RSS of one (KiB)."""

    processed: object
    failed: object
    skipped: object
    model_loads: object
    workers: object
    peak_rss: object


@cache
def worker_models() -> int:
    """Load natasha's models in this process, once; the process id it happened in."""
    load_models()
    return os.getpid()


def models_ready(counters: Counters) -> None:
    if worker_models.cache_info().currsize == 0:
        counters.model_loads.add(1)
    worker_models()
    counters.workers.add({os.getpid()})


def warc_rows(name: str, counters: Counters) -> Iterator[Row]:
    """Every row the WARC file `name` gives; its failures as rows, never an exception."""
    models_ready(counters)
    path = Path(name).resolve()
    try:
        if not path.is_file():
            yield _failed(failure(name, "no such file, folder or URL"), Provenance(name, None), counters)
            return
        if not is_warc(path):
            yield _failed(failure(str(path), "not a WARC file (.warc, .warc.gz)"), Provenance(str(path), None),
                          counters)
            return
        yield from _records(path, counters)
        counters.peak_rss.add(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except Exception as error:  # the task edge: a file that breaks the reader is a failure, not a failed task
        yield _failed(failure(str(path), f"internal error: {type(error).__name__}: {error}"),
                      Provenance(str(path), None), counters)


def _records(path: Path, counters: Counters) -> Iterator[Row]:
    offsets = record_offsets(path)
    seen: set[str] = set()
    for item in read_warc(path):
        where = Provenance(str(path), _offset(item.location, path, offsets))
        if isinstance(item, Failure):
            yield _failed(item, where, counters)
            continue
        key = document_id(item.url, item.location, item.content)
        if key in seen:
            counters.skipped.add(1)
            continue
        seen.add(key)
        yield from _page(item, where, counters)


def _page(raw: RawPage, where: Provenance, counters: Counters) -> Iterator[Row]:
    result = extract_raw(raw)
    if isinstance(result, Failure):
        yield _failed(result, where, counters)
        return
    counters.processed.add(1)
    for table, rows in page_rows(result, raw.content, where).items():
        for row in rows:
            yield table, row


def _failed(item: Failure, where: Provenance, counters: Counters) -> Row:
    counters.failed.add(1)
    return "failures", failure_row(item, where)


def _offset(location: str, path: Path, offsets: dict[str, int]) -> int | None:
    """A record's offset: in its location ("archive@123") or from the index by its id ("archive#<id>")."""
    rest = location[len(str(path)):]
    if rest.startswith("@") and rest[1:].isdigit():
        return int(rest[1:])
    return offsets.get(rest[1:]) if rest.startswith("#") else None
