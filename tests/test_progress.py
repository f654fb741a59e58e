"""Issue 13: progress on long work. Where the number of pages is known before the run, the bar on a terminal
shows done/total, the share done and an ETA; while natasha's models load it says so; off a terminal a run
of `skazal ingest` ends with one summary line, and a re-run calls its pages unchanged."""
import fcntl
import gzip
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import DATA

from skazal.ingest import IngestOptions, ingest
from skazal.ingest.count import count_pages
from skazal.ingest.progress import LOADING_MODELS, ProgressBar, Silent
from skazal.store import open_store

SKAZAL = Path(sys.executable).with_name("skazal")
PAGES = [DATA / "html" / "001-ria.html", DATA / "html" / "004-regnum.html",
         DATA / "texts" / "zerkalo-lukashenko-it.txt"]
SUMMARY = re.compile(r"skazal: (\d+) pages? in [\d.]+ s \([\d.]+ pages/s\): (\d+) new, (\d+) unchanged, (\d+) failed")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(command: list[str], stdout=subprocess.DEVNULL, watch=None) -> tuple[subprocess.Popen, str]:
    """Run `command` with stderr on a pseudo-terminal; what the terminal showed, without its escape codes.
    `watch` is called with what it has shown so far each time it shows more."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    environment = dict(os.environ, TERM="xterm", OPENBLAS_NUM_THREADS="1")
    ran = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stdout, stderr=terminal, env=environment)
    os.close(terminal)
    shown, deadline = b"", time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            if select.select([controller], [], [], 0.5)[0]:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the other end closed: the command ended
                    break
                if not chunk:
                    break
                shown += chunk
                if watch:
                    watch(ESCAPE.sub("", shown.decode("utf-8", errors="replace")))
            elif ran.poll() is not None:
                break
        ran.wait(timeout=60)
    finally:
        os.close(controller)
    return ran, ESCAPE.sub("", shown.decode("utf-8", errors="replace"))


def lines_of(screen: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]", screen) if line.strip()]


def ingest_command(db: Path, *sources, workers: int = 1) -> list[str]:
    return [str(SKAZAL), "ingest", "--db", str(db), "--workers", str(workers), *map(str, sources)]


def test_off_a_terminal_an_ingest_ends_with_one_summary_line_and_a_rerun_says_unchanged(tmp_path):
    db = tmp_path / "corpus.db"
    first = subprocess.run(ingest_command(db, *PAGES, "/nowhere/page.html"), capture_output=True, text=True,
                           timeout=600)
    said = first.stderr.splitlines()
    assert first.returncode == 1
    assert said[0] == "skazal: /nowhere/page.html: no such file, folder or URL"
    assert len(said) == 2 and SUMMARY.fullmatch(said[1]).groups() == ("4", "3", "0", "1"), said
    again = subprocess.run(ingest_command(db, *PAGES), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0
    (summary,) = again.stderr.splitlines()
    assert SUMMARY.fullmatch(summary).groups() == ("3", "0", "3", "0"), summary


class HeldPage:
    """A page served on 127.0.0.1 only once `release()` is called (or `patience` seconds have passed): a run
    fetching it as its last page waits there, and the bar shows the pages done before it, for as long as needed."""

    def __init__(self, page: Path, patience: float = 15.0) -> None:
        self.released = threading.Event()
        self.waited_too_long = False
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/held.html":
                    self.send_error(404)
                    return
                held.waited_too_long = not held.released.wait(patience)
                body = page.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/held.html"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


# Some pages done of 4, with the pages per second, the errors, the time so far and an estimate of the time left.
UNDER_WAY = re.compile(r"[1-3]/4 pages \((25|50|75)%\), [\d.]+ pages/s, 0 errors \d:\d\d:\d\d ETA \d:\d\d:\d\d")


def test_on_a_terminal_an_ingest_shows_the_total_its_share_an_eta_and_the_models_loading(tmp_path):
    # Three saved pages in a folder, then a fourth fetched from a server that holds it back until the terminal
    # has shown the run under way: the run cannot end before the bar draws a share done and an ETA, however
    # fast or slow the machine (a run of a few fast pages could otherwise end between two redraws).
    folder = tmp_path / "saved"
    folder.mkdir()
    for page in PAGES:
        shutil.copy(page, folder / page.name)
    held = HeldPage(DATA / "html" / "009-newsru.html")

    def release_once_under_way(screen: str) -> None:
        if not held.released.is_set() and any(UNDER_WAY.search(line) for line in lines_of(screen)):
            held.released.set()

    try:
        command = [*ingest_command(tmp_path / "corpus.db", folder, held.url), "--allow-private", "--host-delay", "0"]
        ran, screen = on_a_terminal(command, watch=release_once_under_way)
    finally:
        held.close()
    shown = lines_of(screen)
    assert ran.returncode == 0, screen
    assert not held.waited_too_long, shown  # the page was released by what the terminal showed
    loading = next(n for n, line in enumerate(shown) if f"0/4 pages (0%), {LOADING_MODELS}" in line)
    under_way = next(n for n, line in enumerate(shown) if UNDER_WAY.search(line))
    assert loading < under_way, shown
    assert SUMMARY.fullmatch(shown[-1]).groups() == ("4", "4", "0", "0"), shown  # the bar is gone, the summary stays


def test_extract_on_a_terminal_shows_the_models_loading_and_keeps_its_output_on_stdout(tmp_path):
    output = tmp_path / "quotes.jsonl"
    with output.open("w") as stdout:
        ran, screen = on_a_terminal([str(SKAZAL), "extract", "--format", "jsonl", *map(str, PAGES)], stdout=stdout)
    assert ran.returncode == 0, screen
    assert f"0/3 pages (0%), {LOADING_MODELS}" in screen
    assert [json.loads(line)["source"] for line in output.read_text().splitlines()] == list(map(str, PAGES))
    assert "{" not in screen  # what goes to a file is not shown on the terminal


def test_a_folder_counts_its_files_by_their_names_alone(tmp_path):
    (tmp_path / "2024" / "05").mkdir(parents=True)
    for number in range(5):
        (tmp_path / "2024" / "05" / f"{number}.html").write_text("<p>Страница</p>")
    (tmp_path / "notes").write_text("Песков сказал, что ...")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "page.html").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    for name in ("skazal.db", "skazal.db-wal", "other-journal"):
        (tmp_path / name).write_bytes(b"SQLite format 3\x00")
    opened = []
    sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" and opened is not None else None)
    assert count_pages([str(tmp_path)]) == 6
    assert not [name for name in opened if str(name).startswith(str(tmp_path))]  # no file was read
    opened = None


@pytest.mark.parametrize("name, content", [
    ("news.warc.gz", gzip.compress(b"WARC/1.0\r\n")),
    ("stories.jsonl", b'{"id": 1, "text": "x"}\n'),
    ("lenta.rss", b"<rss></rss>"),
])
def test_a_folder_holding_an_archive_a_feed_or_records_has_no_known_total(tmp_path, name, content):
    (tmp_path / "page.html").write_text("x")
    (tmp_path / name).write_bytes(content)
    assert count_pages([str(tmp_path)]) is None


def test_files_named_on_their_own_and_urls_count_as_the_run_reads_them(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# the week's pages\nhttps://lenta.ru/news/2024/05/31/a/\n\nhttps://tass.ru/politika/1\n")
    assert count_pages([str(urls), str(PAGES[0]), "https://ria.ru/20240531/x.html", "/nowhere/page.html"]) == 5
    assert count_pages(["https://lenta.ru/rss/news"]) is None
    assert count_pages([str(urls), "https://tass.ru/rss/v2.xml"]) is None
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://lenta.ru/rss/news\n")
    assert count_pages([str(feeds)]) is None
    assert count_pages([str(DATA / "reliability" / "one-stray-byte.html")]) == 1


def test_more_pages_than_counted_turn_the_total_unknown():
    bar = ProgressBar(total=2)
    for _ in range(3):
        bar.advance("read")
    bar.close()
    assert (bar.total, bar.done) == (None, 3)
    assert bar._summary().startswith("3 pages, ")


class Recorded(Silent):
    def __init__(self) -> None:
        self.calls: list[str] = []

    def advance(self, outcome: str) -> None:
        self.calls.append(outcome)

    def models_loading(self) -> None:
        self.calls.append("loading")

    def models_ready(self) -> None:
        self.calls.append("ready")


@pytest.mark.parametrize("workers", [0, 1])
def test_the_models_are_said_to_load_before_the_first_page_and_ready_with_it(tmp_path, workers):
    progress = Recorded()
    with open_store(str(tmp_path / "corpus.db")) as store:
        store.upgrade()
        ingest([str(page) for page in PAGES[:2]], store, IngestOptions(workers=workers), progress)
        again = Recorded()
        ingest([str(page) for page in PAGES[:2]], store, IngestOptions(workers=workers), again)
    first_read = progress.calls.index("read")
    assert progress.calls.index("loading") < progress.calls.index("ready") < first_read
    assert progress.calls.count("read") == 2
    assert again.calls == ["stored", "stored"]  # nothing read: no models loaded, none said to load
