"""What one page may cost (issue 10, findings 4 and 12): an endless sentence, a tag with 2×10⁵
attributes, and the budget every ingest worker holds a page to (a deadline, a memory cap, a crash
that fails one page and no other).

The endless sentence is tests/data/reliability/endless-sentence.html (see the README there): a real
polit.ru page with 20,000 « in one paragraph. The other pages are real pages of tests/data.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import wait
from pathlib import Path

import pytest
from conftest import DATA

import skazal
from skazal.ingest import IngestOptions, ingest
from skazal.ingest.inputs import RawPage
from skazal.ingest.workers import PageBudget, Workers
from skazal.nlp import PARSED_WINDOW, analyse, parse_sentences
from skazal.records import Failure, IngestedPage
from skazal.store import open_store

ENDLESS = DATA / "reliability" / "endless-sentence.html"
RUN = "«".encode() * 20_000  # what was inserted into the real page
GOOD = (DATA / "texts" / "zerkalo-lukashenko-it.txt", DATA / "html" / "013-medportal.html",
        DATA / "html" / "027-kamtime.html")


def endless(runs: int = 1) -> bytes:
    """The reproducer with its run of « repeated `runs` times: one sentence of 20,000 × `runs` tokens."""
    page = ENDLESS.read_bytes()
    at = page.index(RUN)
    return page[:at] + RUN * runs + page[at + len(RUN):]


def original() -> bytes:
    return endless(runs=0)


MEASURED = """
import json, resource, sys, time
import skazal
skazal.extract("Он сказал: «Да».")
started = time.monotonic()
page = skazal.extract(open(sys.argv[1], "rb").read())
print(json.dumps({"seconds": time.monotonic() - started, "quotes": len(page.quotes),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_an_endless_sentence_is_read_in_bounded_time_and_memory():
    """It took 36–45 s and 4.5–6 GB before the parser read long sentences in windows."""
    result = subprocess.run([sys.executable, "-c", MEASURED, str(ENDLESS)], capture_output=True, text=True,
                            timeout=120, check=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    measured = json.loads(result.stdout)
    assert measured["seconds"] < 20
    assert measured["peak_mib"] < 1500
    assert measured["quotes"] == 8


def test_the_endless_sentence_leaves_the_pages_quotes_as_they_were():
    plain, flooded = skazal.extract(original()), skazal.extract(endless())

    assert [(q.kind, q.text) for q in flooded.quotes] == [(q.kind, q.text) for q in plain.quotes]
    assert len(plain.quotes) == 8
    # the one quote whose paragraph took the run may change speaker; the seven others may not
    speakers = [(q.speaker and q.speaker.name) for q in plain.quotes]
    assert sum(a == (q.speaker and q.speaker.name) for a, q in zip(speakers, flooded.quotes)) >= 7


def endless_sentence() -> str:
    """The test texts' words as one sentence: their full stops made commas, their lines joined.
    Real words that do not repeat: a phrase repeated 150 times ties the parser's scores for its
    copies, and which copy wins then depends on rounding."""
    pages = sorted((DATA / "texts").glob("*.txt")) + sorted((DATA / "quote_texts").glob("*.txt"))
    text = " ".join(page.read_text(encoding="utf-8") for page in pages)
    words = " ".join(re.sub(r"[.!?…;]", ",", text).split())
    return words.rstrip(",") + "."


def test_a_sentence_longer_than_the_window_is_parsed_window_by_window():
    doc = analyse(endless_sentence())
    [sentence] = doc.sents
    assert len(sentence.tokens) > 2 * PARSED_WINDOW

    parse_sentences(doc, [0])

    short = analyse(endless_sentence())
    short.sents[0].tokens[PARSED_WINDOW:] = []
    parse_sentences(short, [0])
    for n, token in enumerate(sentence.tokens, 1):
        window = (n - 1) // PARSED_WINDOW
        head = int(token.head_id.split("_")[1])
        assert token.id == f"0_{n}"
        assert head == 0 or window * PARSED_WINDOW < head <= (window + 1) * PARSED_WINDOW
    first = [(t.head_id, t.rel) for t in sentence.tokens[:PARSED_WINDOW]]
    assert first == [(t.head_id, t.rel) for t in short.sents[0].tokens]


def test_a_tag_with_200_000_attributes_is_read_in_seconds():
    """lexbor took 98 s on it: past 200 attributes a tag's attributes are dropped before parsing."""
    page = (DATA / "html" / "013-medportal.html").read_text(encoding="utf-8")
    attributes = " ".join(f"data-a{i}='{i}'" for i in range(200_000))
    at = page.index("<body") + len("<body")
    flooded = page[:at] + " " + attributes + page[at:]

    started = time.monotonic()
    read = skazal.extract(flooded)
    seconds = time.monotonic() - started

    assert seconds < 5
    assert read.body == skazal.extract(page).body


# --- the worker budget --------------------------------------------------------------------------


def raw(path: Path) -> RawPage:
    return RawPage(location=str(path), url=None, content=path.read_bytes())


def test_a_page_over_the_memory_cap_is_quarantined_and_the_good_ones_are_stored(tmp_path):
    """Among real pages, the endless sentence (about 500 MB in a worker) is stored and the same page
    with four times its run (about 1 GB) is refused by an 800 MB cap, with its reason."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for path in GOOD:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "endless.html").write_bytes(endless())
    (folder / "endless-x4.html").write_bytes(endless(runs=4))
    store = open_store(str(tmp_path / "corpus.db"))
    store.upgrade()
    try:
        with Workers(2, PageBudget(seconds=60, memory_bytes=800 << 20)) as workers:
            report = ingest([str(folder)], store, IngestOptions(batch_size=2), workers=workers)
        failures = {Path(f.location).name: f.reason for f in store.failures()}
        stored = [store.seen(str((folder / name).resolve())) for name in (*(p.name for p in GOOD), "endless.html")]
    finally:
        store.close()

    assert report.outcomes == {"new": 4, "failed": 1}
    assert stored == [True] * 4
    assert failures == {"endless-x4.html": "reading it needs more memory than a worker may use"}


@pytest.fixture(scope="module")
def one_worker():
    """One worker with a 3 s deadline, its models loaded (the first page waits for them), and its process."""
    before = set(multiprocessing.active_children())
    with Workers(1, PageBudget(seconds=3)) as workers:
        assert isinstance(workers.submit(raw(GOOD[0])).result(timeout=120), IngestedPage)
        [process] = set(multiprocessing.active_children()) - before
        yield workers, process


def test_a_crashed_worker_fails_its_page_alone_and_is_replaced(one_worker, tmp_path):
    slow = tmp_path / "endless-x4.html"
    slow.write_bytes(endless(runs=4))
    workers, worker = one_worker

    crashed = workers.submit(raw(slow))
    time.sleep(1)
    os.kill(worker.pid, signal.SIGSEGV)
    after = workers.submit(raw(GOOD[1]))

    failure = crashed.result(timeout=60)
    assert isinstance(failure, Failure)
    assert failure.reason == "the worker process reading it was killed by SIGSEGV"
    assert isinstance(after.result(timeout=120), IngestedPage)
    assert not worker.is_alive()


def test_a_page_past_its_deadline_is_quarantined_and_the_next_page_is_read(one_worker, tmp_path):
    slow = tmp_path / "endless-x4.html"
    slow.write_bytes(endless(runs=4))

    started = time.monotonic()
    workers, _ = one_worker
    late = workers.submit(raw(slow)).result(timeout=60)
    waited = time.monotonic() - started
    after = workers.submit(raw(GOOD[2])).result(timeout=120)

    assert isinstance(late, Failure)
    assert late.reason == "reading it took longer than 3 s, the page deadline"
    assert 3 <= waited < 10
    assert isinstance(after, IngestedPage)


def test_closing_the_workers_settles_every_page_given_to_them():
    """Pages not yet read are cancelled, so that a run waiting on them is not left waiting."""
    workers = Workers(1)
    pages = [workers.submit(raw(path)) for path in GOOD]
    workers.close()

    done, waiting = wait(pages, timeout=120)

    assert not waiting
    assert all(page.cancelled() or isinstance(page.result(), IngestedPage) for page in done)
