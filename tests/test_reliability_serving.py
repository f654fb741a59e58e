"""What `serve` may do to the store and what its pages show of stored text (issue 10, finding 12):
the store opened read-only, a missing file never created, no raw bidi controls on a page."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import SQLAlchemyError
from store_fixtures import corpus, fresh_database

from skazal.cli.serve_command import served_store
from skazal.ingest.inputs import failure
from skazal.store import open_store
from skazal.web import create_app

SKAZAL = Path(sys.executable).with_name("skazal")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_serve_opens_the_store_read_only(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages(corpus()[:1])
        with served_store(url) as served:
            served.check_schema()
            assert served.stats().documents == 1
            with pytest.raises(SQLAlchemyError, match="read-only|readonly"):
                served.record_failure(failure("somewhere", "a write the server must not make"))
        with served_store(url, writable=True) as writable:
            writable.record_failure(failure("somewhere", "pages may be ingested over HTTP"))
            assert len(writable.failures()) == 1


def test_serve_does_not_create_a_missing_database(tmp_path):
    missing = tmp_path / "missing.db"
    run = subprocess.run([str(SKAZAL), "serve", "--db", str(missing), "--port", "0"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    reason = "create it with `skazal db upgrade` or `skazal ingest`"
    assert run.stderr.strip().splitlines() == [f"skazal: no corpus at {missing}: {reason}"]
    assert list(tmp_path.iterdir()) == []


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_pages_show_stored_text_without_raw_bidi_controls(tmp_path):
    seed = corpus()[0]
    article = replace(seed.page.article, body=seed.page.body + "\n\nФайл \u202egpj.exe\u202c и \u2067конец\u2069.",
                      title="\u202eЗаголовок\u202c", rubric="\u2066Рубрика\u2069")
    planted = replace(seed, page=replace(seed.page, article=article))
    with open_store(str(tmp_path / "corpus.db")) as store:
        store.upgrade()
        store.save_pages([planted])
        client = TestClient(create_app(store))
        document_id = store.document_at(seed.url or seed.location)
        speaker_id = next(quote.speaker_id for quote in store.quotes() if quote.speaker_id)
        shown = [client.get(path) for path in (f"/documents/{document_id}", "/", "/search?q=Лукашенко",
                                               f"/speakers/{speaker_id}")]
    for response in shown:
        assert response.status_code == 200
        assert not set(BIDI) & set(response.text)
    assert "Файл gpj.exe и конец." in shown[0].text
    assert "Заголовок" in shown[0].text
