#!/usr/bin/env python3
"""Load on the web UI while `skazal ingest` writes into the same store, on SQLite and on PostgreSQL.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/load_while_ingest.py [--backend both] [--clients 4]
        [--seed-pages 10] [--seconds 120]

Per backend: a fresh store gets the first real pages of tests/data/html (eval/corpus/html-modern and
more), `skazal serve` answers from it on 127.0.0.1 (read-only, as it runs), and client threads request
search, speaker, article, quote-list and API search pages in turn. First for `--idle-seconds` with
nothing writing (the peer: the same pages, the same store, the same run), then while an ingest of the
other pages writes into the store (one worker process, batches of two pages), until it ends or
`--seconds` pass. Prints, per page kind and phase: requests, non-2xx (and failed connections), p50 and
p99 in ms; and how the ingest ended. Bounded: loopback only, a few clients, one request at a time each.
The machine is shared and noisy; compare the two phases of one run, not runs.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from store_fixtures import BACKENDS, fresh_database  # noqa: E402

SKAZAL = Path(sys.executable).with_name("skazal")
PAGES = sorted((ROOT / "tests" / "data" / "html").glob("*.html"))
SEARCHED = ("заявил", "президент", "России", "сказал")


@dataclass
class Tally:
    """What the clients saw of one phase: per page kind, each answer's latency and whether it was a 2xx."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.seconds[kind].append(seconds)
            self.failed[kind] += not ok


def page_kinds(base: str) -> dict[str, list[str]]:
    """The addresses of each page kind, drawn from what the store holds now."""
    speakers = httpx.get(f"{base}/api/speakers", params={"limit": 20}).json()["items"]
    articles = httpx.get(f"{base}/api/articles", params={"limit": 20}).json()["items"]
    return {
        "search": [f"/search?q={word}" for word in SEARCHED],
        "speaker": [f"/speakers/{speaker['id']}" for speaker in speakers],
        "article": [f"/documents/{article['id']}" for article in articles],
        "quotes": ["/quotes", "/quotes?kind=direct", "/quotes?sort=oldest"],
        "api search": [f"/api/search?q={word}" for word in SEARCHED],
    }


def client(base: str, kinds: dict[str, list[str]], tally: Tally, until: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as session:
        while not until.is_set():
            kind = rng.choice(list(kinds))
            began = time.perf_counter()
            try:
                ok = session.get(rng.choice(kinds[kind])).is_success
            except httpx.HTTPError:
                ok = False
            tally.add(kind, time.perf_counter() - began, ok)


def load(base: str, kinds: dict[str, list[str]], clients: int, until: threading.Event) -> Tally:
    tally = Tally()
    threads = [threading.Thread(target=client, args=(base, kinds, tally, until, number)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def ingest(url: str, pages: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([str(SKAZAL), "ingest", "--db", url, "--workers", "1", "--batch-size", "2",
                             *map(str, pages)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@contextmanager
def served(url: str, port: int):
    server = subprocess.Popen([str(SKAZAL), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/api/stats").is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"the server over {url} did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def rows(backend: str, phase: str, tally: Tally) -> list[str]:
    return [f"{backend:11} {phase:16} {kind:11} {len(seconds):8} {tally.failed[kind]:8} "
            f"{1000 * percentile(seconds, 0.5):8.0f} {1000 * percentile(seconds, 0.99):8.0f}"
            for kind, seconds in sorted(tally.seconds.items())]


def documents(base: str) -> int:
    return httpx.get(f"{base}/api/stats").json()["documents"]


def run_backend(backend: str, args, folder: Path) -> list[str]:
    seeded, written = PAGES[:args.seed_pages], PAGES[args.seed_pages:]
    with fresh_database(backend, folder) as url:
        first = ingest(url, seeded)
        _, stderr = first.communicate()
        if first.returncode:
            raise SystemExit(f"seeding the {backend} store failed: {stderr}")
        with served(url, args.port) as base:
            kinds = page_kinds(base)
            idle = threading.Event()
            threading.Timer(args.idle_seconds, idle.set).start()
            lines = rows(backend, "idle", load(base, kinds, args.clients, idle))
            before = documents(base)
            writer, writing_done = ingest(url, written), threading.Event()
            started = time.monotonic()

            def until_ingest_ends() -> None:
                try:
                    writer.wait(timeout=args.seconds)
                except subprocess.TimeoutExpired:
                    pass
                writing_done.set()

            threading.Thread(target=until_ingest_ends, daemon=True).start()
            lines += rows(backend, "while ingesting", load(base, kinds, args.clients, writing_done))
            seconds = time.monotonic() - started
            stored_meanwhile = documents(base) - before
            if writer.poll() is None:
                writer.kill()
            _, stderr = writer.communicate()
    said = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    lines.append(f"{backend:11} ingest: {stored_meanwhile} documents stored in {seconds:.0f} s while loaded, "
                 f"exit {writer.returncode} ({said})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--clients", type=int, default=4, help="client threads, one request at a time each")
    parser.add_argument("--seed-pages", type=int, default=10, help="pages stored before the load starts")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=180.0, help="the most the load while ingesting lasts")
    parser.add_argument("--port", type=int, default=8771)
    args = parser.parse_args()
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    print(f"{args.clients} clients, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
          "(a shared machine: compare the phases of one run)")
    print(f"{'backend':11} {'phase':16} {'page':11} {'requests':>8} {'non-2xx':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="load-ingest-") as folder:
            for line in run_backend(backend, args, Path(folder)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
