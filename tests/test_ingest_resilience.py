"""Ingest under stress: real worker processes, kill -9 in the middle of a run, and the resumed run."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from conftest import DATA
from sqlalchemy import func, select

from skazal.ingest import IngestOptions, ingest
from skazal.ingest.workers import start_pool
from skazal.store import open_store
from skazal.store.schema import documents, revisions

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SKAZAL = Path(sys.executable).with_name("skazal")


def test_workers_run_with_a_single_blas_thread():
    pool = start_pool(1)
    try:
        assert pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result(timeout=60) == "1"
    finally:
        pool.shutdown()


def news_folder(folder: Path, copies: int) -> list[Path]:
    """Real news texts, each copy updated with a line of its own, so every page is a distinct document."""
    folder.mkdir()
    pages = []
    for text in sorted((DATA / "texts").glob("*.txt")):
        body = text.read_text(encoding="utf-8")
        for number in range(copies):
            page = folder / f"{text.stem}-{number:03}.txt"
            page.write_text(f"{body.rstrip()}\n\nМатериал обновлён {number + 1} раз.\n", encoding="utf-8")
            pages.append(page)
    return pages


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request, tmp_path):
    """Two empty databases of one backend: one for the interrupted run, one for a clean run."""
    if request.param == "sqlite":
        yield str(tmp_path / "killed.db"), str(tmp_path / "clean.db")
        return
    names = [f"skazal_resume_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(f"{POSTGRES}/{name}" for name in names)
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def corpus_contents(url: str) -> tuple[list[str], int]:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            locations = connection.execute(select(documents.c.location).order_by(documents.c.location)).scalars()
            return list(locations), connection.execute(select(func.count()).select_from(revisions)).scalar_one()
    finally:
        store.close()


def ingest_command(url: str, folder: Path) -> list[str]:
    return [str(SKAZAL), "ingest", "--db", url, "--workers", "2", "--batch-size", "3", str(folder)]


def stored_count(url: str) -> int:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(documents)).scalar_one()
    except Exception:  # the schema may not exist yet, early in the run
        return 0
    finally:
        store.close()


@pytest.mark.slow
def test_kill_9_mid_ingest_then_resume_equals_a_clean_run(database_urls, tmp_path):
    killed, clean = database_urls
    pages = news_folder(tmp_path / "news", copies=12)
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}

    run = subprocess.Popen(ingest_command(killed, tmp_path / "news"), env=environment, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_count(killed) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    before_resume = stored_count(killed)
    assert 3 <= before_resume < len(pages), "the run was not caught in the middle"

    resumed = subprocess.run(ingest_command(killed, tmp_path / "news"), env=environment, capture_output=True,
                             text=True, timeout=300)
    with open_store(clean) as store:
        store.upgrade()
        fresh = ingest([str(tmp_path / "news")], store, IngestOptions(workers=0, batch_size=3))

    assert resumed.returncode == 0, resumed.stderr
    assert fresh.outcomes == {"new": len(pages)}
    assert f", {before_resume} unchanged," in resumed.stderr
    assert corpus_contents(killed) == corpus_contents(clean)
    assert corpus_contents(clean) == (sorted(str(page.resolve()) for page in pages), len(pages))


@pytest.mark.slow
def test_a_killed_worker_costs_only_the_pages_it_held(tmp_path):
    pages = news_folder(tmp_path / "news", copies=8)
    store = open_store(str(tmp_path / "corpus.db"))
    store.upgrade()
    killed = []

    def kill_a_worker_midway() -> None:
        # As the kernel's out-of-memory killer would, once the run is under way.
        deadline = time.monotonic() + 120
        while stored_count(str(tmp_path / "corpus.db")) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        for worker in multiprocessing.active_children():
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    killer = threading.Thread(target=kill_a_worker_midway)
    killer.start()
    try:
        first = ingest([str(tmp_path / "news")], store, IngestOptions(workers=1, batch_size=3))
        killer.join()
        second = ingest([str(tmp_path / "news")], store, IngestOptions(workers=0, batch_size=3))
        failures_left = store.failures()
    finally:
        store.close()

    assert killed
    assert first.outcomes["failed"] >= 1
    assert first.outcomes["new"] + first.outcomes["failed"] == len(pages)
    assert second.outcomes == {"stored": first.outcomes["new"], "new": first.outcomes["failed"]}
    assert failures_left == []
