"""Reading the inputs named on the command line, one clear error per bad input."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from skazal.errors import UnreadableInput
from skazal.reading.decode import MAX_PAGE_BYTES


def read_inputs(paths: list[str]) -> Iterator[tuple[str, bytes | UnreadableInput]]:
    """Each input's name and its bytes, or the reason it cannot be read."""
    for name in paths:
        yield name, _read_one(name)


def _read_one(name: str) -> bytes | UnreadableInput:
    if name == "-":
        return sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    path = Path(name)
    if not path.exists():
        return UnreadableInput("no such file")
    if path.is_dir():
        return UnreadableInput("is a directory, not a page")
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_PAGE_BYTES + 1)
    except OSError as error:
        return UnreadableInput(error.strerror or str(error))
