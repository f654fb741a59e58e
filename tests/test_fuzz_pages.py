"""Mutated real pages through `skazal.extract`: a failure is a named error, never anything else.

The cases are seeded (reproducible); SKAZAL_FUZZ_CASES sets how many run (2,000 by default);
`scripts/fuzz-pages` runs many more and prints the figures.
"""
import os
import random

import pytest
from page_mutations import mutated, seed_pages

import skazal
from skazal.errors import SkazalError

CASES = int(os.environ.get("SKAZAL_FUZZ_CASES", "2000"))
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
