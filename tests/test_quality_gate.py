"""The quality gate: no figure on the gold sets in eval/ may fall more than 0.01 below its record.

Raise the record in tests/quality_record.json when a change improves a figure. The record names each
set by its path in the shared folder, whose eval/ is the repository's eval/ and whose corpus/ is
eval/corpus/ (eval/PROVENANCE.md).
"""
import json
import shlex
import subprocess
import sys

import pytest
from conftest import EVAL, ROOT

RECORD = json.loads((ROOT / "tests" / "quality_record.json").read_text(encoding="utf-8"))
TOLERANCE = 0.01


@pytest.mark.slow
@pytest.mark.parametrize("gold", sorted(RECORD))
def test_no_figure_drops_below_its_record(gold):
    scorer = EVAL / "score.py"
    assert scorer.exists(), f"the scorer is missing: {scorer}"
    command = shlex.join([sys.executable, "-m", "skazal.cli", "extract", "--format", "jsonl"])
    run = subprocess.run(
        [sys.executable, str(scorer), str(EVAL / gold.removeprefix("eval/")), "--cmd", command, "--json"],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(run.stdout)
    dropped = {
        name: (figures.get(name, 0.0), recorded)
        for name, recorded in RECORD[gold].items()
        if figures.get(name, 0.0) < recorded - TOLERANCE
    }
    assert not dropped, f"{gold}: figures fell below the record (now, recorded): {dropped}"
