"""Fetching pages over HTTP politely and safely.

robots.txt is obeyed, each host gets a pause between requests, bodies are streamed and cut off
past the size limit (compressed ones as they expand), every redirect hop is checked again, only
public addresses are reached, and one deadline covers the whole fetch: connecting, the headers
and the body of every request it makes (robots.txt and redirects included).
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from skazal.errors import SkazalError
from skazal.ingest.addresses import AllowedHost, is_public
from skazal.ingest.decoding import ACCEPTED, BodyTooLarge, BodyUndecodable, content_codings, decoded
from skazal.reading.decode import MAX_PAGE_BYTES

USER_AGENT = "skazal/0.1 (who said what in Russian-language news; obeys robots.txt)"
ROBOTS_AGENT = "skazal"


class FetchFailed(SkazalError):
    """A page could not be fetched: network error, HTTP error, timeout, too large."""


class FetchTimedOut(FetchFailed):
    """A fetch that passed its deadline, or a server silent for longer than the timeout."""


class FetchTooLarge(FetchFailed):
    """A body longer than the size limit, as sent or once decompressed."""


class FetchRefused(SkazalError):
    """A page was not fetched on purpose: robots.txt, a private address, a scheme other than http(s)."""


class AddressRefused(FetchRefused):
    """A host that resolves to a private, loopback, link-local or otherwise non-public address."""


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds to connect, and between two reads
    deadline: float = 60.0  # seconds for a whole fetch (its requests, not its waits for a turn at the host)
    host_delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    max_bytes: int = MAX_PAGE_BYTES
    # Reach 127.0.0.1, 10/8, ... (tests, an intranet): for the URL asked and redirects on its host;
    # a redirect to another host is checked as if it were not set.
    allow_private: bool = False
    # Hosts that may be private all the same (an intranet mirror): "host" on ports 80 and 443 only,
    # "host:port" on that port only.
    private_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched:
    url: str  # the address the body came from, after redirects
    content: bytes
    content_type: str | None
    fetched_at: str  # ISO 8601, UTC


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`; `AddressRefused` when any address it resolves to is not public."""
    addresses = _resolve(host, port)
    for address in addresses:
        if not is_public(address):
            raise AddressRefused(f"{host} resolves to {address}, a private or local address")
    return addresses[0]


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchFailed(f"cannot resolve {host}: {error.strerror}") from error
    return [info[4][0] for info in infos]


