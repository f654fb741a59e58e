"""Ingest throughput: real news pages, repeated with varied URLs, from a WARC archive into each backend.

The pages are the 13 real pages of eval/corpus/html-modern (copied from ../shared/corpus); each
copy gets its own URL on its own outlet and one added sentence in its article text, so every copy
is a distinct document (a copy of the same text would be stored as a mere duplicate, which costs
almost nothing to write).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/ingest_bench.py                  # 10,000 pages, both backends
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/ingest_bench.py --pages 1000 --backend sqlite
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/ingest_bench.py --pages 2000 --workers 1 2   # 1 and 2 workers

Reports pages/s (and per core), the peak resident memory of the parent and its workers together,
and where the time goes (reading, NLP, writing), measured on a sample run in one process.
Not a test: the figures go to stdout, and as JSON to --json.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from fastwarc.warc import WarcRecord, WarcRecordType

import skazal.pipeline
from skazal.ingest import FetchOptions, IngestOptions, ingest
from skazal.ingest import workers as ingest_workers
from skazal.pipeline import extract
from skazal.store import open_store

ROOT = Path(__file__).resolve().parent.parent
# The shared corpus as copied into eval/corpus (eval/PROVENANCE.md), the shared folder where it is missing.
MODERN = ROOT / "eval" / "corpus" / "html-modern"
if not (MODERN / "index.jsonl").exists():
    MODERN = ROOT.parent / "shared" / "corpus" / "html-modern"
SKAZAL = Path(sys.executable).with_name("skazal")
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
MARK = "Обновлено в 12:00"
SAMPLE = 130  # pages in the one-process run that splits the time by stage


def templates() -> list[tuple[str, bytes, bytes]]:
    """(url, html before the insertion point, html after it) for each real page.

    The insertion point follows a sentence of the extracted article text; a page is kept only when
    a sentence inserted there shows in the article text read back.
    """
    found = []
    for line in (MODERN / "index.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        url = (entry.get("url") or f"https://{entry['outlet']}/news/").split()[0]
        html = (MODERN / entry["file"]).read_bytes()
        text = html.decode("utf-8", errors="replace")
        for sentence in extract(html, url=url).body.split(". "):
            if len(sentence) < 40 or sentence not in text:
                continue
            at = len(text[: text.rindex(sentence) + len(sentence)].encode("utf-8"))
            if MARK in extract(html[:at] + f" {MARK}".encode() + html[at:], url=url).body:
                found.append((url, html[:at], html[at:]))
                break
    return found


def write_archive(path: Path, pages: int) -> None:
    """A gzipped WARC of `pages` response records, one gzip member each, as crawlers write them."""
    pieces = templates()
    with path.open("wb") as archive:
        for number in range(pages):
            url, before, after = pieces[number % len(pieces)]
            parts = urlsplit(url)
            varied = f"{parts.scheme}://m{number % 97}.{parts.netloc}{parts.path.rstrip('/')}-{number}/"
            html = before + f" Обновлено в {number % 24}:{number % 60:02} ({number})".encode() + after
            archive.write(gzip.compress(_record(varied, html), compresslevel=6))


def _record(url: str, html: bytes) -> bytes:
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


class MemoryWatch:
    """Peak resident memory of this process's descendants together, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            # The command and its workers: this process, which loaded models for the sample, is left out.
            self.peak = max(self.peak, sum(_rss(pid) for pid in _family(os.getpid())[1:]))

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def _family(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    family, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        family += frontier
    return family


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Timed:
    """Wraps a function and adds up the seconds spent in it."""

    def __init__(self, function) -> None:
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def stage_shares(archive: Path, database: str) -> dict[str, float]:
    """Reading, NLP, writing and the rest, as shares of a one-process run over the archive's first pages."""
    store = open_store(database)
    store.upgrade()
    reading = Timed(skazal.pipeline.read_page)
    analysing = Timed(ingest_workers.analyse_article)
    writing = Timed(store.save_pages)
    skazal.pipeline.read_page = reading
    store.save_pages = writing
    ingest_workers.analyse_article = analysing
    try:
        started = time.perf_counter()
        ingest([str(archive)], store, IngestOptions(workers=0, batch_size=50, fetch=FetchOptions()))
        total = time.perf_counter() - started
    finally:
        skazal.pipeline.read_page = reading.function
        ingest_workers.analyse_article = analysing.function
        store.close()
    nlp = analysing.seconds
    return {
        "reading": reading.seconds / total,
        "nlp": nlp / total,
        "writing": writing.seconds / total,
        "other": (total - reading.seconds - nlp - writing.seconds) / total,
    }


def run(database: str, archive: Path, pages: int, workers: int) -> dict:
    """`skazal ingest` on the archive, as a user runs it; its memory is the command's and its workers'."""
    command = [str(SKAZAL), "ingest", "--db", database, "--workers", str(workers), "--batch-size", "50", str(archive)]
    with MemoryWatch() as memory:
        started, cpu_started = time.perf_counter(), _children_cpu_seconds()
        finished = subprocess.run(command, capture_output=True, text=True,
                                  env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
        seconds, cpu_seconds = time.perf_counter() - started, _children_cpu_seconds() - cpu_started
    return {
        "pages": pages,
        "workers": workers,
        "seconds": round(seconds, 1),
        "pages_per_second": round(pages / seconds, 2),
        "pages_per_second_per_core": round(pages / seconds / workers, 2),
        # on a machine shared with other work the wall clock counts their time too
        "cpu_seconds": round(cpu_seconds, 1),
        "pages_per_cpu_second": round(pages / cpu_seconds, 2),
        "peak_memory_mb": round(memory.peak_mb),
        "summary": finished.stderr.strip().splitlines()[-1] if finished.stderr.strip() else "",
    }


def _children_cpu_seconds() -> float:
    """CPU seconds of the finished child processes and the descendants they waited for (the
    command and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def databases(backend: str, folder: Path):
    """(name, url) of a fresh database per backend asked for; PostgreSQL ones are dropped afterwards."""
    if backend in ("sqlite", "both"):
        yield "sqlite", str(folder / "bench.db")
    if backend in ("postgresql", "both"):
        name = f"skazal_ingest_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield "postgresql", f"{POSTGRES_SERVER}/{name}"
        finally:
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[os.cpu_count() or 1],
                        help="worker counts to run, each on a fresh database (default: one per core)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        archive, sample = folder / "crawl.warc.gz", folder / "sample.warc.gz"
        write_archive(archive, args.pages)
        write_archive(sample, min(SAMPLE, args.pages))
        figures["stage_shares"] = {k: round(v, 3) for k, v in stage_shares(sample, str(folder / "sample.db")).items()}
        print("time by stage (one process, first", min(SAMPLE, args.pages), "pages):", figures["stage_shares"])
        for workers in args.workers:
            (folder / str(workers)).mkdir()
            for backend, database in databases(args.backend, folder / str(workers)):
                figures[f"{backend}, {workers} workers"] = run(database, archive, args.pages, workers)
                print(backend, figures[f"{backend}, {workers} workers"], flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
