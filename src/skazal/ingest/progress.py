"""Progress of a run on stderr: a live bar on a terminal, one line per failure always."""
from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from skazal.records import Failure

LOADING_MODELS = "loading the language models…"


class Silent:
    """Progress that shows nothing: for library use and tests."""

    def advance(self, outcome: str) -> None:
        pass

    def failed(self, failure: Failure, advanced: bool = False) -> None:
        """An input failed; `advanced`: it was counted done already (read, then refused by the store)."""

    def models_loading(self) -> None:
        """Pages wait on natasha's models, which load in the first seconds of a run."""

    def models_ready(self) -> None:
        pass

    def close(self) -> None:
        pass


class ProgressBar(Silent):
    """Pages done, pages per second and errors so far, and with a known `total` the share done and an
    ETA; the bar is drawn only when stderr is a terminal and is gone once the run ends."""

    def __init__(self, total: int | None = None) -> None:
        self.console = Console(stderr=True)
        self.started = time.monotonic()
        self.total = total
        self.done = 0
        self.errors = 0
        self.doing: str | None = None
        self.models_were_ready = False
        self.progress = Progress(
            *self._columns(),
            console=self.console,
            disable=not sys.stderr.isatty(),
            transient=True,
            redirect_stdout=sys.stdout.isatty(),  # else what is printed to a file or a pipe would go to stderr
        )
        self.task = self.progress.add_task("ingest", total=total, summary=self._summary())
        self.progress.start()

    def _columns(self) -> tuple:
        summary, elapsed = TextColumn("{task.fields[summary]}"), _Elapsed(self.started)
        if self.total is None:
            return SpinnerColumn(), summary, elapsed
        return SpinnerColumn(), BarColumn(), summary, elapsed, TextColumn("ETA"), TimeRemainingColumn()

    def _summary(self) -> str:
        if self.total is None:
            done = f"{self.done:,} pages"
        else:
            done = f"{self.done:,}/{self.total:,} pages ({self.done / max(self.total, 1):.0%})"
        if self.doing:
            return f"{done}, {self.doing}"
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        return f"{done}, {rate:.1f} pages/s, {self.errors} error{'' if self.errors == 1 else 's'}"

    def _update(self) -> None:
        if self.total is not None and self.done > self.total:  # an input held more pages than its name told
            self.total = None
            self.progress.columns = self._columns()
            self.progress.remove_task(self.task)  # a task's total cannot go back to unknown
            self.task = self.progress.add_task("ingest", total=None, summary="")
        self.progress.update(self.task, completed=self.done, summary=self._summary())

    def advance(self, outcome: str) -> None:
        self.done += 1
        self._update()

    def failed(self, failure: Failure, advanced: bool = False) -> None:
        self.errors += 1
        self.done += 0 if advanced else 1
        self._update()
        if self.progress.disable:
            print(f"skazal: {failure.location}: {failure.reason}", file=sys.stderr, flush=True)
        else:
            self.console.print(f"skazal: {failure.location}: {failure.reason}", markup=False, highlight=False)

    def models_loading(self) -> None:
        if not self.models_were_ready and self.doing is None:
            self.doing = LOADING_MODELS
            self._update()

    def models_ready(self) -> None:
        self.models_were_ready = True
        if self.doing is not None:
            self.doing = None
            self._update()

    def close(self) -> None:
        self.progress.stop()


class _Elapsed(ProgressColumn):
    """The run's time so far (a task's own clock would start again when the total turns out unknown)."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started

    def render(self, task) -> Text:
        minutes, seconds = divmod(int(time.monotonic() - self.started), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(f"{hours}:{minutes:02d}:{seconds:02d}", style="progress.elapsed")
