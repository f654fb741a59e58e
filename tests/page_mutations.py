"""Seeded mutations of real pages, for the fuzz test and `scripts/fuzz-pages`.

Each mutation is one of the faults probing found or the issue lists: bit flips, truncation, a
spliced run of the page's own bytes (tags cut and pasted), NUL bytes, an encoded lone surrogate,
thousands of nested elements, a declared charset that is wrong or no text encoding, and an endless
run of quotation marks. Through ingest, the mutated pages are files of a folder.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from skazal.ingest.sources import file_kind

DATA = Path(__file__).resolve().parent / "data"
SEED_BYTES = 40_000  # the head of each page: the mutations, not the page length, are under test
CHARSETS = (b"undefined", b"utf-7", b"koi8-r", b"x-mac-cyrillic", b"rot13", b"utf-16", b"base64", b"unicode_escape")


def seed_pages() -> list[bytes]:
    """The real pages the mutations start from: saved HTML, text scrapes and the reproducers."""
    paths = sorted((DATA / "html").glob("*.html")) + sorted((DATA / "texts").glob("*.txt"))
    paths += sorted((DATA / "reliability").glob("*.*"))
    return [path.read_bytes()[:SEED_BYTES] for path in paths if path.suffix in (".html", ".txt")]


def mutated(rng: random.Random, page: bytes) -> bytes:
    data = bytearray(page) or bytearray(b" ")
    kind = rng.randrange(8)
    at = rng.randrange(len(data))
    if kind == 0:
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[at:]
    elif kind == 2:
        i, j = sorted(rng.randrange(len(data)) for _ in range(2))
        data[at:at] = data[i:j][:5000]
    elif kind == 3:
        for _ in range(rng.randint(1, 5)):
            data.insert(rng.randrange(len(data)), 0)
    elif kind == 4:
        data[at:at] = "\ud800".encode("utf-8", "surrogatepass")
    elif kind == 5:
        data[at:at] = b"<div>" * rng.randint(1000, 10_000)
    elif kind == 6:
        data[0:0] = b'<meta charset="' + rng.choice(CHARSETS) + b'">'
    else:
        data[at:at] = "«".encode() * rng.randint(1, 300)
    return bytes(data)


# How an ingest quarantines what is a bug, not a page's fault: an exception no stage named, a page the store
# refused, a worker that crashed (a C extension) or was killed, a page past its deadline (a hang).
UNNAMED_FAILURES = ("internal error", "could not be stored", "the worker process", "a worker process",
                    "reading it took longer")


def mutated_page_files(rng: random.Random, pages: Sequence[bytes], count: int, folder: Path) -> list[Path]:
    """`count` mutated pages written as files of `folder`, each one ingest reads as a page (a mutation that
    makes a feed or a list of URLs is drawn again: ingest would fetch what it names)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    while len(files) < count:
        path = folder / f"case-{len(files):05d}.html"
        path.write_bytes(mutated(rng, rng.choice(pages)))
        if file_kind(path) == "page":
            files.append(path)
    return files
