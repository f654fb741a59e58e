"""Polling feeds: ingest their new items every so often."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from skazal.ingest.run import IngestOptions, IngestReport, ingest
from skazal.ingest.workers import Workers


def watch(feeds: Sequence[str], store, interval: float, max_polls: int | None = None,
          options: IngestOptions | None = None, progress=None) -> IngestReport:
    """Ingest `feeds` every `interval` seconds, `max_polls` times (None: until interrupted); the totals."""
    options = options or IngestOptions()
    totals: Counter[str] = Counter()
    polls = 0
    # One pool for every poll: the workers load their models once.
    with Workers(options.workers) as workers:
        while max_polls is None or polls < max_polls:
            if polls:
                time.sleep(interval)
            totals.update(ingest(feeds, store, options, progress, workers).outcomes)
            polls += 1
    return IngestReport(outcomes=dict(totals))
