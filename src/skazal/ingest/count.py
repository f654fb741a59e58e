"""How many pages the inputs of a run hold, where that is known without reading them: the total a
progress bar shows beside its ETA.

A folder is counted by walking it, one page a file, by file names alone (a folder of 100,000 pages is
not read twice). A file named on its own is told by its first bytes, as the run tells it, and a list
of URLs counts its lines. A feed, a WARC archive and a file of article records hold a number of pages
that only reading them tells: one of them among the inputs and the total is unknown (None).
"""
from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from skazal.ingest.feeds import FEED_SUFFIXES
from skazal.ingest.inputs import COMPANIONS, STORE_SUFFIXES, is_store_file
from skazal.ingest.records import RECORD_SUFFIXES
from skazal.ingest.sources import file_kind, folder_files, is_url

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")  # a page by its name: its first bytes need not be read
MANY_PAGES_SUFFIXES = FEED_SUFFIXES + RECORD_SUFFIXES + (".warc", ".warc.gz", ".warc.gzip")
FEED_WORDS = frozenset({"rss", "feed", "feeds", "atom"})  # a URL path segment that names a feed: /rss/news


def count_pages(names: Iterable[str]) -> int | None:
    """The pages the inputs hold (a missing input counts one: its failure), or None when unknown."""
    total = 0
    for name in names:
        count = _url(name) if is_url(name) else _path(Path(name))
        if count is None:
            return None
        total += count
    return total


def _url(url: str) -> int | None:
    path = urlsplit(url).path.lower()
    if path.endswith(FEED_SUFFIXES) or FEED_WORDS & set(path.split("/")):
        return None
    return 1


def _path(path: Path) -> int | None:
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            return _folder(path)
        return _file(path) if stat.S_ISREG(mode) else 1
    except OSError:  # missing or unreadable: the run fails it, once
        return 1


def _file(path: Path) -> int | None:
    name = path.name.lower()
    if name.endswith(PAGE_SUFFIXES):
        return 1
    if is_store_file(path):
        return 0
    kind = file_kind(path)
    if kind == "urls":
        return _url_list(path)
    return 1 if kind == "page" else None


def _url_list(path: Path) -> int | None:
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        url = line.strip()
        if url and not url.startswith("#"):
            if _url(url) is None:
                return None
            total += 1
    return total


def _folder(folder: Path) -> int | None:
    """Its files one page each, by their names alone; hidden files and folders and the store's files left
    out, as the run leaves them."""
    total = 0
    for path in folder_files(folder):  # the run's own listing: the same files, hidden ones left out
        lowered = path.name.lower()
        if lowered.endswith(STORE_SUFFIXES + COMPANIONS):
            continue
        if lowered.endswith(MANY_PAGES_SUFFIXES):
            return None
        total += 1
    return total
