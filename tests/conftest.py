from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# The gold sets, pages and scorer copied from the shared folder (eval/PROVENANCE.md): its eval/ is
# EVAL, its corpus/ is EVAL / "corpus".
EVAL = ROOT / "eval"
CORPUS = EVAL / "corpus"


@pytest.fixture(scope="session")
def seed_page():
    """The page skazal began from: a Zerkalo article saved as text."""
    import skazal

    return skazal.extract((DATA / "texts" / "zerkalo-lukashenko-it.txt").read_text(encoding="utf-8"))
