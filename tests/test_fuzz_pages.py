"""Mutated real pages through `skazal.extract`, and through `skazal ingest` (worker processes under the
page budget, into SQLite and PostgreSQL): a failure is a named error, never anything else.

The cases are seeded (reproducible); SKAZAL_FUZZ_CASES sets how many run through extract (2,000 by
default), SKAZAL_FUZZ_INGEST_CASES how many through ingest (160, half on each backend);
`scripts/fuzz-pages` runs many more and prints the figures. Every case it found crashing is kept under
tests/data/reliability/crashers and read again here.
"""
import os
import random

import pytest
from kill_harness import contents
from page_mutations import DATA, UNNAMED_FAILURES, mutated, mutated_page_files, seed_pages
from store_fixtures import BACKENDS, fresh_database

import skazal
from skazal.errors import SkazalError
from skazal.ingest import ingest
from skazal.ingest.workers import Workers
from skazal.reading.dates import parse_date
from skazal.store import open_store

CASES = int(os.environ.get("SKAZAL_FUZZ_CASES", "2000"))
INGEST_CASES = int(os.environ.get("SKAZAL_FUZZ_INGEST_CASES", "160"))
SEED = 20261202
BATCHES = 8
CRASHERS = DATA / "reliability" / "crashers"  # the cases the fuzzing found crashing, kept (see its README)


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


@pytest.mark.parametrize("page", sorted(CRASHERS.glob("*.html")), ids=lambda path: path.stem)
def test_each_page_the_fuzzing_found_crashing_is_read(page):
    assert skazal.extract(page.read_bytes()).quotes


def test_a_stated_time_in_a_zone_no_clock_has_is_read_as_its_day():
    # The time of fuzz-seed-5-case-4820.html, one bit flipped ("+02:00" made "+42:00").
    assert [parse_date(f"2011-12-08T17:50:11{zone}") for zone in ("+02:00", "+14:00", "+42:00", "+03:75")] == [
        "2011-12-08T17:50:11+02:00", "2011-12-08T17:50:11+14:00", "2011-12-08", "2011-12-08"]


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
