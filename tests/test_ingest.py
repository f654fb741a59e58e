"""`skazal ingest` end to end: real pages, WARC archives written here, real feeds served on 127.0.0.1,
into a real SQLite file and a real PostgreSQL database."""
from __future__ import annotations

import gzip
import io
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from conftest import CORPUS, DATA
from fastwarc.warc import WarcRecord, WarcRecordType
from sqlalchemy import func, select

from skazal.cli import main
from skazal.ingest import FetchOptions, IngestOptions, ingest, watch
from skazal.store import open_store
from skazal.store.schema import documents, outlets

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
PAGES = CORPUS / "html-modern" / "pages"
FEEDS = CORPUS / "feeds"
TEXTS = DATA / "texts"
SMALL_PAGES = ("013-medportal.html", "020-bykvu.html", "027-kamtime.html")
LOCAL = FetchOptions(timeout=2.0, deadline=10.0, host_delay=0.0, allow_private=True)


def options(**fetch) -> IngestOptions:
    """In-process NLP (the models load once per test session) and a batch small enough to span several."""
    return IngestOptions(workers=0, batch_size=2, fetch=FetchOptions(**{**LOCAL.__dict__, **fetch}))


# --- the stores ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("store") / "corpus.db")
        yield from _opened(url)
        return
    name = f"skazal_ingest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield from _opened(f"{POSTGRES}/{name}")
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_store(tmp_path_factory):
    yield from _opened(str(tmp_path_factory.mktemp("store") / "corpus.db"))


def _opened(url):
    corpus = open_store(url)
    corpus.upgrade()
    corpus.url = url
    try:
        yield corpus
    finally:
        corpus.close()


def stored_pages(corpus) -> int:
    with corpus.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(documents)).scalar_one()


# --- a news site on 127.0.0.1 -------------------------------------------------------------------


