"""Progress of a run on stderr: a live bar on a terminal, one line per failure always."""
from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from skazal.records import Failure


class Silent:
    """Progress that shows nothing: for library use and tests."""

    def advance(self, outcome: str) -> None:
        pass

    def failed(self, failure: Failure) -> None:
        pass

    def close(self) -> None:
        pass


class ProgressBar(Silent):
    """Pages done, pages per second and errors so far; the bar is drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.started = time.monotonic()
        self.done = 0
        self.errors = 0
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.fields[summary]}"),
            TimeElapsedColumn(),
            console=self.console,
            disable=not sys.stderr.isatty(),
            transient=False,
        )
        self.task = self.progress.add_task("ingest", total=None, summary=self._summary())
        self.progress.start()

    def _summary(self) -> str:
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        return f"{self.done} pages, {rate:.1f} pages/s, {self.errors} errors"

    def advance(self, outcome: str) -> None:
        self.done += 1
        self.progress.update(self.task, summary=self._summary())

    def failed(self, failure: Failure) -> None:
        self.errors += 1
        self.progress.update(self.task, summary=self._summary())
        if self.progress.disable:
            print(f"skazal: {failure.location}: {failure.reason}", file=sys.stderr, flush=True)
        else:
            self.console.print(f"skazal: {failure.location}: {failure.reason}", markup=False, highlight=False)

    def close(self) -> None:
        self.progress.stop()
