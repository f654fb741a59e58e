"""The worker pool: pages go out to processes for reading and NLP, records come back.

Workers are spawned, not forked, and inherit OPENBLAS_NUM_THREADS=1 from the environment set here
before they start: numpy reads it once, on import, which happens as soon as a worker imports skazal.

Each page is read under a budget (`PageBudget`). A worker's address space is capped (RLIMIT_AS):
an allocation past the cap is refused the moment it is asked for, so a page that wants gigabytes
fails with a MemoryError in its own worker, where a watchdog polling RSS would see it only once the
memory is taken and, with no swap, the kernel's OOM killer may have picked another process first.
A worker still on one page at its deadline is killed. A worker that dies, whatever killed it, fails
the page it held and that page alone; a fresh worker takes its place.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from typing import TypeVar
from urllib.parse import urlsplit

from skazal.errors import SkazalError
from skazal.ingest.inputs import RawPage, failure
from skazal.pipeline import analyse_article, read_article
from skazal.records import Article, Failure, IngestedPage, Page
from skazal.store.write import KnownText

SINGLE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_STARTS_BEFORE_GIVING_UP = 3  # workers in a row that die before they are ready: they cannot start here
_READY = "ready"
T = TypeVar("T")


@dataclass(frozen=True)
class PageBudget:
    """What one page may cost a worker."""

    seconds: float = 30.0  # the gold sets' 91 pages take 31 s together; an 80,000-token sentence 16 s
    # The whole address space: ~360 MB of it are the models and libraries, a real page adds under 100 MB.
    memory_bytes: int = 1536 << 20


class WorkerLost(SkazalError):
    """The worker running a job died or was killed (over its page budget, or a crash)."""


@dataclass(frozen=True)
class ReadPage:
    """A page read but not yet analysed: what the store is asked about before any model runs."""

    location: str
    url: str | None
    article: Article
    content_hash: str  # sha256 hex of the body, as the store keeps it
    fetched_at: str | None = None
    seconds: float = 0.0  # what reading it took of the page's budget
    outlet: str | None = None  # as an article record names it; else the host of the URL is the outlet
    feed_text: bool = False  # read from a feed's text of the item, its page not fetched


def extract_raw(raw: RawPage) -> IngestedPage | Failure:
    """Read and analyse one page; a `Failure` with the reason when it cannot be done."""
    read = read_raw(raw)
    return read if isinstance(read, Failure) else analyse_read(read)


def read_raw(raw: RawPage) -> ReadPage | Failure:
    """Read one page, without analysing it; its fallback (a feed's text of it) when it cannot be read or holds
    no article text; a `Failure` with the reason when neither can be read."""
    started = time.monotonic()
    article = _unless_failing(raw.location, lambda: read_article(raw.content, url=raw.url))
    if raw.fallback is not None and (isinstance(article, Failure) or not article.body.strip()):
        read = read_raw(raw.fallback)
        return read if isinstance(read, Failure) else replace(read, seconds=time.monotonic() - started)
    if isinstance(article, Failure):
        return article
    if raw.title or raw.published:
        article = replace(article, title=raw.title or article.title, published=raw.published or article.published)
    return ReadPage(location=raw.location, url=raw.url, article=article, content_hash=body_hash(article.body),
                    fetched_at=raw.fetched_at, seconds=time.monotonic() - started, outlet=raw.outlet,
                    feed_text=raw.feed_text)


def analyse_read(read: ReadPage) -> IngestedPage | Failure:
    """Analyse a read page (natasha's models, entities, quotes); a `Failure` with the reason when it cannot be."""
    page = _unless_failing(read.location, lambda: analyse_article(read.article))
    if isinstance(page, Failure):
        return page
    if not page.body.strip():
        return failure(read.location, "no article text found")
    return ingested(read, page)


def unanalysed(read: ReadPage) -> KnownText:
    """A read page whose text the store holds already, to be saved as unchanged or a duplicate."""
    return ingested(read, Page(article=read.article), KnownText)


def ingested(read: ReadPage, page: Page, record: type[IngestedPage] = IngestedPage) -> IngestedPage:
    # a saved page's outlet is the host its rel=canonical / og:url names; its address stays the file
    # (a canonical that names the site's front page must not make every page one document)
    outlet = read.outlet or outlet_of(read.url or read.article.canonical_url)
    return record(location=read.location, url=read.url, outlet=outlet,
                  content_hash=read.content_hash, page=page, fetched_at=read.fetched_at, feed_text=read.feed_text)


def body_hash(body: str) -> str:
    """What tells revisions and duplicates apart: the sha256 of the article's body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _unless_failing(location: str, stage: Callable[[], T]) -> T | Failure:
    try:
        return stage()
    except SkazalError as error:
        return failure(location, str(error))
    except MemoryError:
        return failure(location, "reading it needs more memory than a worker may use")
    except Exception as error:  # the ingest edge: one page's fault must not stop the batch
        return failure(location, f"internal error: {type(error).__name__}: {error}")


def outlet_of(url: str | None) -> str | None:
    """The site's host name without "www." ("lenta.ru"), or None (also for an address that does
    not parse, such as "http://[")."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


class InProcess(Executor):
    """Runs each job at once in this process: for one worker, tests, and machines that cannot spawn."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future, as a pool does
            future.set_exception(error)
        return future

    def submit_within(self, seconds: float, fn, /, *args) -> Future:
        """As `submit`: a job in this process has no deadline."""
        return self.submit(fn, *args)


def start_pool(workers: int, budget: PageBudget | None = None,
               initializer: Callable[[], object] | None = None) -> Executor:
    """`workers` spawned processes, each job run under `budget`, or this process alone when `workers` is 0."""
    if workers == 0:
        return InProcess()
    for name in SINGLE_THREAD:
        os.environ[name] = "1"
    return BudgetedPool(workers, budget or PageBudget(), initializer)


def load_models() -> None:
    """A worker loads natasha's models before its first page, so that page's deadline is its own."""
    from skazal.nlp import models

    models()


class Workers:
    """The worker processes of a run, or of every poll of a watch: started once, replaced one by one."""

    def __init__(self, count: int | None = None, budget: PageBudget | None = None) -> None:
        self.count = (os.cpu_count() or 1) if count is None else count
        self.budget = budget or PageBudget()
        self.executor = self._start()

    def _start(self) -> Executor:
        return start_pool(self.count, self.budget, load_models)

    def submit(self, raw: RawPage) -> Future:
        """A future of the page's `IngestedPage` or `Failure`; a worker lost on it is the page's failure."""
        return _settled(self.executor.submit(extract_raw, raw), raw.location)

    def read(self, raw: RawPage) -> Future:
        """A future of the page's `ReadPage` or `Failure`: reading alone, no model run."""
        return _settled(self.executor.submit(read_raw, raw), raw.location)

    def analyse(self, read: ReadPage) -> Future:
        """A future of the read page's `IngestedPage` or `Failure`, within what is left of its budget."""
        left = max(self.budget.seconds - read.seconds, 0.0)
        return _settled(self.executor.submit_within(left, analyse_read, read), read.location)

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _settled(job: Future, location: str) -> Future:
    """The job's future, with a worker lost on it turned into the page's failure."""
    page: Future = Future()

    def settle(done: Future) -> None:
        if done.cancelled():  # the pool was shut down before the page's turn came
            page.cancel()
            page.set_running_or_notify_cancel()  # what wakes a `wait` on it
            return
        error = done.exception()
        if isinstance(error, WorkerLost):
            page.set_result(failure(location, str(error)))
        elif error is not None:
            page.set_exception(error)
        else:
            page.set_result(done.result())

    job.add_done_callback(settle)
    return page


@dataclass
class _Job:
    future: Future
    fn: Callable
    args: tuple
    kwargs: dict
    seconds: float | None = None  # its deadline, when not the budget's


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False
    job: _Job | None = None
    deadline: float = 0.0


class BudgetedPool(Executor):
    """Processes that each run one job at a time under a `PageBudget`. A job whose worker dies or
    overruns ends in `WorkerLost` naming why; the other jobs are not touched."""

    def __init__(self, count: int, budget: PageBudget, initializer: Callable[[], object] | None = None) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._budget = budget
        self._initializer = initializer
        self._queue: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._closed = False
        self._woken = False  # a byte waits in the wake pipe: one is enough, and the pipe never fills
        self._failed_starts = 0
        self._broken: str | None = None
        self._count = count
        self._workers: list[_Worker] = []  # spawned with the first job: a run with nothing new loads no models
        self._supervisor = threading.Thread(target=self._supervise, name="skazal-workers", daemon=True)
        self._supervisor.start()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._queued(_Job(Future(), fn, args, kwargs))

    def submit_within(self, seconds: float, fn, /, *args) -> Future:
        """As `submit`, the job given `seconds` rather than the budget's (what is left of a page's)."""
        return self._queued(_Job(Future(), fn, args, {}, seconds))

    def _queued(self, job: _Job) -> Future:
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot submit to a pool that is shut down")
            if self._broken:
                job.future.set_exception(WorkerLost(self._broken))
                return job.future
            self._queue.append(job)
            self._wake()
        return job.future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            if cancel_futures:
                for job in self._queue:
                    job.future.cancel()
                self._queue.clear()
            self._wake()
        if wait:
            self._supervisor.join()

    def _wake(self) -> None:
        if not self._woken:
            self._woken = True
            self._wake_writer.send_bytes(b".")

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(theirs, self._budget.memory_bytes, self._initializer), daemon=True,
            name="skazal-worker",
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _supervise(self) -> None:
        while True:
            with self._lock:
                if self._closed and not self._queue and not any(w.job for w in self._workers):
                    break
                if self._queue and not self._workers and not self._broken:
                    self._workers = [self._spawn() for _ in range(self._count)]
                self._dispatch()
                if self._woken:
                    self._wake_reader.recv_bytes()
                    self._woken = False
            busy = [w.deadline for w in self._workers if w.job]
            timeout = max(min(busy) - time.monotonic(), 0) if busy else None
            waiting = [self._wake_reader] + [w.connection for w in self._workers]
            ready = wait(waiting + [w.process.sentinel for w in self._workers], timeout)
            checked = [self._check(worker, ready) for worker in self._workers]
            self._workers = [worker for worker in checked if worker is not None]
        for worker in self._workers:
            _stop(worker)

    def _dispatch(self) -> None:
        for worker in self._workers:
            while worker.ready and worker.job is None and self._queue:
                job = self._queue.popleft()
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    worker.connection.send((job.fn, job.args, job.kwargs))
                except Exception as error:  # a job that cannot be pickled fails alone
                    job.future.set_exception(error)
                    continue
                seconds = self._budget.seconds if job.seconds is None else job.seconds
                worker.job, worker.deadline = job, time.monotonic() + seconds

    def _check(self, worker: _Worker, ready: list) -> _Worker | None:
        """The worker after whatever `wait` found: its answer taken, or a new one in its place
        (none once workers are found unable to start)."""
        if worker.connection in ready:
            try:
                message = worker.connection.recv()
            except (EOFError, OSError):
                return self._replace(worker, _death(worker.process))
            if message == _READY:
                worker.ready, self._failed_starts = True, 0
            elif worker.job is not None:
                succeeded, value = message
                if succeeded:
                    worker.job.future.set_result(value)
                else:
                    worker.job.future.set_exception(value)
                worker.job = None
            return worker
        if worker.process.sentinel in ready:
            return self._replace(worker, _death(worker.process))
        if worker.job is not None and time.monotonic() >= worker.deadline:
            return self._replace(worker, f"reading it took longer than {self._budget.seconds:g} s, the page deadline")
        return worker

    def _replace(self, worker: _Worker, reason: str) -> _Worker | None:
        _stop(worker)
        if worker.job is not None:
            worker.job.future.set_exception(WorkerLost(reason))
        elif not worker.ready:
            self._failed_starts += 1
            if self._failed_starts >= _STARTS_BEFORE_GIVING_UP:
                self._give_up(f"worker processes cannot start here (one exited with code {worker.process.exitcode})")
        return None if self._broken else self._spawn()

    def _give_up(self, reason: str) -> None:
        with self._lock:
            self._broken = reason
            for job in self._queue:
                job.future.set_exception(WorkerLost(reason))
            self._queue.clear()


def _serve(connection: Connection, memory_bytes: int, initializer: Callable[[], object] | None) -> None:
    """A worker process: jobs in, (succeeded, result or exception) out, until told to stop or orphaned."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if initializer is not None:
        initializer()
    connection.send(_READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        fn, args, kwargs = job
        try:
            outcome = (True, fn(*args, **kwargs))
        except BaseException as error:  # handed back to the caller, as a pool does
            outcome = (False, error)
        try:
            connection.send(outcome)
        except Exception as error:  # a result that cannot be pickled
            connection.send((False, RuntimeError(f"its result cannot be sent back: {type(error).__name__}: {error}")))


def _death(process: multiprocessing.process.BaseProcess) -> str:
    """Why a worker process ended, as the reason for the page it held."""
    process.join(timeout=5)
    code = process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        cause = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"the worker process reading it was killed by {name}{cause}"
    return f"the worker process reading it exited with code {code}"


def _stop(worker: _Worker) -> None:
    """End a worker: asked to stop when idle, killed when it is still on a job or will not stop."""
    if worker.process.is_alive() and worker.job is None and worker.ready:
        try:
            worker.connection.send(None)
        except OSError:
            pass
        worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=5)
    worker.connection.close()
