"""Named points where the crash-safety harness kills ingest (tests/test_reliability_kill.py,
scripts/kill-ingest): SKAZAL_KILL_AT=POINT[:N] has the process SIGKILL itself the N-th time it
reaches POINT (after-begin, mid-batch, after-commit, during-migration). Unset, a point costs one
comparison."""
from __future__ import annotations

import os
import signal


def _kill_at(value: str) -> tuple[str, int] | None:
    point, _, times = value.partition(":")
    return (point, int(times or 1)) if point else None


KILL_AT = _kill_at(os.environ.get("SKAZAL_KILL_AT", ""))
_reached: dict[str, int] = {}


def kill_point(point: str) -> None:
    """Die here, as a power cut or the OOM killer would, if the harness asked for this point."""
    if KILL_AT is None or KILL_AT[0] != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] == KILL_AT[1]:
        os.kill(os.getpid(), signal.SIGKILL)
