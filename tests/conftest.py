from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_page():
    """The page skazal began from: a Zerkalo article saved as text."""
    import skazal

    return skazal.extract((DATA / "texts" / "zerkalo-lukashenko-it.txt").read_text(encoding="utf-8"))
