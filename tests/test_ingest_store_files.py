"""`skazal ingest .` run in the folder that holds its corpus reads the pages there, never the corpus itself."""
from __future__ import annotations

import shutil

from conftest import DATA

from skazal.cli import main
from skazal.ingest.inputs import is_store_file
from skazal.store import open_store

SEED = DATA / "texts" / "zerkalo-lukashenko-it.txt"


def test_ingest_of_the_corpus_folder_skips_the_database_and_its_companions(tmp_path, monkeypatch):
    shutil.copy(SEED, tmp_path / "zerkalo.txt")
    # A database whose name says nothing: SQLite's header tells it, and its -wal/-shm sit beside it
    # while the run has it open.
    database = tmp_path / "corpus.sqlite"
    (tmp_path / "old.db").write_bytes(b"not even SQLite, but named as a database")
    (tmp_path / "old.db-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    monkeypatch.chdir(tmp_path)
    with open_store(str(database)) as reader:
        reader.upgrade()
        assert reader.stats().documents == 0
        assert (tmp_path / "corpus.sqlite-wal").exists() and (tmp_path / "corpus.sqlite-shm").exists()
        assert main(["ingest", "--db", str(database), "--workers", "0", "."]) == 0
        assert reader.failures() == []
        stats = reader.stats()
        assert stats.documents == 1 and stats.quotes >= 5
    # A second run finds the same one page stored and still nothing else.
    assert main(["ingest", "--db", str(database), "--workers", "0", "."]) == 0
    with open_store(str(database)) as store:
        assert store.stats().documents == 1 and store.failures() == []


def test_store_files_are_told_by_name_and_by_content(tmp_path):
    database = tmp_path / "corpus.sqlite"
    with open_store(str(database)) as store:
        store.upgrade()
        for name in ("corpus.sqlite-wal", "corpus.sqlite-shm", "corpus.sqlite-journal", "skazal.db",
                     "skazal.db-wal", "skazal.db-shm"):
            (tmp_path / name).write_bytes(b"x")
        page = tmp_path / "page-wal"  # a page's own name may end so: no database beside it
        page.write_text("Текст страницы.", encoding="utf-8")
        assert is_store_file(database)
        for name in ("corpus.sqlite-wal", "corpus.sqlite-shm", "corpus.sqlite-journal", "skazal.db",
                     "skazal.db-wal", "skazal.db-shm"):
            assert is_store_file(tmp_path / name), name
        assert not is_store_file(page)
        assert not is_store_file(SEED)
