"""Crash safety (issue 10): `skazal ingest` killed with SIGKILL at each named point and at random moments,
on SQLite and on PostgreSQL, or its PostgreSQL backend ended mid-run; resumed, the store is a clean run's:
the same content hash, nothing lost, nothing twice, no document half stored, the integrity checks ok.
scripts/kill-ingest runs hundreds of these kills."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass

import pytest
from kill_harness import (
    NAMED_POINTS,
    Comparison,
    Contents,
    compare,
    contents,
    ended,
    has_schema,
    kill_at_random,
    kill_while_writing,
    migration_statements,
    page_files,
    run_ingest,
    start_ingest,
    stored_documents,
    terminate_backend_while_writing,
)
from store_fixtures import BACKENDS, fresh_database

PAGES = 12  # six batches of two
WHOLE_AND_ONCE = Comparison(lost=0, duplicated=0, partial=0, integrity="ok", same_hash=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return page_files(tmp_path_factory.mktemp("kill") / "pages", PAGES)


@dataclass(frozen=True)
class CleanRun:
    contents: Contents
    seconds: float


@pytest.fixture(scope="module")
def clean(pages, tmp_path_factory) -> CleanRun:
    """What a run never killed stores (on SQLite; PostgreSQL's stores must be the same), and how long it took."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("clean")) as url:
        started = time.monotonic()
        run = run_ingest(url, pages)
        assert run.returncode == 0 and run.stderr.endswith(f"): {PAGES} new, 0 unchanged, 0 failed\n"), run.stderr
        return CleanRun(contents=contents(url), seconds=time.monotonic() - started)


def assert_resumes_to_the_clean_store(url, pages, clean) -> None:
    stored = stored_documents(url)
    resumed = run_ingest(url, pages)
    assert resumed.returncode == 0, resumed.stderr
    assert f", {stored} unchanged," in resumed.stderr  # what was committed before the kill is not done again
    assert compare(contents(url), clean.contents) == WHOLE_AND_ONCE


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_killed_at_each_named_point_every_stored_page_is_whole_and_a_resume_ends_as_a_clean_run(
        backend, pages, clean, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        for point in NAMED_POINTS:
            before = stored_documents(url)
            run = run_ingest(url, pages, kill_at=point)
            assert run.killed, f"{point} was not reached: {run.stderr}"
            if point.startswith("during-migration"):
                assert not has_schema(url)  # the migration is undone whole, never left half done
            else:  # the kill came in the second batch: the first was committed
                assert before < stored_documents(url) < PAGES, point
            assert compare(contents(url), clean.contents, finished=False) == WHOLE_AND_ONCE, point
        assert_resumes_to_the_clean_store(url, pages, clean)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_killed_at_random_moments_a_resume_ends_as_a_clean_run(backend, pages, clean, tmp_path):
    rng = random.Random(f"kill-{backend}")
    with fresh_database(backend, tmp_path) as url:
        # At any moment of the first ~60% of a run's time (reading the models, migrating, writing) ...
        first = kill_at_random(url, pages, rng, span=0.6 * clean.seconds)
        # ... and while it writes: a batch committed, the next being analysed or written.
        second = kill_while_writing(url, pages, rng, window=0.5)
        assert first.killed and second.killed
        assert compare(contents(url), clean.contents, finished=False) == WHOLE_AND_ONCE
        assert_resumes_to_the_clean_store(url, pages, clean)


@pytest.mark.slow
def test_its_postgresql_backend_ended_again_and_again_the_ingest_reconnects_and_ends_as_a_clean_run(
        pages, clean, tmp_path):
    # It stopped at the first statement after the loss ("cannot use the database: terminating connection
    # due to administrator command"), to be resumed by hand. Backends are ended while idle, as a server
    # ending idle sessions or restarting between statements does; ended inside a batch write, see
    # tests/test_reliability_reconnect.py (a statement of a lone read in flight still stops the run).
    with fresh_database("postgresql", tmp_path) as url:
        terminated, run = terminate_backend_while_writing(url, pages, random.Random("terminate"), window=1.0, times=4,
                                                          idle_only=True)
        assert terminated >= 2
        assert (run.returncode, "Traceback" in run.stderr) == (0, False), run.stderr
        assert compare(contents(url), clean.contents) == WHOLE_AND_ONCE  # with no resume


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_two_ingests_started_at_once_on_a_new_database_end_cleanly_and_the_store_is_a_clean_runs(
        backend, pages, clean, tmp_path):
    # On PostgreSQL the second died with a traceback: both created the schema (a duplicate alembic_version).
    with fresh_database(backend, tmp_path) as url:
        started = [start_ingest(url, pages) for _ in range(2)]
        runs = [ended(run) for run in started]
        for run in runs:
            assert run.clean_ending, run.stderr
            if run.returncode:  # it may fail, if it waited too long, but in one line
                (said,) = run.stderr.splitlines()
                assert said.startswith("skazal: ")
        assert 0 in [run.returncode for run in runs]
        assert compare(contents(url), clean.contents) == WHOLE_AND_ONCE


@pytest.mark.slow
def test_pages_ingested_in_the_reverse_order_give_the_same_content_hash(pages, clean, tmp_path):
    url = str(tmp_path / "corpus.db")
    run = run_ingest(url, pages[::-1])
    assert run.returncode == 0, run.stderr
    reversed_order = contents(url)
    assert reversed_order.digest == clean.contents.digest
    assert compare(reversed_order, clean.contents) == WHOLE_AND_ONCE


@pytest.mark.slow
def test_the_migration_kill_point_is_not_reached_after_the_migration(pages, clean, tmp_path):
    # One statement past the migrations': an ingest's own statements must not count towards it.
    past_the_migrations = migration_statements("sqlite") + 1
    url = str(tmp_path / "corpus.db")
    run = run_ingest(url, pages, kill_at=f"during-migration:{past_the_migrations}")
    assert not run.killed and run.returncode == 0, run.stderr
    assert compare(contents(url), clean.contents) == WHOLE_AND_ONCE
