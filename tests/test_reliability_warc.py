"""WARC records that break the format are counted, never silent (issue 10, finding 10).

The archives are written here, record by record, from real pages of tests/data/html: good records
between a Content-Length that lies (shorter and longer), LF-only header lines, a binary payload,
a digest that does not match, a truncated last gzip member and trailing garbage. Every good record
is stored; every bad one is quarantined with its offset (or record id) and its reason.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from skazal.ingest import IngestOptions, ingest
from skazal.ingest.warc import read_warc
from skazal.records import Failure
from skazal.store import open_store

PAGES = DATA / "html"
GOOD = ("013-medportal.html", "020-bykvu.html", "027-kamtime.html", "043-nr2.html")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40


def url_of(name: str) -> str:
    return f"https://news.example.ru/{name}"


def record(name: str, payload: bytes | None = None, length_change: int = 0, digest: bool = True,
           line_end: bytes = b"\r\n") -> bytes:
    """A response record for `url_of(name)` holding the page (or `payload`), as a WARC writer writes it."""
    content = payload if payload is not None else (PAGES / name).read_bytes()
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + content
    headers = [
        b"WARC/1.0",
        b"WARC-Type: response",
        f"WARC-Record-ID: <urn:uuid:{hashlib.md5(name.encode()).hexdigest()}>".encode(),
        f"WARC-Target-URI: {url_of(name)}".encode(),
        b"WARC-Date: 2026-12-02T12:00:00Z",
        b"Content-Type: application/http; msgtype=response",
        f"Content-Length: {len(block) + length_change}".encode(),
    ]
    if digest:
        headers.append(b"WARC-Block-Digest: sha1:" + base64.b32encode(hashlib.sha1(block).digest()))
    return line_end.join(headers) + line_end + line_end + block + b"\r\n\r\n"


@pytest.fixture
def sqlite_store(tmp_path):
    corpus = open_store(str(tmp_path / "corpus.db"))
    corpus.upgrade()
    try:
        yield corpus
    finally:
        corpus.close()


def run(archive: Path, store) -> tuple[dict[str, int], dict[str, str]]:
    """The outcomes of ingesting `archive` and the reason of each failure, by its location."""
    report = ingest([str(archive)], store, IngestOptions(workers=0, batch_size=2))
    return report.outcomes, {failure.location: failure.reason for failure in store.failures()}


def reasons_by_offset(archive: Path, failures: dict[str, str]) -> dict[int, str]:
    prefix = f"{archive.resolve()}@"
    assert all(location.startswith(prefix) for location in failures), failures
    return {int(location.removeprefix(prefix)): reason for location, reason in failures.items()}


def test_a_plain_warc_keeps_its_good_records_and_names_every_bad_one(sqlite_store, tmp_path):
    records = [
        record(GOOD[0]),
        record("short.html", (PAGES / GOOD[1]).read_bytes(), length_change=-700, digest=False),
        record(GOOD[1]),
        record("long.html", (PAGES / GOOD[2]).read_bytes(), length_change=+500, digest=False),
        record(GOOD[2]),
        record("lf-only.html", (PAGES / GOOD[3]).read_bytes(), line_end=b"\n"),
        record(GOOD[3]),
        b"\x89 not a record, left at the end by a broken writer \x00\xff" * 20,
    ]
    offsets = [sum(map(len, records[:i])) for i in range(len(records))]
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(b"".join(records))

    outcomes, failures = run(archive, sqlite_store)

    assert outcomes == {"new": 4, "failed": 4}
    assert [sqlite_store.seen(url_of(name)) for name in GOOD] == [True] * 4
    reasons = reasons_by_offset(archive, failures)
    assert sorted(reasons) == [offsets[1], offsets[3], offsets[5], offsets[7]]
    assert "does not end where its Content-Length" in reasons[offsets[1]]
    assert "does not end where its Content-Length" in reasons[offsets[3]]
    assert "LF alone" in reasons[offsets[5]]
    assert "no WARC record starts here" in reasons[offsets[7]]
    assert all(reason.startswith("corrupt WARC record") for reason in reasons.values())


def test_a_gzipped_warc_with_a_truncated_last_member_stores_no_prefix(sqlite_store, tmp_path):
    members = [gzip.compress(record(name)) for name in GOOD[:3]]
    members.insert(1, gzip.compress(record("binary.html", PNG)))
    members.insert(3, gzip.compress(record("long.html", (PAGES / GOOD[3]).read_bytes(), length_change=+900,
                                           digest=False)))
    last = gzip.compress(record("truncated.html", (PAGES / GOOD[3]).read_bytes(), digest=False))
    members.append(last[: len(last) * 2 // 3])
    offsets = [sum(map(len, members[:i])) for i in range(len(members))]
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(b"".join(members))

    outcomes, failures = run(archive, sqlite_store)

    assert outcomes == {"new": 3, "failed": 3}
    assert [sqlite_store.seen(url_of(name)) for name in GOOD[:3]] == [True] * 3
    assert not sqlite_store.seen(url_of("truncated.html"))
    binary = failures.pop(f"{archive.resolve()}#urn:uuid:{hashlib.md5(b'binary.html').hexdigest()}")
    assert "binary" in binary
    reasons = reasons_by_offset(archive, failures)
    assert sorted(reasons) == [offsets[3], offsets[5]]
    assert "does not end where its Content-Length" in reasons[offsets[3]]
    assert "truncated" in reasons[offsets[5]]


def test_trailing_garbage_after_the_last_gzip_member_is_a_failure_of_its_own(tmp_path):
    members = [gzip.compress(record(name)) for name in GOOD[:2]]
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(b"".join(members) + b"<html>a stray page appended to the archive</html>\n")

    items = list(read_warc(archive))

    assert [item.url for item in items if not isinstance(item, Failure)] == [url_of(name) for name in GOOD[:2]]
    [garbage] = [item for item in items if isinstance(item, Failure)]
    assert garbage.location == f"{archive}@{sum(map(len, members))}"
    assert "not a gzip member" in garbage.reason


def test_a_record_whose_digest_does_not_match_is_quarantined_even_with_lf_only_neighbours(tmp_path):
    good = record(GOOD[0])
    tampered = bytearray(record(GOOD[1]))
    tampered[len(tampered) // 2] ^= 0x20
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(good + bytes(tampered))

    items = list(read_warc(archive))

    assert [type(item).__name__ for item in items] == ["RawPage", "Failure"]
    assert items[0].content == (PAGES / GOOD[0]).read_bytes()
    assert "block digest does not match" in items[1].reason


READ_AND_MEASURE = """
import json, resource, sys
from pathlib import Path
from skazal.ingest.warc import read_warc
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
items = list(read_warc(Path(sys.argv[1])))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grown_kib": after - before, "reasons": [getattr(item, "reason", "page") for item in items]}))
"""


def test_a_record_over_the_page_cap_is_a_failure_and_is_never_held_whole(tmp_path):
    """A 200 MB page with a digest, written and then read in chunks: the reader grows by < 60 MB."""
    size, chunk = 200 << 20, b"a" * (1 << 20)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    digest = hashlib.sha1(http)
    for _ in range(size >> 20):
        digest.update(chunk)
    archive = tmp_path / "huge.warc.gz"
    with gzip.open(archive, "wb", compresslevel=1) as out:
        out.write(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.ru/huge\r\n"
                  b"WARC-Block-Digest: sha1:" + base64.b32encode(digest.digest())
                  + f"\r\nContent-Length: {len(http) + size}\r\n\r\n".encode() + http)
        for _ in range(size >> 20):
            out.write(chunk)
        out.write(b"\r\n\r\n")

    result = subprocess.run([sys.executable, "-c", READ_AND_MEASURE, str(archive)],
                            capture_output=True, text=True, timeout=300, check=True)

    measured = json.loads(result.stdout)
    [reason] = measured["reasons"]
    assert "larger than the 20 MB limit" in reason
    assert measured["grown_kib"] < 60 * 1024
