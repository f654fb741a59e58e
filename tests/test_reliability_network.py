"""What a hostile server or feed can do to a fetch, against real servers on 127.0.0.1 (issue 10).

Each case is a reproducer found by probing, and each asserts its bound: a compression bomb stops at
the 20 MB cap in little memory; a server that drips its headers or body cannot hold a fetch past
its deadline; a feed body naming a local file reads nothing; non-public addresses in every
spelling are refused before any connection is made, and a DNS answer that changes after the check
cannot lead the connection elsewhere; --allow-host keeps to its port and --allow-private to its host.
"""
from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
from conftest import CORPUS, DATA

from skazal.ingest.addresses import NotAHost
from skazal.ingest.fetch import AddressRefused, Fetcher, FetchFailed, FetchOptions, FetchTimedOut, FetchTooLarge
from skazal.ingest.sources import read_sources
from skazal.records import Failure

LOCAL = FetchOptions(timeout=2.0, deadline=10.0, host_delay=0.0, allow_private=True)
PAGE = (DATA / "html" / "009-newsru.html").read_bytes()
FEED = CORPUS / "feeds" / "001-lenta-rss-20221203.xml"
MiB = 2**20


class Site:
    """A threaded HTTP server on 127.0.0.1: fixed answers at chosen paths, and the requests it got."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections are kept open and reused, as by real servers

            def do_GET(self) -> None:
                site.hits[self.path] += 1
                status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.base = f"http://127.0.0.1:{self.port}"
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
    yield server
    server.close()


class RawServer:
    """A raw socket server on 127.0.0.1 (and ::1 on the same port): counts connections, answers with `answer`."""

    def __init__(self, answer=None) -> None:
        self.connections = 0
        self._answer = answer
        self._listeners = [socket.create_server(("127.0.0.1", 0))]
        self.port = self._listeners[0].getsockname()[1]
        try:
            self._listeners.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        except OSError:
            pass  # no IPv6 loopback here: [::1] then cannot connect anywhere, which the test also sees
        self._open = True
        for listener in self._listeners:
            threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._open:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                data = connection.recv(4096)
                if not data:
                    return
                request += data
            path = request.split(b" ")[1].decode()
            try:
                if path == "/robots.txt":
                    connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                elif self._answer:
                    self._answer(connection, path)
            except OSError:
                pass

    def close(self) -> None:
        self._open = False
        for listener in self._listeners:
            listener.close()


def _drip(connection: socket.socket, data: bytes) -> None:
    for byte in data:
        connection.sendall(bytes([byte]))
        time.sleep(1)


def drip_headers(connection: socket.socket, _path: str) -> None:
    _drip(connection, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 300 + b"\r\n\r\n")


def drip_body(connection: socket.socket, _path: str) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
    _drip(connection, b"<p>" * 333)


def silent(connection: socket.socket, _path: str) -> None:
    time.sleep(30)


# --- Compression bombs ------------------------------------------------------------------------


@cache
def _brotli_zeros(mebibytes: int) -> bytes:
    compressor = brotli.Compressor(quality=5)
    zeros = bytes(MiB)
    return b"".join(compressor.process(zeros) for _ in range(mebibytes)) + compressor.finish()


def _zlib_zeros(mebibytes: int, wbits: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(MiB)
    return b"".join(compressor.compress(zeros) for _ in range(mebibytes)) + compressor.flush()


BOMBS = {
    # The reproducer: 1,617 bytes of brotli that expand to 1 GiB.
    "br": lambda: (_brotli_zeros(1024), "br"),
    "gzip": lambda: (_zlib_zeros(64, 31), "gzip"),
    "deflate": lambda: (_zlib_zeros(64, 15), "deflate"),
    "raw deflate": lambda: (_zlib_zeros(64, -15), "deflate"),
    "br then gzip": lambda: (gzip.compress(_brotli_zeros(1024)), "br, gzip"),
    "gzip twice": lambda: (gzip.compress(_zlib_zeros(256, 31)), "gzip, gzip"),
}

# Peak memory only grows, so after each fetch the peak over the first one's start bounds that fetch.
_MEASURED_FETCHES = """
import json, resource, sys, time
from skazal.ingest.fetch import Fetcher, FetchOptions
fetcher = Fetcher(FetchOptions(timeout=5.0, deadline=30.0, host_delay=0.0, allow_private=True))
fetcher.fetch(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
measured = {}
for url in sys.argv[2:]:
    started = time.monotonic()
    try:
        fetcher.fetch(url)
        error = None
    except Exception as failure:
        error = [type(failure).__name__, str(failure)]
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    measured[url] = {"error": error, "seconds": time.monotonic() - started, "rss_growth_mb": grown / 1024}
print(json.dumps(measured))
"""


@pytest.fixture(scope="module")
def bombs_fetched():
    """Every bomb fetched in a process of its own, with the seconds and the peak memory each took."""
    server = Site()
    warm_up = server.add("/warm-up", PAGE)
    urls = {}
    for number, (name, make) in enumerate(BOMBS.items()):
        body, encoding = make()
        urls[name] = server.add(f"/bomb/{number}", body, Content_Encoding=encoding)
    run = subprocess.run([sys.executable, "-c", _MEASURED_FETCHES, warm_up, *urls.values()],
                         capture_output=True, text=True, timeout=300)
    server.close()
    assert run.returncode == 0, run.stderr
    measured = json.loads(run.stdout)
    return {name: measured[url] for name, url in urls.items()}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_compression_bomb_stops_at_the_cap_in_little_memory(bomb, bombs_fetched):
    measured = bombs_fetched[bomb]

    assert measured["error"] == ["FetchTooLarge", "too large (more than 20 MB)"]
    assert measured["rss_growth_mb"] < 200
    assert measured["seconds"] < 10


def test_the_brotli_bomb_is_the_reproducer():
    assert len(_brotli_zeros(1024)) == 1617


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "br, gzip", "gzip, deflate, br"])
def test_a_compressed_page_is_read_whole(encoding, site):
    body = PAGE
    for coding in [coding.strip() for coding in encoding.split(",")]:
        body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[coding](body)
    url = site.add("/page", body, Content_Encoding=encoding)

    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(url).content == PAGE


def test_a_cut_short_or_unknown_encoding_is_a_named_failure(site):
    cut = site.add("/cut", gzip.compress(PAGE)[:-100], Content_Encoding="gzip")
    unknown = site.add("/unknown", PAGE, Content_Encoding="compress")

    with Fetcher(LOCAL) as fetcher:
        with pytest.raises(FetchFailed, match="gzip body is cut short"):
            fetcher.fetch(cut)
        with pytest.raises(FetchFailed, match="content encoding 'compress' is not one of"):
            fetcher.fetch(unknown)


def test_a_body_longer_than_it_declares_allowed_is_refused_unread(site):
    url = site.add("/declared", b"x" * (21 * MiB))

    with Fetcher(LOCAL) as fetcher, pytest.raises(FetchTooLarge, match="21.0 MB declared, the limit is 20 MB"):
        fetcher.fetch(url)


# --- One deadline per fetch ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", [drip_headers, drip_body], ids=["headers", "body"])
def test_a_server_dripping_one_byte_a_second_cannot_hold_a_fetch_past_its_deadline(answer):
    server = RawServer(answer)
    options = FetchOptions(timeout=2.0, deadline=3.0, host_delay=0.0, allow_private=True)

    started = time.monotonic()
    with Fetcher(options) as fetcher, pytest.raises(FetchTimedOut, match="took more than 3 s"):
        fetcher.fetch(f"http://127.0.0.1:{server.port}/news/1.html")
    elapsed = time.monotonic() - started

    server.close()
    assert elapsed < options.deadline + 1


def test_a_server_that_never_answers_times_out():
    server = RawServer(silent)
    options = FetchOptions(timeout=1.0, deadline=5.0, host_delay=0.0, allow_private=True)

    started = time.monotonic()
    with Fetcher(options) as fetcher, pytest.raises(FetchTimedOut, match="timed out after 1 s"):
        fetcher.fetch(f"http://127.0.0.1:{server.port}/news/1.html")

    server.close()
    assert time.monotonic() - started < options.timeout + 1


# --- Feeds are bytes, never a path or a URL ----------------------------------------------------


def test_a_feed_body_naming_a_local_file_reads_nothing_from_it(site, tmp_path):
    # A real feed on this machine whose items lead to pages of the site: if feedparser opened
    # the path the remote feed names, those pages would be fetched.
    xml = FEED.read_text(encoding="utf-8")
    first_link = xml.split("<link>")[2].split("</link>")[0]
    local_feed = tmp_path / "local-feed.xml"
    local_feed.write_text(xml.replace(first_link, site.add("/from-the-local-file", PAGE)), encoding="utf-8")
    remote = site.add("/feed", str(local_feed).encode(), Content_Type="application/rss+xml")

    with Fetcher(LOCAL) as fetcher:
        items = list(read_sources([remote], fetcher, is_stored=lambda _location: False))

    assert [type(item) for item in items] == [Failure]
    assert "not an RSS or Atom feed" in items[0].reason
    assert site.hits["/from-the-local-file"] == 0


def test_feed_entities_are_not_expanded_nor_fetched_nor_read(site):
    dtd = site.add("/evil.dtd", b'<!ENTITY remote "from-the-network">', Content_Type="application/xml-dtd")
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    feed = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}
<!ENTITY passwd SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "{dtd}"><!ENTITY % dtd SYSTEM "{dtd}"> %dtd;]>
<rss version="2.0"><channel><title>&l9;</title>
<item><title>&passwd;</title><link>{site.base}/item?&l9;&passwd;&remote;</link></item>
</channel></rss>""".encode()
    url = site.add("/entities.rss", feed, Content_Type="application/rss+xml")

    with Fetcher(LOCAL) as fetcher:
        items = list(read_sources([url], fetcher, is_stored=lambda _location: False))

    assert len(items) == 1
    fetched = items[0]
    assert fetched.location.startswith(f"{site.base}/item?")
    assert len(fetched.location) < 200
    assert "root:" not in fetched.location and "from-the-network" not in fetched.location
    assert site.hits["/evil.dtd"] == 0


# --- Addresses that are not public -------------------------------------------------------------

NOT_PUBLIC = (
    # loopback in every spelling
    "127.0.0.1", "127.1", "2130706433", "0x7f.1", "0x7f000001", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0",
    "localhost", "example.org@127.0.0.1", "127.0.0.1#@example.org",
    # IPv4 inside IPv6: NAT64, 6to4, IPv4-compatible, SIIT, IPv4-mapped, Teredo
    "[64:ff9b::a9fe:a9fe]", "[64:ff9b::7f00:1]", "[64:ff9b:1::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "[2002:7f00:1::]",
    "[::a9fe:a9fe]", "[::127.0.0.1]", "[::ffff:0:a9fe:a9fe]", "[::ffff:0:7f00:1]", "[::ffff:169.254.169.254]",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",
    # private, shared, link-local, special-purpose, multicast, reserved
    "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "192.0.0.8", "192.0.0.170",
    "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
    "[fe80::1]", "[fc00::1]", "[fd00::1]", "[fec0::1]", "[ff02::1]", "[::]",
)


@pytest.fixture(scope="module")
def counting_server():
    server = RawServer()
    yield server
    server.close()


@pytest.mark.parametrize("host", NOT_PUBLIC)
def test_a_non_public_address_is_refused_before_any_connection(host, counting_server):
    options = FetchOptions(timeout=1.0, deadline=3.0, host_delay=0.0)
    before = counting_server.connections

    with Fetcher(options) as fetcher, pytest.raises(AddressRefused, match="a private or local address"):
        fetcher.fetch(f"http://{host}:{counting_server.port}/latest/meta-data/")

    assert counting_server.connections == before


def test_an_octal_spelling_of_loopback_is_not_even_a_url(counting_server):
    before = counting_server.connections

    with Fetcher(FetchOptions(timeout=1.0, host_delay=0.0)) as fetcher, pytest.raises(FetchFailed, match="not a valid"):
        fetcher.fetch(f"http://0177.0.0.1:{counting_server.port}/")

    assert counting_server.connections == before


def test_the_connection_counter_sees_an_allowed_connection(counting_server):
    # Without this, a refusal test above would pass on a server that counts nothing.
    before = counting_server.connections
    options = FetchOptions(timeout=1.0, host_delay=0.0, private_hosts=(f"127.0.0.1:{counting_server.port}",))

    with Fetcher(options) as fetcher, pytest.raises(FetchFailed):
        fetcher.fetch(f"http://127.0.0.1:{counting_server.port}/")

    assert counting_server.connections > before


def test_an_allowed_host_opens_its_port_only(site):
    other = Site()
    page = site.add("/page", PAGE)
    other_page = other.add("/page", PAGE)

    with Fetcher(FetchOptions(host_delay=0.0, private_hosts=(f"127.0.0.1:{site.port}",))) as fetcher:
        assert fetcher.fetch(page).content == PAGE
        with pytest.raises(AddressRefused):
            fetcher.fetch(other_page)
    # Without a port, only 80 and 443.
    with Fetcher(FetchOptions(host_delay=0.0, private_hosts=("127.0.0.1",))) as fetcher:
        with pytest.raises(AddressRefused):
            fetcher.fetch(page)

    other.close()
    assert site.hits["/page"] == 1 and other.hits["/page"] == 0


def test_allow_private_does_not_follow_a_redirect_to_another_host(site):
    site.add("/page", PAGE)
    same_host = site.add("/here", b"", status=302, Location="/page")
    elsewhere = site.add("/away", b"", status=302, Location=f"http://localhost:{site.port}/page")

    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(same_host).content == PAGE
        with pytest.raises(AddressRefused, match="localhost resolves to"):
            fetcher.fetch(elsewhere)

    assert site.hits["/page"] == 1


def test_a_connection_opened_under_allow_private_is_not_reused_by_a_redirect_from_elsewhere(site):
    page = site.add("/page", PAGE)
    site.add("/go", b"", status=302, Location=page)

    with Fetcher(LOCAL) as fetcher:
        assert fetcher.fetch(page).content == PAGE  # its connection stays open in the pool
        with pytest.raises(AddressRefused, match="was reached on a private address"):
            fetcher.fetch(f"http://localhost:{site.port}/go")

    assert site.hits["/page"] == 1 and site.hits["/go"] == 1


@pytest.mark.parametrize("entry", ["intranet:http", "user@intranet", "intranet/path", ""])
def test_an_allowed_host_that_is_not_host_or_host_port_is_refused_at_once(entry):
    with pytest.raises(NotAHost, match="is not HOST or HOST:PORT"):
        Fetcher(FetchOptions(private_hosts=(entry,)))


def test_a_dns_answer_that_changes_after_the_check_cannot_lead_the_connection_elsewhere(monkeypatch):
    # DNS rebinding: the name first resolves to a public address (checked, allowed), then to loopback. The
    # connection must be opened to the address checked, never to the name resolved again. No connection is
    # made: the network backend records where it is asked to connect and refuses.
    import httpcore

    checked, later = "93.184.216.34", "127.0.0.1"
    answers = iter([checked] + [later] * 20)
    lookups, connections = [], []
    real_lookup = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "rebinding.example":
            return real_lookup(host, port, *args, **kwargs)
        lookups.append(next(answers))
        return real_lookup(lookups[-1], port, *args, **kwargs)

    def recorded(_backend, host, port, *_args, **_kwargs):
        connections.append(host)
        raise httpcore.ConnectError(f"{host}:{port} not connected in this test")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", recorded)
    with Fetcher(FetchOptions(timeout=1.0, deadline=5.0, host_delay=0.0)) as fetcher, pytest.raises(FetchFailed):
        fetcher.fetch("http://rebinding.example/page")

    assert lookups[0] == checked and connections  # robots.txt and the page: each connection checked first
    assert set(connections) == {checked}  # an IP literal: nothing resolved the name again at connect
