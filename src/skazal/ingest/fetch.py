"""Fetching pages over HTTP politely and safely.

robots.txt is obeyed, each host gets a pause between requests, bodies are streamed and cut off
past the size limit, every redirect hop is checked again, and only public addresses are reached.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from skazal.errors import SkazalError
from skazal.reading.decode import MAX_PAGE_BYTES

USER_AGENT = "skazal/0.1 (who said what in Russian-language news; obeys robots.txt)"
ROBOTS_AGENT = "skazal"


class FetchFailed(SkazalError):
    """A page could not be fetched: network error, HTTP error, timeout, too large."""


class FetchRefused(SkazalError):
    """A page was not fetched on purpose: robots.txt, a private address, a scheme other than http(s)."""


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds to connect, and between two reads
    deadline: float = 60.0  # seconds for a whole response, so a slow drip cannot hold a worker
    host_delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    max_bytes: int = MAX_PAGE_BYTES
    allow_private: bool = False  # reach 127.0.0.1, 10/8, ... (tests, an intranet)
    private_hosts: tuple[str, ...] = ()  # host names that may be private all the same (an intranet mirror)


@dataclass(frozen=True)
class Fetched:
    url: str  # the address the body came from, after redirects
    content: bytes
    content_type: str | None
    fetched_at: str  # ISO 8601, UTC


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`; `FetchRefused` when any address it resolves to is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchFailed(f"cannot resolve {host}: {error.strerror}") from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not _is_public(address):
            raise FetchRefused(f"{host} resolves to {address}, a private or local address")
    return addresses[0]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _PublicOnlyBackend(httpcore.NetworkBackend):
    """Connects to the very address it checked, so a second DNS answer cannot lead elsewhere."""

    def __init__(self, private_hosts: tuple[str, ...]) -> None:
        self._inner = httpcore.SyncBackend()
        self._private_hosts = {host.lower() for host in private_hosts}

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = host if host.lower() in self._private_hosts else public_address(host, port)
        return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefused("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _transport(options: FetchOptions) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    if not options.allow_private:
        # httpx 0.28 takes no network backend of its own; its connection pool does.
        transport._pool._network_backend = _PublicOnlyBackend(options.private_hosts)
    return transport


class Fetcher:
    """One HTTP client for a run: connections, robots.txt and per-host pauses are shared by every fetch.

    Safe to share between threads: requests to one host wait their turn, other hosts go on meanwhile.
    """

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = options or FetchOptions()
        self._client = httpx.Client(
            transport=_transport(self.options),
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT},
        )
        self._robots: dict[str, RobotFileParser | SkazalError | None] = {}
        self._last_request: dict[str, float] = {}
        self._host_locks: dict[str, threading.RLock] = {}
        self._locks_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        """GET `url`, following at most `max_redirects` redirects, each checked like the first request."""
        try:
            return self._follow(url)
        except (httpx.InvalidURL, UnicodeError, ValueError) as error:
            raise FetchFailed(f"not a valid URL ({error})") from error

    def _follow(self, url: str) -> Fetched:
        current = url
        for _ in range(self.options.max_redirects + 1):
            _check_scheme(current)
            with self._host_lock(urlsplit(current).netloc):
                self._check_robots(current)
                status, headers, content = self._get(current)
            if status in (301, 302, 303, 307, 308):
                target = headers.get("location")
                if not target:
                    raise FetchFailed(f"HTTP {status} redirect without a Location")
                current = str(httpx.URL(current).join(target))
                continue
            if status >= 400:
                raise FetchFailed(f"HTTP {status}")
            return Fetched(url=current, content=content, content_type=headers.get("content-type"), fetched_at=now())
        raise FetchFailed(f"more than {self.options.max_redirects} redirects")

    def _host_lock(self, host: str) -> threading.RLock:
        with self._locks_lock:
            return self._host_locks.setdefault(host, threading.RLock())

    def _get(self, url: str) -> tuple[int, httpx.Headers, bytes]:
        self._pause(urlsplit(url).netloc)
        try:
            with self._client.stream("GET", url) as response:
                if response.is_redirect:
                    return response.status_code, response.headers, b""
                return response.status_code, response.headers, self._read_body(response)
        except httpx.TimeoutException as error:
            raise FetchFailed(f"timed out after {self.options.timeout:g} s") from error
        except httpx.HTTPError as error:
            raise FetchFailed(f"{type(error).__name__}: {error}") from error

    def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.options.max_bytes
        too_large = FetchFailed(f"too large (more than {limit // 2**20} MB)")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        deadline = time.monotonic() + self.options.deadline
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchFailed(f"took more than {self.options.deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _pause(self, host: str) -> None:
        delay = self.options.host_delay
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(ROBOTS_AGENT) if isinstance(robots, RobotFileParser) else None
        if crawl_delay:
            delay = max(delay, float(crawl_delay))
        wait = self._last_request.get(host, -delay) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            try:
                self._robots[parts.netloc] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
            except (FetchFailed, FetchRefused) as error:
                # Kept, so that a host that is down costs one timeout per run, not one per page.
                self._robots[parts.netloc] = error
        robots = self._robots[parts.netloc]
        if isinstance(robots, SkazalError):
            raise type(robots)(str(robots))
        if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchRefused("robots.txt disallows it")

    def _read_robots(self, robots_url: str) -> RobotFileParser | None:
        """The host's rules; None when it has none (4xx). Unreachable robots.txt forbids all, as RFC 9309 says."""
        parser = RobotFileParser(robots_url)
        try:
            status, _, content = self._get(robots_url)
        except FetchFailed as error:
            raise FetchFailed(f"{error} (reading robots.txt)") from error
        if 400 <= status < 500 or status in (301, 302, 303, 307, 308):
            return None
        if status >= 500:
            raise FetchRefused(f"robots.txt answered HTTP {status}")
        parser.parse(content.decode("utf-8", errors="replace").splitlines())
        return parser


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https are fetched, not {scheme or 'a bare path'}")
