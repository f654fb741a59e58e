"""Feeds whose pages cannot be fetched or read (issue 13): each item is stored from the feed's own text of
it, marked as feed text on its page, in the article list and in its records, and replaced by its page when
the page is fetched (at the item's link, wherever that redirects); tracking parameters are stripped from the
links. The bundled Lenta.ru and TUT.BY feeds, with the network unreachable for real: a network namespace
with no interface up, or a port on 127.0.0.1 that nobody listens on, and a real local server."""
from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from conftest import CORPUS
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from store_fixtures import fresh_database

from skazal.ingest import FetchOptions, IngestOptions, ingest
from skazal.ingest.feeds import feed_items
from skazal.ingest.inputs import RawPage
from skazal.ingest.sources import feed_text_page
from skazal.ingest.tracking import without_tracking
from skazal.ingest.workers import extract_raw
from skazal.store import open_store
from skazal.store.schema import documents, outlets, quotes, revisions
from skazal.web import create_app

FEEDS = CORPUS / "feeds"
LENTA = FEEDS / "001-lenta-rss-20221203.xml"
TUTBY = FEEDS / "002-tutby-rss-20191114.xml"
PAGES = CORPUS / "html-modern" / "pages"
SMALL_PAGES = ("013-medportal.html", "020-bykvu.html", "027-kamtime.html")
FRIEDMAN = "Фридман задержан полицией. Но, по нашим сведениям, его пока отпустили под залог"
FEED_TEXT_NOTE = "Это текст статьи из ленты новостей (RSS), а не вся статья"
# What a site answers a client it takes for a bot: a page with a script and no article text.
CHALLENGE = ("<html><head><title>Проверка браузера</title></head><body>"
             '<script src="/challenge.js"></script></body></html>').encode()
PICTURE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256)  # served as text/html
SKAZAL = Path(sys.executable).with_name("skazal")


def options() -> IngestOptions:
    fetch = FetchOptions(timeout=2.0, deadline=10.0, host_delay=0.0, allow_private=True)
    return IngestOptions(workers=0, batch_size=2, fetch=fetch)


# --- the stores ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    with fresh_database(request.param, tmp_path_factory.mktemp("store")) as url, open_store(url) as corpus:
        corpus.upgrade()
        yield corpus


def rows(corpus, query) -> list:
    with corpus.engine.connect() as connection:
        return list(connection.execute(query))


# --- a news site that is down, then up ----------------------------------------------------------


