"""Pages no store could hold, charsets that name no text encoding, a stray byte: one input never stops
a batch, an ingest or a resume (issue 10, findings 1-3 and the page-level parts of 12).

The reproducers are in tests/data/reliability (README there); the pages they are set among are the
real pages of tests/data. Pages made here from a real one (a codec that is no text encoding, escapes
in JSON-LD, bidi controls) say so where they are made.
"""
from __future__ import annotations

import gzip
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DATA
from sqlalchemy import func, select
from store_fixtures import corpus, edited, fresh_database

import skazal
from skazal.errors import UnreadableInput
from skazal.ingest import IngestOptions, ingest
from skazal.ingest.run import save_batch
from skazal.reading.decode import MAX_PAGE_BYTES, decode_page
from skazal.records import Quote
from skazal.store import open_store
from skazal.store.schema import documents, revisions

RELIABILITY = DATA / "reliability"
SKAZAL = Path(sys.executable).with_name("skazal")
SEED = DATA / "texts" / "zerkalo-lukashenko-it.txt"
NEWSRU = DATA / "html" / "012-newsru.html"
GOOD_PAGES = (SEED, DATA / "texts" / "wikinews-militsiya-politsiya.txt", NEWSRU, DATA / "html" / "020-kp.html")
UNSTORABLE = ("\x00", "\ud800", "\udfff")


def seed_as_html(charset: str, text_codec: str = "cp1251") -> bytes:
    """The seed page's text as a minimal HTML page in `text_codec` that names `charset`; its first line,
    the title, begins with the escape "\\ud800" (what a page naming unicode_escape turned into a lone
    surrogate)."""
    title, *paragraphs = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>\n" for line in paragraphs)
    page = f"<html><head><meta charset=\"{charset}\"><title>\\ud800 {title}</title></head><body>{body}</body></html>"
    return page.encode(text_codec, errors="replace")


def with_escapes_in_json_ld(page: bytes) -> bytes:
    """A real page with JSON-LD whose author and headline hold a NUL and lone surrogates as JSON escapes."""
    script = (b'<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": '
              b'"\\u0000\\ud800 \\udfff"}, "headline": "\\ud800"}</script>')
    return page.replace(b"</head>", script + b"</head>", 1)


def strings_of(record) -> list[str]:
    """Every string a record (a Page and all it holds) carries."""
    if isinstance(record, str):
        return [record]
    if isinstance(record, tuple | list):
        return [text for item in record for text in strings_of(item)]
    if hasattr(record, "__dataclass_fields__"):
        return [text for name in record.__dataclass_fields__ for text in strings_of(getattr(record, name))]
    return []


# Finding 2: only WHATWG text encodings decode a page.

@pytest.mark.parametrize("label", ["undefined", "unicode_escape", "raw_unicode_escape", "rot13", "base64", "zlib",
                                   "hex", "uu", "bz2", "punycode", "idna", "utf-7", "x-user-defined", "bogus"])
def test_a_charset_that_is_no_text_encoding_is_ignored_and_the_page_is_read(label):
    page = seed_as_html(label)
    assert decode_page(page) == page.decode("cp1251")


@pytest.mark.parametrize(("label", "codec"), [("koi8", "koi8_r"), ("KOI8-U", "koi8_u"), ("866", "cp866"),
                                              ("x-mac-ukrainian", "mac_cyrillic"), ("cyrillic", "iso8859_5"),
                                              ("x-cp1251", "cp1251"), ("ks_c_5601-1987", "cp949")])
