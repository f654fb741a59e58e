"""What to ingest, from the names given: files, folders, WARC archives, feeds, lists of URLs, URLs.

The kind of each input is told by its content and its name. Inputs already stored are skipped
before they are read or fetched, which makes a second run cheap and a resumed run exact. A feed
item is filed under the link the feed gives; one whose page cannot be fetched or read is read from
the feed's own text of it, until its page arrives.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path

from skazal.errors import SkazalError
from skazal.ingest.feeds import FEED_SUFFIXES, FEED_TYPES, FeedItem, feed_items, looks_like_feed
from skazal.ingest.fetch import Fetched, Fetcher
from skazal.ingest.inputs import PAGE_TYPES, RawPage, failure, is_store_file
from skazal.ingest.records import BadArticleRecord, is_record_file, read_records
from skazal.ingest.tracking import without_tracking
from skazal.ingest.warc import is_warc, read_warc
from skazal.reading.decode import MAX_PAGE_BYTES
from skazal.records import Failure

FETCH_THREADS = 8


@dataclass(frozen=True)
class AlreadyStored:
    location: str


Item = RawPage | Failure | AlreadyStored


def read_sources(names: Iterable[str], fetcher: Fetcher, is_stored: Callable[[str], bool]) -> Iterator[Item]:
    """Every page the named sources hold, read or fetched; a `Failure` for each one that cannot be."""
    reader = _Reader(fetcher, is_stored)
    for urls, group in groupby(names, key=is_url):
        if urls:
            yield from reader.urls(group, feeds_too=True)
        else:
            for name in group:
                yield from reader.source(name)


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def file_kind(path: Path) -> str:
    """"warc", "records" (article records: .jsonl, .csv), "feed", "urls" (a list of URLs, one a line) or "page"."""
    if is_warc(path):
        return "warc"
    if is_record_file(path):
        return "records"
    with path.open("rb") as handle:
        head = handle.read(4096)
    if path.suffix.lower() in FEED_SUFFIXES or looks_like_feed(head):
        return "feed"
    lines = head.decode("utf-8", errors="replace").splitlines()
    if len(head) == 4096:
        lines = lines[:-1]  # the last line may be cut short
    urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if urls and all(is_url(url) and " " not in url for url in urls):
        return "urls"
    return "page"


def folder_files(folder: Path) -> Iterator[Path]:
    """The files under `folder` in the order of their sorted paths, listed a folder at a time, so that the
    first pages are read while the rest is still to be listed; hidden files and folders left out, folders
    linked to not followed, a folder that cannot be listed skipped (as `Path.rglob` does)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from folder_files(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


class _Reader:
    def __init__(self, fetcher: Fetcher, is_stored: Callable[[str], bool]) -> None:
        self.fetcher = fetcher
        self.is_stored = is_stored

    def source(self, name: str) -> Iterator[Item]:
        path = Path(name)
        if path.is_dir():
            for file in folder_files(path):
                yield from self._file(file)
        elif path.is_file():
            yield from self._file(path)
        else:
            yield failure(name, "no such file, folder or URL")

    def _file(self, path: Path) -> Iterator[Item]:
        if is_store_file(path):
            return
        try:
            yield from self._file_of_kind(path, file_kind(path))
        except OSError as error:
            yield failure(str(path), error.strerror or str(error))

    def _file_of_kind(self, path: Path, kind: str) -> Iterator[Item]:
        if kind == "warc":
            yield from self._warc(path)
        elif kind == "records":
            yield from self._records(path)
        elif kind == "feed":
            yield from self._feed(str(path), path.read_bytes(), None)
        elif kind == "urls":
            urls = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
            yield from self.urls((url for url in urls if url and not url.startswith("#")), feeds_too=True)
        else:
            yield from self._page_file(path)

    def _page_file(self, path: Path) -> Iterator[Item]:
        location = str(path.resolve())
        if self.is_stored(location):
            yield AlreadyStored(location)
            return
        with path.open("rb") as handle:
            yield RawPage(location=location, url=None, content=handle.read(MAX_PAGE_BYTES + 1))

    def _records(self, path: Path) -> Iterator[Item]:
        """Each article record a page, at "<file>#<its id>" (or its number in the file, when it has none)."""
        for number, record in enumerate(read_records(path), start=1):
            if isinstance(record, BadArticleRecord):
                yield failure(f"{path.resolve()}#{number}", str(record))
                continue
            location = f"{path.resolve()}#{record.id or number}"
            if self.is_stored(location):
                yield AlreadyStored(location)
                continue
            yield RawPage(location=location, url=record.url or None, content=record.page_text.encode("utf-8"),
                          outlet=record.outlet, published=record.published, title=record.title or None)

    def _warc(self, path: Path) -> Iterator[Item]:
        for item in read_warc(path.resolve()):
            if isinstance(item, RawPage) and self.is_stored(item.location):
                yield AlreadyStored(item.location)
            else:
                yield item

    def _feed(self, location: str, content: bytes, base_url: str | None) -> Iterator[Item]:
        try:
            items = feed_items(content, base_url)
        except SkazalError as error:
            yield failure(location, str(error))
            return
        yield from self.urls((item.link for item in items), feeds_too=False,
                             feed_texts={item.link: item for item in items})

    def urls(self, urls: Iterable[str], feeds_too: bool, feed_texts: Mapping[str, FeedItem] | None = None
             ) -> Iterator[Item]:
        """Fetch pages several at a time (the fetcher keeps each host to one request at a time), in order,
        each at its address without tracking parameters.

        With `feeds_too`, a URL that turns out to be a feed brings in its items. A URL of `feed_texts`
        is read from its feed text when it cannot be fetched as a page, or read, instead of failing.
        """
        feed_texts = feed_texts or {}
        asked: set[str] = set()
        waiting: deque[tuple[str, Future]] = deque()
        with ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="fetch") as threads:
            for url in map(without_tracking, urls):
                if url in asked or self.is_stored(url):
                    yield AlreadyStored(url)
                    continue
                asked.add(url)
                waiting.append((url, threads.submit(self.fetcher.fetch, url)))
                if len(waiting) >= FETCH_THREADS:
                    yield from self._fetched(*waiting.popleft(), feeds_too, feed_texts)
            while waiting:
                yield from self._fetched(*waiting.popleft(), feeds_too, feed_texts)

    def _fetched(self, url: str, fetch: Future, feeds_too: bool, feed_texts: Mapping[str, FeedItem]
                 ) -> Iterator[Item]:
        try:
            fetched = fetch.result()
        except SkazalError as error:
            yield _or_feed_text(failure(url, str(error)), feed_texts.get(url))
            return
        except Exception as error:  # the ingest edge: one URL's fault must not stop the run
            yield failure(url, f"internal error: {type(error).__name__}: {error}")
            return
        content_type = (fetched.content_type or "").lower()
        if feeds_too and (content_type.startswith(FEED_TYPES) or looks_like_feed(fetched.content)):
            yield from self._feed(url, fetched.content, fetched.url)
            return
        yield _or_feed_text(self._page(url, fetched), feed_texts.get(url))

    def _page(self, location: str, fetched: Fetched) -> RawPage | Failure:
        content_type = (fetched.content_type or "text/html").lower()
        if not content_type.startswith(PAGE_TYPES):
            return failure(location, f"not a page (content type {content_type.split(';')[0]})")
        return RawPage(location=location, url=fetched.url, content=fetched.content, fetched_at=fetched.fetched_at)


def _or_feed_text(page: RawPage | Failure, item: FeedItem | None) -> RawPage | Failure:
    """A feed item's page at the item's link, its feed text to read when the page cannot be read; its feed
    text alone when the page could not be fetched. Filed under the link, a page the link redirects to
    replaces the item's feed text, and a later run of the feed finds it stored."""
    if item is None:
        return page
    if isinstance(page, Failure):
        return feed_text_page(item)
    return replace(page, url=item.link, fallback=feed_text_page(item))


def feed_text_page(item: FeedItem) -> RawPage:
    """A feed item's own text as its page, at its link: what the store keeps until the page itself is fetched."""
    return RawPage(location=item.link, url=item.link, content=item.page_text.encode("utf-8"), published=item.published,
                   title=item.title, feed_text=True)
