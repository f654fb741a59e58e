"""Ingesting pages into the corpus: files, folders, WARC archives, feeds and URLs, in parallel."""
from skazal.ingest.fetch import Fetcher, FetchFailed, FetchOptions, FetchRefused
from skazal.ingest.run import IngestOptions, IngestReport, ingest
from skazal.ingest.watch import watch

__all__ = [
    "FetchFailed",
    "FetchOptions",
    "FetchRefused",
    "Fetcher",
    "IngestOptions",
    "IngestReport",
    "ingest",
    "watch",
]
