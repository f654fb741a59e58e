"""The quality gate: no figure on the shared gold sets may fall more than 0.01 below its record.

Raise the record in tests/quality_record.json when a change improves a figure.
"""
import json
import shlex
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED

RECORD = json.loads((ROOT / "tests" / "quality_record.json").read_text(encoding="utf-8"))
TOLERANCE = 0.01


@pytest.mark.slow
@pytest.mark.parametrize("gold", sorted(RECORD))
def test_no_figure_drops_below_its_record(gold):
    scorer = SHARED / "eval" / "score.py"
    assert scorer.exists(), f"the shared gold sets are missing: {scorer}"
    command = shlex.join([sys.executable, "-m", "skazal.cli", "extract", "--format", "jsonl"])
    run = subprocess.run(
        [sys.executable, str(scorer), str(SHARED / gold), "--cmd", command, "--json"],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(run.stdout)
    dropped = {
        name: (figures.get(name, 0.0), recorded)
        for name, recorded in RECORD[gold].items()
        if figures.get(name, 0.0) < recorded - TOLERANCE
    }
    assert not dropped, f"{gold}: figures fell below the record (now, recorded): {dropped}"
