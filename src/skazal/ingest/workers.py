"""The worker pool: pages go out to processes for reading and NLP, records come back.

Workers are spawned, not forked, and inherit OPENBLAS_NUM_THREADS=1 from the environment set here
before they start: numpy reads it once, on import, which happens as soon as a worker imports skazal.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from urllib.parse import urlsplit

from skazal.errors import SkazalError
from skazal.ingest.inputs import RawPage, failure
from skazal.pipeline import extract
from skazal.records import Failure, IngestedPage

SINGLE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def extract_raw(raw: RawPage) -> IngestedPage | Failure:
    """Read and analyse one page; a `Failure` with the reason when it cannot be done."""
    try:
        page = extract(raw.content, url=raw.url)
    except SkazalError as error:
        return failure(raw.location, str(error))
    except Exception as error:  # the ingest edge: one page's fault must not stop the batch
        return failure(raw.location, f"internal error: {type(error).__name__}: {error}")
    if not page.body.strip():
        return failure(raw.location, "no article text found")
    return IngestedPage(
        location=raw.location,
        url=raw.url,
        outlet=outlet_of(raw.url),
        content_hash=hashlib.sha256(page.body.encode("utf-8")).hexdigest(),
        page=page,
        fetched_at=raw.fetched_at,
    )


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


def start_pool(workers: int) -> Executor:
    """`workers` spawned processes, or this process alone when `workers` is 0."""
    if workers == 0:
        return InProcess()
    for name in SINGLE_THREAD:
        os.environ[name] = "1"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


class Workers:
    """The worker processes of a run, or of every poll of a watch: started once, restarted if one dies."""

    def __init__(self, count: int | None = None) -> None:
        self.count = (os.cpu_count() or 1) if count is None else count
        self.executor = start_pool(self.count)

    def submit(self, raw: RawPage) -> Future:
        try:
            return self.executor.submit(extract_raw, raw)
        except BrokenProcessPool:
            self.restart()
            return self.executor.submit(extract_raw, raw)

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = start_pool(self.count)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
