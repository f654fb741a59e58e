"""One ingest run: sources → (skip what is stored) → worker pool reading → (skip the analysis of text the
store holds) → worker pool analysing → batched writes, failures quarantined."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.exc import SQLAlchemyError, StatementError

from skazal.ingest.fetch import Fetcher, FetchOptions
from skazal.ingest.inputs import RawPage, failure
from skazal.ingest.progress import Silent
from skazal.ingest.sources import AlreadyStored, read_sources
from skazal.ingest.workers import InProcess, ReadPage, Workers, unanalysed
from skazal.records import Failure, IngestedPage
from skazal.store import StoreError
from skazal.store.connect import once_more_if_disconnected
from skazal.store.kill_points import kill_point
from skazal.store.write import DUPLICATE, NEW, REVISION, UNCHANGED, address

FLUSH_SECONDS = 5.0  # a slow run still commits what it has this often, so a crash loses little
STATISTICS_AFTER = 1_000


@dataclass(frozen=True)
class IngestOptions:
    workers: int | None = None  # processes for reading and NLP; None: one per core; 0: this process
    batch_size: int = 50  # pages written in one transaction
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # A run that saved this many pages ends by taking the planner's statistics again (ANALYZE): a bulk
    # load changes the tables too much for statistics taken before it. None: never.
    statistics_after: int | None = STATISTICS_AFTER


@dataclass(frozen=True)
class IngestReport:
    """How many inputs ended how: new, unchanged, revision, duplicate (as the store saw them),
    stored (skipped: already in the store) and failed."""

    outcomes: dict[str, int]

    @property
    def failed(self) -> int:
        return self.outcomes.get("failed", 0)

    @property
    def saved(self) -> int:
        """Pages this run wrote to the store (new, revised, or duplicates of a stored text)."""
        return sum(self.outcomes.get(outcome, 0) for outcome in (NEW, REVISION, DUPLICATE))

    def summary(self) -> str:
        parts = [f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items()) if count]
        return ", ".join(parts) or "nothing to ingest"


def ingest(sources: Sequence[str], store, options: IngestOptions | None = None, progress=None,
           workers: Workers | None = None) -> IngestReport:
    """Ingest every page the sources hold into `store`; a page that fails is quarantined and the run goes on.

    `workers` lets several runs share one pool (a watch); by default the run starts and stops its own.
    """
    options = options or IngestOptions()
    own_workers = workers is None
    workers = Workers(options.workers) if own_workers else workers
    run = _Run(store, options, progress or Silent(), workers)
    try:
        with Fetcher(options.fetch) as fetcher:
            run.feed(read_sources(sources, fetcher, run.is_stored))
    finally:
        run.flush()
        if own_workers:
            workers.close()
    report = IngestReport(outcomes=dict(run.outcomes))
    if options.statistics_after is not None and report.saved >= options.statistics_after:
        store.refresh_statistics()
    return report


class _Run:
    def __init__(self, store, options: IngestOptions, progress, workers: Workers) -> None:
        self.store = store
        self.options = options
        self.progress = progress
        self.workers = workers
        self.in_flight: dict[Future, tuple[RawPage, Executor]] = {}
        self.pending: list[IngestedPage] = []
        self.handled: set[str] = set()
        self.outcomes: Counter[str] = Counter()
        self.last_flush = time.monotonic()

    def is_stored(self, location: str) -> bool:
        return location in self.handled or self.store.seen(location)

    def feed(self, items) -> None:
        limit = max(2 * self.workers.count, 2)
        for item in items:
            if isinstance(item, Failure):
                self.quarantine(item)
            elif isinstance(item, AlreadyStored):
                self.outcomes["stored"] += 1
                self.progress.advance("stored")
            else:
                self.handled.add(item.location)
                self.submit(item)
                self.collect(block=False)
                while len(self.in_flight) >= limit:
                    self.collect(block=True)
        while self.in_flight:
            self.collect(block=True)

    def submit(self, raw: RawPage) -> None:
        if not self.in_process():  # a worker process loads the models before its first page, even to read it
            self.progress.models_loading()
        self.watch(raw, self.workers.read(raw))

    def in_process(self) -> bool:
        return isinstance(self.workers.executor, InProcess)

    def watch(self, raw: RawPage, future: Future) -> None:
        self.in_flight[future] = (raw, self.workers.executor)
        if future.done():  # run in this process: taken at once, so that pages are saved in their order
            self.take(future)

    def collect(self, block: bool) -> None:
        done, _ = wait(self.in_flight, timeout=FLUSH_SECONDS if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            self.take(future)
        if len(self.pending) >= self.options.batch_size or time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()

    def take(self, future: Future) -> None:
        raw, executor = self.in_flight.pop(future)
        try:
            result = future.result()
        except BrokenProcessPool:
            # Which page killed it is unknown: every page then in flight is quarantined, to retry next run.
            result = failure(raw.location, "a worker process died while reading it (out of memory?)")
            if executor is self.workers.executor:
                self.workers.restart()
        except Exception as error:  # the ingest edge: a result that cannot come back fails its page alone
            result = failure(raw.location, f"internal error: {type(error).__name__}: {error}")
        if not (isinstance(result, ReadPage) and self.in_process()):  # this process loads them to analyse
            self.progress.models_ready()
        if isinstance(result, Failure):
            self.quarantine(result)
        elif isinstance(result, ReadPage) and self.needs_analysis(result):
            if self.in_process():
                self.progress.models_loading()
            self.watch(raw, self.workers.analyse(result))
        else:
            self.pending.append(unanalysed(result) if isinstance(result, ReadPage) else result)
            self.progress.advance("read")

    def needs_analysis(self, read: ReadPage) -> bool:
        """Whether saving the page needs its entities and quotes: not when the store already holds its
        text (unchanged at its address, or a duplicate), and will still when the page is saved."""
        at = address(read)
        if not read.article.body.strip():  # analysed all the same, to fail exactly as it always has
            return True
        if any(address(item) == at for item in self.pending):  # a page saved before it may change that
            return True
        return self.store.outcome_of(at, read.content_hash) not in (UNCHANGED, DUPLICATE)

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        outcomes, failures = save_batch(self.store, batch)
        self.outcomes.update(outcomes)
        for item in failures:
            self.quarantine(item, advanced=True)

    def quarantine(self, item: Failure, advanced: bool = False) -> None:
        try:
            self.store.record_failure(item)
        except SQLAlchemyError as error:  # not even a failure can be written: the store itself is at fault
            raise StoreError(f"cannot write to the database: {reason(error)}") from error
        self.outcomes["failed"] += 1
        self.progress.failed(item, advanced)


def save_batch(store, batch: Sequence[IngestedPage]) -> tuple[list[str], list[Failure]]:
    """Save a batch in one transaction; if that fails, page by page, so that a page the store refuses
    is a failure of its own, with the reason, and the others are stored all the same."""
    try:
        outcomes = store.save_pages(batch)
    except Exception:  # the write edge: one page's fault must not lose the batch
        return _save_one_by_one(store, batch)
    kill_point("after-commit")  # committed, and neither counted nor reported yet
    return outcomes, []


def _save_one_by_one(store, batch: Sequence[IngestedPage]) -> tuple[list[str], list[Failure]]:
    outcomes, failures = [], []
    for item in batch:
        try:
            # A page alone is the last try this run: a lost connection (its backend ended again) rolled
            # its transaction back, and it is saved once more on a new one.
            outcomes += once_more_if_disconnected(partial(store.save_pages, [item]))
        except Exception as error:  # quarantined with its reason; the next run tries it again
            failures.append(failure(item.location, f"could not be stored: {reason(error)}"))
    return outcomes, failures


def reason(error: Exception) -> str:
    """What went wrong, on one line: a database error's own message, without the statement and
    parameters SQLAlchemy adds below it."""
    cause = error.orig if isinstance(error, StatementError) and error.orig is not None else error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0]}" if lines else type(cause).__name__