class Site:
    """127.0.0.1 on a port nobody listens on (connections are refused) until `up()` serves real pages there."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.routes: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
        self.redirects: dict[str, str] = {}  # path -> where a 301 sends it
        self.asked: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.asked.append(self.path)
                if self.path in site.redirects:
                    self.send_response(301)
                    self.send_header("Location", site.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = site.routes.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def site():
    server = Site()
    yield server
    server.down()


def moved_feed(site: Site, feed: Path, items: int) -> tuple[bytes, list[str]]:
    """The real feed cut to its first `items` items, each link moved under `site` (its host the first part of
    the path, its query kept, utm_* and all); and the links as they should be stored, without tracking."""
    xml = feed.read_text(encoding="utf-8")
    head, *rest = re.split(r"(?=<item>)", xml)
    tail = rest[-1][rest[-1].index("</item>") + len("</item>"):]
    kept = [re.sub(r"</item>.*", "</item>", item, flags=re.S) for item in rest[:items]]
    links = []
    for number, item in enumerate(kept):
        link = re.search(r"<link>(.*?)</link>", item).group(1)
        moved = re.sub(r"^https?://", site.base + "/", link)
        clean = without_tracking(html.unescape(moved))
        links.append(clean)
        site.routes[clean.removeprefix(site.base)] = (PAGES / SMALL_PAGES[number % len(SMALL_PAGES)]).read_bytes()
        kept[number] = item.replace(link, moved)
    return (head + "".join(kept) + tail).encode("utf-8"), links


# --- what a feed says of its items --------------------------------------------------------------


def test_an_item_carries_its_title_its_text_without_markup_and_its_date():
    items = feed_items(TUTBY.read_bytes())

    first = items[0]
    assert first.link == "https://news.tut.by/economics/661200.html"
    assert first.title.startswith("«У нее нервный срыв». Начальница девушки")
    # The thumbnail's alt text ("Фото: Станислав Коршунов, TUT.BY") is markup, not the item's text.
    assert first.text == ("Сама Анастасия Куличкова недоступна для комментариев. После того, как наблюдатель снял ее "
                          "на видео, девушка, по словам председателя комиссии, «испугалась, разрыдалась и вышла с этим "
                          "бюллетенем».")
    assert first.published == "2019-11-14T16:24:00+03:00"
    assert len(items) == 100 and not any("utm_" in item.link for item in items)


def test_an_item_repeated_in_a_feed_is_one_item():
    assert len(feedparser.parse(LENTA.read_bytes()).entries) == 200
    assert len(feed_items(LENTA.read_bytes())) == 198


def test_the_full_content_a_feed_carries_is_the_items_text():
    gold = next(json.loads(line) for line in (CORPUS / "html-modern" / "gold.jsonl").open(encoding="utf-8")
                if "010-lenta" in line)
    paragraphs = gold["body"].split("\n\n")
    content = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    rss = (f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Lenta.ru'
           f"</title><item><title>{html.escape(gold['title'])}</title><link>https://lenta.ru/news/2016/04/22/sms/"
           f"</link><description>{html.escape(paragraphs[0])}</description>"
           f"<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>")

    [item] = feed_items(rss.encode("utf-8"))

    assert item.text == gold["body"]


@pytest.mark.parametrize(("url", "clean"), [
    ("https://news.tut.by/economics/661200.html?utm_campaign=news-feed&utm_medium=rss&utm_source=rss-news",
     "https://news.tut.by/economics/661200.html"),
    ("https://www.rbc.ru/politics/1?from=newsfeed&UTM_Source=yxnews&utm_medium=desktop#comments",
     "https://www.rbc.ru/politics/1?from=newsfeed#comments"),
    ("https://ria.ru/20170101/1.html?yclid=42&in=t%2Fx&fbclid=IwAR", "https://ria.ru/20170101/1.html?in=t%2Fx"),
    ("https://lenta.ru/news/2022/12/03/freedman/", "https://lenta.ru/news/2022/12/03/freedman/"),
    ("https://lenta.ru/search?q=a+b&&x", "https://lenta.ru/search?q=a+b&&x"),  # nothing removed: kept as written
    ("http://[2001:db8::1/news", "http://[2001:db8::1/news"),  # not a URL: the fetch says why
])
def test_tracking_parameters_are_stripped_and_the_rest_kept_as_written(url, clean):
    assert without_tracking(url) == clean


# --- ingested -----------------------------------------------------------------------------------


def test_items_whose_pages_cannot_be_reached_are_stored_from_their_feed_text_until_the_pages_arrive(
        store, site, tmp_path):
    lenta, lenta_links = moved_feed(site, LENTA, items=3)
    tutby, tutby_links = moved_feed(site, TUTBY, items=3)
    (tmp_path / "lenta.xml").write_bytes(lenta)
    (tmp_path / "tutby.xml").write_bytes(tutby)
    feeds = [str(tmp_path / "lenta.xml"), str(tmp_path / "tutby.xml")]
    links = lenta_links + tutby_links

    offline = ingest(feeds, store, options())
    offline_again = ingest(feeds, store, options())

    assert offline.outcomes == {"new": 6}
    assert offline_again.outcomes == {"unchanged": 6}  # tried again, still unreachable: nothing added
    assert store.failures() == []
    stored = rows(store, select(documents.c.url, documents.c.feed_text, documents.c.revision, documents.c.title,
                                documents.c.published).order_by(documents.c.id))
    assert [row.url for row in stored] == links
    assert all(row.feed_text and row.revision == 1 for row in stored)
    assert stored[0].title == "Стало известно о задержании бизнесмена Михаила Фридмана в Лондоне"
    assert stored[0].published == "2022-12-03T19:43:00+03:00"
    said = rows(store, select(quotes.c.text, documents.c.url).join(documents))
    assert (FRIEDMAN, links[0]) in said

    site.up()
    fetched = ingest(feeds, store, options())
    site.down()
    offline_later = ingest(feeds, store, options())

    assert fetched.outcomes == {"revision": 6}
    assert offline_later.outcomes == {"stored": 6}  # the pages are stored: nothing is fetched, nothing replaced
    assert sorted(path for path in site.asked if path != "/robots.txt") == sorted(
        link.removeprefix(site.base) for link in links)  # the pages were asked for without their utm_*
    replaced = rows(store, select(documents.c.url, documents.c.feed_text, documents.c.revision)
                    .order_by(documents.c.id))
    assert [tuple(row) for row in replaced] == [(link, False, 2) for link in links]
    assert FRIEDMAN not in {row.text for row in rows(store, select(quotes.c.text))}
    assert rows(store, select(func.count()).select_from(revisions))[0][0] == 12


def test_feed_text_never_replaces_a_fetched_page(store):
    link = "https://lenta.ru/news/2022/12/03/freedman/"
    [item] = [item for item in feed_items(LENTA.read_bytes()) if item.link == link]
    page = extract_raw(RawPage(location=link, url=link, content=(PAGES / "010-lenta.html").read_bytes()))
    feed_text = extract_raw(feed_text_page(item))

    assert store.save_pages([page]) == ["new"]
    assert store.save_pages([feed_text]) == ["unchanged"]
    [(body, flag)] = rows(store, select(revisions.c.body, documents.c.feed_text).join(documents))
    assert body == page.page.body and not flag


# --- the bundled feeds, no network at all -------------------------------------------------------


def _network_namespace_refused() -> str | None:
    """Why no network namespace can be made here, or None when `unshare -rn` works."""
    try:
        done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if done.returncode == 0:
        return None
    return done.stderr.decode(errors="replace").strip() or f"exit code {done.returncode}"


NO_NAMESPACE = _network_namespace_refused()


@pytest.mark.slow
@pytest.mark.skipif(NO_NAMESPACE is not None,
                    reason=f"cutting the network for real needs `unshare -rn` (a network namespace): {NO_NAMESPACE}")
def test_the_bundled_feeds_with_no_network_are_stored_whole_from_their_feed_text(tmp_path):
    db = tmp_path / "corpus.db"
    command = ["unshare", "-rn", str(SKAZAL), "ingest", "--db", str(db), "--workers", "0", str(LENTA), str(TUTBY)]
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}

    first = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)
    second = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    corpus = open_store(str(db))
    try:
        assert corpus.failures() == []
        stored = rows(corpus, select(documents.c.url, documents.c.feed_text, outlets.c.name).join(outlets))
        quoted = rows(corpus, select(func.count(func.distinct(quotes.c.document_id))))[0][0]
    finally:
        corpus.close()
    assert len(stored) == 298 and all(row.feed_text for row in stored)  # 198 Lenta.ru links (2 repeat) + 100
    assert not any("utm_" in row.url for row in stored)
    assert {row.name for row in stored} >= {"lenta.ru", "news.tut.by", "sport.tut.by"}
    assert quoted >= 107


# --- what the reader is told, and pages that come but cannot be read ----------------------------


def _ingest_two_lenta_items(site, tmp_path) -> tuple[list[str], list[str]]:
    feed, links = moved_feed(site, LENTA, items=2)
    (tmp_path / "lenta.xml").write_bytes(feed)
    return [str(tmp_path / "lenta.xml")], links


def _cli_quotes(corpus) -> list[dict]:
    done = subprocess.run([str(SKAZAL), "quotes", "--db", str(corpus.engine.url.render_as_string(False)),
                           "--format", "jsonl", "--limit", "0"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_feed_text_says_so_on_its_page_in_the_article_list_and_in_its_records_until_the_page_arrives(
        store, site, tmp_path):
    feeds, links = _ingest_two_lenta_items(site, tmp_path)
    assert ingest(feeds, store, options()).outcomes == {"new": 2}
    web = TestClient(create_app(store))
    [friedman] = [row.id for row in rows(store, select(documents.c.id).where(documents.c.url == links[0]))]

    page = web.get(f"/documents/{friedman}").text
    listed = web.get("/articles").text
    assert FEED_TEXT_NOTE in page and 'class="feed-text-note"' in page
    assert listed.count('class="feed-text"') == 2
    assert web.get(f"/api/documents/{friedman}").json()["feed_text"] is True
    assert [item["feed_text"] for item in web.get("/api/articles").json()["items"]] == [True, True]
    said = web.get("/api/quotes", params={"limit": 500}).json()["items"]
    assert FRIEDMAN in {quote["text"] for quote in said} and all(quote["feed_text"] for quote in said)
    assert 'class="feed-text"' in web.get(f"/quotes/{said[0]['quote_id']}").text
    assert {quote["feed_text"] for quote in _cli_quotes(store)} == {True}

    site.up()
    assert ingest(feeds, store, options()).outcomes == {"revision": 2}

    assert FEED_TEXT_NOTE not in web.get(f"/documents/{friedman}").text
    assert 'class="feed-text"' not in web.get("/articles").text
    assert web.get(f"/api/documents/{friedman}").json()["feed_text"] is False
    assert {quote["feed_text"] for quote in _cli_quotes(store)} == {False}


def test_a_page_that_comes_but_cannot_be_read_is_read_from_its_feed_text(store, site, tmp_path):
    feeds, links = _ingest_two_lenta_items(site, tmp_path)
    site.routes[links[0].removeprefix(site.base)] = CHALLENGE  # "no article text found"
    site.routes[links[1].removeprefix(site.base)] = PICTURE  # "binary data, not a text or HTML page"
    site.up()

    report = ingest(feeds, store, options())

    assert sorted(path for path in site.asked if path != "/robots.txt") == sorted(
        link.removeprefix(site.base) for link in links)  # both pages came
    assert report.outcomes == {"new": 2}
    assert store.failures() == []
    stored = rows(store, select(documents.c.url, documents.c.feed_text).order_by(documents.c.id))
    assert [tuple(row) for row in stored] == [(link, True) for link in links]
    assert FRIEDMAN in {row.text for row in rows(store, select(quotes.c.text))}


def test_a_page_at_the_address_an_item_link_redirects_to_replaces_the_items_feed_text(store, site, tmp_path):
    feeds, links = _ingest_two_lenta_items(site, tmp_path)
    assert ingest(feeds, store, options()).outcomes == {"new": 2}
    for link in links:  # each link now answers 301 to the article's new address, where the page is
        path = link.removeprefix(site.base)
        site.redirects[path] = f"{site.base}/amp{path}"
        site.routes[f"/amp{path}"] = site.routes.pop(path)
    site.up()

    fetched = ingest(feeds, store, options())
    again = ingest(feeds, store, options())

    assert fetched.outcomes == {"revision": 2}
    assert again.outcomes == {"stored": 2}
    assert any(path.startswith("/amp/") for path in site.asked)
    stored = rows(store, select(documents.c.url, documents.c.feed_text, documents.c.revision)
                  .order_by(documents.c.id))
    assert [tuple(row) for row in stored] == [(link, False, 2) for link in links]
    assert FRIEDMAN not in {row.text for row in rows(store, select(quotes.c.text))}