@dataclass(frozen=True)
class _Request:
    """What the request a thread is making may do: until when it may run, and whether it may go private."""

    deadline: float
    private_ok: bool

    def within(self, timeout: float | None, late: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise late("the fetch deadline has passed")
        return left if timeout is None else min(timeout, left)


# httpcore's sync pool does its reads and writes in the thread that asked, so a thread-local
# tells the shared connections which request they serve now.
_current = threading.local()


def _request() -> _Request:
    return getattr(_current, "request", None) or _Request(deadline=float("inf"), private_ok=False)


class _CheckedBackend(httpcore.NetworkBackend):
    """Connects to the very address it checked (a second DNS answer cannot lead elsewhere), within the deadline."""

    def __init__(self, allowed: tuple[AllowedHost, ...]) -> None:
        self._inner = httpcore.SyncBackend()
        self._allowed = allowed

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        request = _request()
        if any(allowed.admits(host, port) for allowed in self._allowed):
            address, for_anyone = host, True
        elif request.private_ok:
            address, for_anyone = host, False
        else:
            address, for_anyone = public_address(host, port), True
        timeout = request.within(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
        return _CheckedStream(stream, host, for_anyone)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefused("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _CheckedStream(httpcore.NetworkStream):
    """A connection that keeps to the deadline of the request it serves, and, reused, to its address check."""

    def __init__(self, inner: httpcore.NetworkStream, host: str, for_anyone: bool) -> None:
        self._inner = inner
        self._host = host
        self._for_anyone = for_anyone  # False: reached without the address check, for a request that could skip it

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _request().within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        request = _request()
        if not (self._for_anyone or request.private_ok):
            # A connection opened for a request that could go private, reused by one that cannot.
            raise AddressRefused(f"{self._host} was reached on a private address, which this request may not use")
        self._inner.write(buffer, request.within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        timeout = _request().within(timeout, httpcore.ConnectTimeout)
        secured = self._inner.start_tls(ssl_context, server_hostname, timeout)
        return _CheckedStream(secured, self._host, self._for_anyone)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


def _transport(options: FetchOptions) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    allowed = tuple(AllowedHost.parse(host) for host in options.private_hosts)
    # httpx 0.28 takes no network backend of its own; its connection pool does.
    transport._pool._network_backend = _CheckedBackend(allowed)
    return transport


class _Budget:
    """The seconds a fetch has left, spent only while one of its requests is under way."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.left = seconds

    @contextmanager
    def spending(self, private_ok: bool):
        started = time.monotonic()
        _current.request = _Request(deadline=started + self.left, private_ok=private_ok)
        try:
            yield
        finally:
            _current.request = None
            self.left -= time.monotonic() - started

    @property
    def spent(self) -> bool:
        return self.left <= 0


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
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPTED},
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
            return self._follow(url, _Budget(self.options.deadline))
        except (httpx.InvalidURL, UnicodeError, ValueError) as error:
            raise FetchFailed(f"not a valid URL ({error})") from error

    def _follow(self, url: str, budget: _Budget) -> Fetched:
        current = url
        first_host = urlsplit(url).netloc.lower()
        for _ in range(self.options.max_redirects + 1):
            _check_scheme(current)
            host = urlsplit(current).netloc.lower()
            # --allow-private is for the host asked for: a redirect elsewhere is checked again.
            private_ok = self.options.allow_private and host == first_host
            with self._host_lock(host):
                self._check_robots(current, budget, private_ok)
                status, headers, content = self._get(current, budget, private_ok)
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

    def _get(self, url: str, budget: _Budget, private_ok: bool) -> tuple[int, httpx.Headers, bytes]:
        self._pause(urlsplit(url).netloc)
        try:
            with budget.spending(private_ok), self._client.stream("GET", url) as response:
                if response.is_redirect:
                    return response.status_code, response.headers, b""
                return response.status_code, response.headers, self._read_body(response)
        except httpx.TimeoutException as error:
            if budget.spent:
                raise FetchTimedOut(f"took more than {budget.seconds:g} s") from error
            raise FetchTimedOut(f"timed out after {self.options.timeout:g} s") from error
        except httpx.HTTPError as error:
            raise FetchFailed(f"{type(error).__name__}: {error}") from error

    def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        try:
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(f"too large ({int(declared) / 2**20:.1f} MB declared, the limit is "
                                   f"{limit / 2**20:g} MB)")
            return decoded(response.iter_raw(), content_codings(response.headers.get("content-encoding")), limit)
        except BodyTooLarge as error:
            raise FetchTooLarge(str(error)) from error
        except BodyUndecodable as error:
            raise FetchFailed(str(error)) from error

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

    def _check_robots(self, url: str, budget: _Budget, private_ok: bool) -> None:
        parts = urlsplit(url)
        if parts.netloc not in self._robots:
            try:
                self._robots[parts.netloc] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt",
                                                               budget, private_ok)
            except AddressRefused:
                raise  # whether an address may be reached depends on the request, so it is not kept
            except (FetchFailed, FetchRefused) as error:
                # Kept, so that a host that is down costs one timeout per run, not one per page.
                self._robots[parts.netloc] = error
        robots = self._robots[parts.netloc]
        if isinstance(robots, SkazalError):
            raise type(robots)(str(robots))
        if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchRefused("robots.txt disallows it")

    def _read_robots(self, robots_url: str, budget: _Budget, private_ok: bool) -> RobotFileParser | None:
        """The host's rules; None when it has none (4xx). Unreachable robots.txt forbids all, as RFC 9309 says."""
        parser = RobotFileParser(robots_url)
        try:
            status, _, content = self._get(robots_url, budget, private_ok)
        except FetchFailed as error:
            raise type(error)(f"{error} (reading robots.txt)") from error
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
