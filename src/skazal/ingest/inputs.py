"""What the sources hand to the workers: a page's raw bytes and where they came from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from skazal.records import Failure

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class RawPage:
    location: str  # what was read: a URL, a file path, "archive.warc.gz#<record id>"
    url: str | None  # the page's address, when known
    content: bytes
    fetched_at: str | None = None


def failure(location: str, reason: str) -> Failure:
    """A quarantine record for `location`, stamped now."""
    return Failure(location=location, reason=reason, at=datetime.now(UTC).isoformat(timespec="seconds"))
