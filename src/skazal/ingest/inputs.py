"""What the sources hand to the workers: a page's raw bytes and where they came from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from skazal.records import Failure

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
SQLITE_HEADER = b"SQLite format 3\x00"
STORE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal")
# What SQLite keeps beside a database file, under the database's own name.
COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class RawPage:
    location: str  # what was read: a URL, a file path, "archive.warc.gz#<record id>", "articles.jsonl#<id>"
    url: str | None  # the page's address, when known
    content: bytes
    fetched_at: str | None = None
    # What an article record gives beside its text, kept over what reading the text finds:
    outlet: str | None = None  # "ТАСС"
    published: str | None = None  # "2020-05-03T10:53Z", or a date alone
    title: str | None = None
    feed_text: bool = False  # a feed's own text of an item, standing in for its page until that is fetched
    fallback: RawPage | None = None  # what to read instead when this cannot be read: a feed's text of the item


def failure(location: str, reason: str) -> Failure:
    """A quarantine record for `location`, stamped now."""
    return Failure(location=location, reason=reason, at=datetime.now(UTC).isoformat(timespec="seconds"))


def is_store_file(path: Path) -> bool:
    """Whether `path` is a database (a *.db file, or any file SQLite wrote, whatever its name) or the log,
    shared memory or journal beside one: `skazal ingest .` run beside its corpus must not read the corpus."""
    name = path.name.lower()
    if name.endswith(STORE_SUFFIXES):
        return True
    for companion in COMPANIONS:
        if name.endswith(companion) and len(name) > len(companion):
            return _is_sqlite(path.with_name(path.name[: -len(companion)]))
    return _is_sqlite(path)


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
