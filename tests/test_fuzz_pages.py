"""Mutated real pages through `skazal.extract`, and through `skazal ingest` (worker processes under the
page budget, into SQLite and PostgreSQL): a failure is a named error, never anything else.

The cases are seeded (reproducible); SKAZAL_FUZZ_CASES sets how many run through extract (2,000 by
default), SKAZAL_FUZZ_INGEST_CASES how many through ingest (160, half on each backend);
`scripts/fuzz-pages` runs many more and prints the figures.
"""
import os
import random

import pytest
from kill_harness import contents
from page_mutations import UNNAMED_FAILURES, mutated, mutated_page_files, seed_pages
from store_fixtures import BACKENDS, fresh_database

import skazal
from skazal.errors import SkazalError
from skazal.ingest import ingest
from skazal.ingest.workers import Workers
from skazal.store import open_store

CASES = int(os.environ.get("SKAZAL_FUZZ_CASES", "2000"))
INGEST_CASES = int(os.environ.get("SKAZAL_FUZZ_INGEST_CASES", "160"))
SEED = 20261202
BATCHES = 8


@pytest.mark.parametrize("batch", range(BATCHES))
def test_mutated_pages_read_or_fail_with_a_named_error(batch):
    pages = seed_pages()
    rng = random.Random(SEED + batch)
    unnamed = []
    for case in range(CASES // BATCHES):
        page = mutated(rng, rng.choice(pages))
        try:
            skazal.extract(page)
        except SkazalError:
            pass
        except Exception as error:  # noqa: BLE001 - any other exception is the bug this test finds
            unnamed.append(f"seed {SEED + batch} case {case}: {type(error).__name__}: {error}")
    assert unnamed == []


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_mutated_pages_through_ingest_are_stored_or_quarantined_with_a_named_reason(backend, tmp_path):
    rng = random.Random(f"{SEED}-ingest-{backend}")
    files = mutated_page_files(rng, seed_pages(), INGEST_CASES // len(BACKENDS), tmp_path / "pages")
    with fresh_database(backend, tmp_path) as url:
        with open_store(url) as store, Workers(2) as workers:
            store.upgrade()
            report = ingest([str(tmp_path / "pages")], store, workers=workers)
            failures = store.failures()
            again = ingest([str(tmp_path / "pages")], store, workers=workers)
        assert sum(report.outcomes.values()) == len(files)  # every page stored or quarantined, none lost
        assert [f"{f.location}: {f.reason}" for f in failures if f.reason.startswith(UNNAMED_FAILURES)] == []
        assert again.outcomes.get("stored", 0) == len(files) - report.failed  # a resume adds nothing
        assert contents(url).integrity == "ok"