def test_a_whatwg_label_names_its_encoding(label, codec):
    page = seed_as_html(label, text_codec=codec)
    assert decode_page(page) == page.decode(codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_page_in_utf_16_is_known_by_its_byte_order_mark(codec):
    page = seed_as_html("utf-16", text_codec="utf-8").decode("utf-8")
    assert decode_page(("\ufeff" + page).encode(codec)) == page


def test_the_undefined_charset_reproducer_is_read_without_an_error():
    text = decode_page((RELIABILITY / "charset-undefined.html").read_bytes())
    assert text == '<html><head><meta charset="undefined"></head><body><p>\ufffd</p></body></html>'


def test_one_bad_input_among_many_is_one_line_and_the_others_are_read(tmp_path):
    binary = tmp_path / "archive.html"
    binary.write_bytes(gzip.compress(SEED.read_bytes()))
    inputs = [RELIABILITY / "charset-undefined.html", binary, RELIABILITY / "one-stray-byte.html", SEED]
    run = subprocess.run([str(SKAZAL), "extract", "--format", "jsonl", *map(str, inputs)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"skazal: {binary}: binary data, not a text or HTML page"]
    assert len(run.stdout.splitlines()) == 3


# Finding 3: one stray byte does not make a page unreadable; binary data is still refused.

def test_a_page_with_one_stray_byte_reads_as_the_real_article():
    stray = skazal.extract((RELIABILITY / "one-stray-byte.html").read_bytes())
    real = skazal.extract(NEWSRU.read_bytes())
    assert stray.body == real.body
    assert stray.title == real.title


def test_binary_data_is_still_refused():
    noise = bytes(byte or 1 for byte in random.Random(10).randbytes(50_000))
    with pytest.raises(UnreadableInput, match="binary data or an unknown encoding"):
        decode_page(noise)
    with pytest.raises(UnreadableInput, match="binary data"):
        decode_page(gzip.compress(SEED.read_bytes()))


def test_a_page_over_the_limit_says_by_how_much():
    with pytest.raises(UnreadableInput, match=r"^too large \(20\.08 MB; the limit is 20 MB\)$"):
        decode_page(b"a" * int(20.08 * 2**20))
    with pytest.raises(UnreadableInput, match=r"^too large \(more than 20 MB\)$"):
        decode_page(b"a" * (MAX_PAGE_BYTES + 1))  # what the readers hand over: they stop a byte past the limit


# Finding 1 and 12: text is cleaned of what no store can hold, as it is read.

def test_a_str_with_lone_surrogates_and_nul_is_read_clean():
    text = SEED.read_text(encoding="utf-8").replace("поднял", "под\ud800нял\udfff", 1).replace("IT", "I\x00T", 1)
    page = skazal.extract(text)
    assert not [part for part in strings_of(page) if any(char in part for char in UNSTORABLE)]
    assert "в\xa0I\ufffdT-сфере под\ufffdнял\ufffd Александр" in page.body


def test_escapes_in_json_ld_are_read_clean():
    page = skazal.extract(with_escapes_in_json_ld(NEWSRU.read_bytes()))
    assert page.article.author == "\ufffd\ufffd \ufffd"
    assert not [part for part in strings_of(page) if any(char in part for char in UNSTORABLE)]


def test_a_nul_past_the_first_4k_is_replaced():
    text = decode_page((RELIABILITY / "nul-after-4k.txt").read_bytes())
    assert "\x00" not in text
    assert text.count("\ufffd") == 1


# Finding 1: writing fails per page, never per batch, and a resume does not die on it.

@pytest.fixture
def bad_and_good_pages(tmp_path) -> tuple[Path, list[Path]]:
    folder = tmp_path / "pages"
    folder.mkdir()
    pages = []
    for source in GOOD_PAGES:
        pages.append(folder / source.name)
        pages[-1].write_bytes(source.read_bytes())
    made = {
        "nul-after-4k.txt": (RELIABILITY / "nul-after-4k.txt").read_bytes(),
        "unicode-escape.html": seed_as_html("unicode_escape"),
        "json-ld-escapes.html": with_escapes_in_json_ld((DATA / "html" / "009-newsru.html").read_bytes()),
    }
    for name, content in made.items():
        pages.append(folder / name)
        pages[-1].write_bytes(content)
    return folder, pages


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_pages_no_store_could_hold_are_stored_clean_among_good_ones_and_a_resume_adds_nothing(
        backend, tmp_path, bad_and_good_pages):
    folder, pages = bad_and_good_pages
    options = IngestOptions(workers=0, batch_size=50)
    with fresh_database(backend, tmp_path) as url, open_store(url) as store:
        store.upgrade()
        report = ingest([str(folder)], store, options)
        assert report.outcomes == {"new": len(pages)}
        with store.engine.connect() as connection:
            stored = select(documents.c.location, revisions.c.body).join(revisions)
            bodies = dict(connection.execute(stored).all())
        assert set(bodies) == {str(page) for page in pages}
        assert bodies[str(folder / "nul-after-4k.txt")].count("\ufffd") == 1
        resumed = ingest([str(folder)], store, options)
        assert resumed.outcomes == {"stored": len(pages)}
        assert store.stats().documents == len(pages)
        assert store.failures() == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_page_the_store_refuses_is_quarantined_alone_and_the_batch_is_stored(backend, tmp_path):
    good = list(corpus())
    # An offset no integer column holds: the store refuses the page as it would any record it cannot take.
    quote = Quote(kind="direct", text="Мы вместе можем найти", start=2**70, end=2**70 + 21)
    refused = replace(edited(good[0], "\n\nИсправлено."), location="refused-page", url="https://example.org/refused",
                      page=replace(good[0].page, quotes=(quote,)))
    with fresh_database(backend, tmp_path) as url, open_store(url) as store:
        store.upgrade()
        outcomes, failures = save_batch(store, [good[0], refused, *good[1:]])
        assert outcomes == ["new"] * len(good)
        assert [item.location for item in failures] == ["refused-page"]
        assert failures[0].reason.startswith("could not be stored: ")
        assert "\n" not in failures[0].reason
        assert store.stats().documents == len(good)


def test_two_ingests_of_the_same_files_on_one_sqlite_file_end_with_each_page_once(tmp_path, bad_and_good_pages):
    folder, pages = bad_and_good_pages
    database = tmp_path / "corpus.db"
    command = [str(SKAZAL), "ingest", "--db", str(database), "--workers", "0", "--batch-size", "2", str(folder)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    ended = [run.communicate(timeout=600) for run in runs]
    for run, (_out, errors) in zip(runs, ended):
        assert "Traceback" not in errors
        assert run.returncode == 0, errors
    with open_store(str(database)) as store:
        with store.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(documents)).scalar() == len(pages)
            assert connection.execute(select(func.count()).select_from(revisions)).scalar() == len(pages)
        assert store.failures() == []


def test_an_ingest_into_a_database_that_cannot_be_reached_says_so_in_one_line():
    run = subprocess.run([str(SKAZAL), "ingest", "--db", "postgresql://postgres@127.0.0.1:1/nothing", str(SEED)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("skazal: cannot use the database: OperationalError: connection failed")