class Site:
    """A small HTTP server in a thread: real pages and feeds at chosen paths, and the requests it got."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.times: list[tuple[str, float]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] += 1
                site.times.append((self.path, time.monotonic()))
                if self.path == "/slow":
                    time.sleep(3)
                if self.path.startswith("/pause/"):
                    time.sleep(1)
                if self.path == "/huge":
                    self._huge()
                    return
                status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _huge(self) -> None:
                # 50 MB, no Content-Length: the client must count and stop on its own.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + "Сказал он. ".encode() * 5000 + b"</p>\n"
                try:
                    for _ in range(50 * 2**20 // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    site.hits["/huge cut off"] += 1

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, body: bytes, status: int = 200, **headers: str) -> str:
        self.routes[path] = (status, {name.replace("_", "-"): value for name, value in headers.items()}, body)
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    server = Site()
    server.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", Content_Type="text/plain")
    yield server
    server.close()


def real_feed(site: Site, feed: Path, items: int) -> tuple[bytes, list[str]]:
    """The real feed cut to its first `items` items, their links moved to `site`, each serving a real page."""
    xml = feed.read_text(encoding="utf-8")
    head, *rest = re.split(r"(?=<item>)", xml)
    tail = rest[-1][rest[-1].index("</item>") + len("</item>"):]
    kept = [re.sub(r"</item>.*", "</item>", item, flags=re.S) for item in rest[:items]]
    links = []
    for number, item in enumerate(kept):
        link = re.search(r"<link>(.*?)</link>", item).group(1)
        path = "/" + re.sub(r"^https?://", "", link).replace("&#x26;", "&").split("?")[0]
        links.append(site.add(path, (PAGES / SMALL_PAGES[number % len(SMALL_PAGES)]).read_bytes()))
        kept[number] = item.replace(link, links[-1])
    return (head + "".join(kept) + tail).encode("utf-8"), links


# --- WARC archives made from real pages ---------------------------------------------------------


def warc_record(url: str, html: bytes) -> bytes:
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


def archive_records(names: tuple[str, ...] = SMALL_PAGES) -> list[bytes]:
    return [warc_record(f"https://news.example.ru/{name}", (PAGES / name).read_bytes()) for name in names]


# --- files and folders --------------------------------------------------------------------------


def test_a_folder_ingested_twice_is_stored_once(store, tmp_path):
    folder = tmp_path / "pages"
    (folder / "html").mkdir(parents=True)
    for text in TEXTS.glob("*.txt"):
        shutil.copy(text, folder / text.name)
    shutil.copy(PAGES / "027-kamtime.html", folder / "html" / "027-kamtime.html")

    first = ingest([str(folder)], store, options())
    second = ingest([str(folder)], store, options())

    assert first.outcomes == {"new": 3}
    assert second.outcomes == {"stored": 3}
    assert stored_pages(store) == 3


def test_a_saved_page_takes_its_outlet_from_its_canonical_address(store, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(PAGES / "010-lenta.html", folder / "010-lenta.html")  # rel=canonical https://lenta.ru/news/…

    ingest([str(folder)], store, options())

    with store.engine.connect() as connection:
        row = connection.execute(
            select(documents.c.url, outlets.c.name).join(outlets, documents.c.outlet_id == outlets.c.id)
        ).one()
    assert row.name == "lenta.ru" and row.url is None  # the file stays its address


def test_an_unreadable_page_is_quarantined_and_the_rest_goes_in(sqlite_store, tmp_path):
    shutil.copy(TEXTS / "zerkalo-lukashenko-it.txt", tmp_path / "page.txt")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))

    report = ingest([str(tmp_path), str(tmp_path / "missing.html")], sqlite_store, options())

    assert report.outcomes == {"new": 1, "failed": 2}
    reasons = {Path(failure.location).name: failure.reason for failure in sqlite_store.failures()}
    assert "binary" in reasons["picture.html"]
    assert "no such file" in reasons["missing.html"]


# --- WARC ---------------------------------------------------------------------------------------


def test_a_gzipped_warc_with_corrupt_records_keeps_the_others(store, tmp_path):
    names = (*SMALL_PAGES, "014-meddaily.html", "012-newsru.html")
    members = [gzip.compress(record) for record in archive_records(names)]
    for broken in (1, 3):
        member = bytearray(members[broken])
        member[len(member) // 2: len(member) // 2 + 16] = bytes(16)
        members[broken] = bytes(member)
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(b"".join(members))

    report = ingest([str(archive)], store, options())

    assert report.outcomes == {"new": 3, "failed": 2}
    kept = [store.seen(f"https://news.example.ru/{name}") for name in names]
    assert kept == [True, False, True, False, True]
    failures = store.failures()
    assert len(failures) == 2
    assert all(f.location.startswith(str(archive)) and "corrupt WARC record" in f.reason for f in failures)


def test_a_plain_warc_record_whose_digest_fails_is_quarantined(sqlite_store, tmp_path):
    records = archive_records()
    middle = len(records[0]) // 2
    records[0] = records[0][:middle] + b"#" + records[0][middle + 1:]
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(b"".join(records))

    report = ingest([str(archive)], sqlite_store, options())

    assert report.outcomes == {"new": 2, "failed": 1}
    [failure] = sqlite_store.failures()
    assert "block digest" in failure.reason
    assert ingest([str(archive)], sqlite_store, options()).outcomes == {"stored": 2, "failed": 1}


# --- feeds and URLs over HTTP -------------------------------------------------------------------


@pytest.mark.parametrize("feed", sorted(FEEDS.glob("*.xml")), ids=lambda path: path.name[:3])
def test_a_real_feed_served_locally_brings_in_its_items_once(feed, sqlite_store, site):
    xml, links = real_feed(site, feed, items=3)
    url = site.add("/rss", xml, Content_Type="application/rss+xml")

    first = ingest([url], sqlite_store, options())
    second = ingest([url], sqlite_store, options())

    assert first.outcomes == {"new": 3}
    assert second.outcomes == {"stored": 3}
    assert all(sqlite_store.seen(link) for link in links)
    assert all(site.hits[link.removeprefix(site.base)] == 1 for link in links)


def test_a_feed_file_and_a_url_list_are_read_by_their_content(store, site, tmp_path):
    xml, links = real_feed(site, FEEDS / "001-lenta-rss-20221203.xml", items=2)
    feed = tmp_path / "lenta"
    feed.write_bytes(xml)
    urls = tmp_path / "urls.txt"
    page = site.add("/news/kamtime.html", (PAGES / "027-kamtime.html").read_bytes())
    urls.write_text(f"# today\n{page}\n{links[0]}\nhttp://[2001:db8::1/news\n", encoding="utf-8")

    report = ingest([str(feed), str(urls)], store, options())

    assert report.outcomes == {"new": 3, "stored": 1, "failed": 1}
    assert "not a valid URL" in store.failures()[0].reason


def test_an_atom_feed_brings_in_its_entries(sqlite_store, site):
    # The lenta.ru items, re-dressed as Atom entries: same titles, same links (moved to the local site).
    rss, links = real_feed(site, FEEDS / "001-lenta-rss-20221203.xml", items=2)
    titles = re.findall(r"<item>.*?<title>(.*?)</title>", rss.decode("utf-8"), flags=re.S)
    entries = "".join(
        f"<entry><title>{title}</title><link rel='alternate' href='{link}'/><id>{link}</id>"
        f"<updated>2022-12-03T19:43:00+03:00</updated></entry>"
        for title, link in zip(titles, links)
    )
    atom = f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>" \
           f"<title>Lenta.ru</title><id>https://lenta.ru/</id><updated>2022-12-03T20:00:00+03:00</updated>" \
           f"{entries}</feed>"
    url = site.add("/atom", atom.encode("utf-8"), Content_Type="application/atom+xml")

    report = ingest([url], sqlite_store, options())

    assert report.outcomes == {"new": 2}
    assert all(sqlite_store.seen(link) for link in links)


def test_a_feed_that_is_not_xml_is_a_failure(sqlite_store, site, tmp_path):
    url = site.add("/broken.rss", (PAGES / "020-bykvu.html").read_bytes(), Content_Type="application/rss+xml")
    (tmp_path / "broken.xml").write_text("Лента недоступна", encoding="utf-8")

    report = ingest([url, str(tmp_path / "broken.xml")], sqlite_store, options())

    assert report.outcomes == {"failed": 2}
    assert all("not an RSS or Atom feed" in failure.reason for failure in sqlite_store.failures())


def test_robots_txt_is_obeyed(sqlite_store, site):
    url = site.add("/private/page.html", (PAGES / "020-bykvu.html").read_bytes())

    report = ingest([url], sqlite_store, options())

    assert report.outcomes == {"failed": 1}
    assert "robots.txt" in sqlite_store.failures()[0].reason
    assert site.hits["/private/page.html"] == 0


def test_a_slow_url_times_out_and_a_huge_one_is_cut_off(sqlite_store, site):
    page = site.add("/news/ok.html", (PAGES / "027-kamtime.html").read_bytes())

    started = time.monotonic()
    report = ingest([site.base + "/slow", site.base + "/huge", page], sqlite_store, options(timeout=0.5))

    assert report.outcomes == {"failed": 2, "new": 1}
    reasons = {failure.location.removeprefix(site.base): failure.reason for failure in sqlite_store.failures()}
    assert "timed out" in reasons["/slow"]
    assert "too large" in reasons["/huge"]
    assert time.monotonic() - started < 30


def test_private_addresses_are_refused_unless_allowed(sqlite_store, site):
    page = site.add("/news/ok.html", (PAGES / "027-kamtime.html").read_bytes())
    hop = site.add("/go", b"", status=302, Location=page)
    local = f"http://localhost:{site.server.server_port}"
    site.add("/away", b"", status=302, Location=page)

    refused = ingest([page, hop], sqlite_store, options(allow_private=False))
    # The first hop's host is allowed by name; the redirect to 127.0.0.1 under another name is not.
    redirected = ingest([f"{local}/away"], sqlite_store, options(allow_private=False, private_hosts=("localhost",)))

    assert refused.outcomes == {"failed": 2}
    assert redirected.outcomes == {"failed": 1}
    assert site.hits["/news/ok.html"] == 0
    assert all("private or local address" in failure.reason for failure in sqlite_store.failures())
    assert ingest([hop], sqlite_store, options()).outcomes == {"new": 1}


def test_redirect_loops_and_other_schemes_are_refused(sqlite_store, site):
    loop = site.add("/loop", b"", status=302, Location="/loop")
    to_file = site.add("/file", b"", status=301, Location="file:///etc/passwd")

    report = ingest([loop, to_file], sqlite_store, options())

    assert report.outcomes == {"failed": 2}
    reasons = {failure.location.removeprefix(site.base): failure.reason for failure in sqlite_store.failures()}
    assert "more than 5 redirects" in reasons["/loop"]
    assert "only http and https" in reasons["/file"]


def test_requests_to_one_host_are_spaced_out(sqlite_store, site):
    pages = [site.add(f"/news/{name}", (PAGES / name).read_bytes()) for name in SMALL_PAGES]

    ingest(pages, sqlite_store, options(host_delay=0.5))

    times = [at for path, at in site.times if path.startswith("/news/")]
    assert len(times) == 3
    # Some slack for the server's own clock readings; unpaced, the gaps would be milliseconds.
    assert min(later - earlier for earlier, later in zip(times, times[1:])) >= 0.4


def test_pages_on_different_hosts_are_fetched_at_the_same_time(sqlite_store, site):
    site.add("/pause/one.html", (PAGES / "013-medportal.html").read_bytes())
    site.add("/pause/two.html", (PAGES / "020-bykvu.html").read_bytes())
    other_host = f"http://localhost:{site.server.server_port}"

    report = ingest([site.base + "/pause/one.html", other_host + "/pause/two.html"], sqlite_store, options())

    assert report.outcomes == {"new": 2}
    one, two = (at for path, at in site.times if path.startswith("/pause/"))
    assert abs(two - one) < 0.8


def test_watch_brings_in_only_new_items(sqlite_store, site):
    xml, links = real_feed(site, FEEDS / "002-tutby-rss-20191114.xml", items=3)
    url = site.add("/rss", xml, Content_Type="application/rss+xml")

    report = watch([url], sqlite_store, interval=0.0, max_polls=2, options=options())

    assert report.outcomes == {"new": 3, "stored": 3}
    assert site.hits["/rss"] == 2


# --- the commands -------------------------------------------------------------------------------


def test_the_ingest_and_failures_commands(sqlite_store, tmp_path, capsys):
    shutil.copy(TEXTS / "wikinews-militsiya-politsiya.txt", tmp_path / "wikinews.txt")
    (tmp_path / "empty.html").write_bytes(b"   \n")

    code = main(["ingest", "--db", sqlite_store.url, "--workers", "0", str(tmp_path)])
    error = capsys.readouterr().err
    listed = main(["failures", "--db", sqlite_store.url])
    out = capsys.readouterr().out

    assert code == 1
    assert f"skazal: {tmp_path / 'empty.html'}: empty" in error.splitlines()
    assert "1 new" in error and "1 failed" in error
    assert listed == 0
    assert out.count("\n") == 1 and str(tmp_path / "empty.html") in out and "empty" in out
    assert sqlite_store.seen(str(tmp_path / "wikinews.txt"))


def test_the_watch_command_polls_once(sqlite_store, site, capsys):
    xml, links = real_feed(site, FEEDS / "001-lenta-rss-20221203.xml", items=2)
    url = site.add("/rss", xml, Content_Type="application/rss+xml")
    command = ["watch", "--db", sqlite_store.url, "--workers", "0", "--allow-private", "--host-delay", "0", "--once"]

    assert main([*command, url]) == 0
    assert "2 new" in capsys.readouterr().err
    assert site.hits["/rss"] == 1
    assert all(sqlite_store.seen(link) for link in links)


def test_an_address_that_does_not_parse_has_no_outlet():
    from skazal.ingest.workers import outlet_of

    assert outlet_of("http://[") is None
    assert outlet_of("https://www.lenta.ru/news/") == "lenta.ru"
