"""Ingest on Apache Spark against the single-machine ingest, on real pages of tests/data/html.

One SparkSession (local[2], UI off) serves the module; one `skazal spark ingest` over three WARC
files (one a broken one) serves most tests. Its Parquet tables loaded by `skazal spark load` must
give the corpus `skazal ingest` gives from the same files, on SQLite and on PostgreSQL.
Skipped only where PySpark or Java is missing (`make install` brings both).
"""
from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import zlib
from contextlib import redirect_stderr
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as parquet
import pytest
from conftest import DATA
from sqlalchemy import func, select
from store_fixtures import BACKENDS, edited, fresh_database
from store_fixtures import corpus as real_pages

pytest.importorskip("pyspark", reason="PySpark is not installed: pip install -e '.[spark]' (make install does)")
if shutil.which("java") is None:
    pytest.skip("Java 17+ is not installed (make test installs it: scripts/install-java)",
                allow_module_level=True)

from fastwarc.warc import WarcRecord, WarcRecordType  # noqa: E402

from skazal.cli import main  # noqa: E402
from skazal.spark import job, merge  # noqa: E402
from skazal.spark.tables import TABLES  # noqa: E402
from skazal.store import open_store  # noqa: E402
from skazal.store.schema import (  # noqa: E402
    documents,
    entities,
    entity_aliases,
    entity_terms,
    failures,
    mentions,
    metadata,
    outlets,
    quotes,
    revisions,
    search_entries,
    sources,
)

PAGES = DATA / "html"
SITE = "https://news.example.ru/"
# Pages of distinct days in each file, so that running one file again replaces its days only.
FILE_A = ("001-ria.html", "009-newsru.html", "004-regnum.html")  # 2012-01-04, 2011-12-09
FILE_B = ("010-lenta.html", "012-newsru.html", "015-3dnews.html")  # 2016-04-22, 2016-06-08
SUMMARY = re.compile(r"(\d+) processed, (\d+) failed, (\d+) skipped \((\d+) WARC files, (\d+) Python workers, "
                     r"models loaded (\d+) times; worker peak RSS (\d+) MB\)")


def warc_record(url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
                date: str = "2024-05-01T10:00:00Z") -> bytes:
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = date
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


def page_record(name: str) -> bytes:
    return warc_record(SITE + name, (PAGES / name).read_bytes())


def broken_archive() -> bytes:
    """Two real pages (one of them twice) among a wrong Content-Length, a truncated gzip member, a
    binary payload and a page with no article text."""
    meduza = gzip.compress(page_record("019-meduza.html"))
    wrong_length = re.sub(rb"Content-Length: (\d+)", lambda m: b"Content-Length: %d" % (int(m[1]) + 500),
                          page_record("011-rbc.html"), count=1)
    truncated = gzip.compress(page_record("013-medportal.html"))
    binary = warc_record(SITE + "picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256))
    empty = warc_record(SITE + "empty.html", b"<html><head><title></title></head><body></body></html>")
    members = [meduza, gzip.compress(wrong_length), gzip.compress(page_record("020-kp.html")),
               truncated[: len(truncated) // 2], gzip.compress(binary), gzip.compress(empty), meduza]
    return b"".join(members)


@pytest.fixture(scope="module")
def spark():
    session = job.session("local[2]", shuffle_partitions=2, progress=False,
                          conf={"spark.ui.enabled": "false", "spark.sql.adaptive.enabled": "false"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("warc")
    a = folder / "a.warc.gz"
    a.write_bytes(b"".join(gzip.compress(page_record(name)) for name in FILE_A))
    b = folder / "b.warc"
    b.write_bytes(b"".join(page_record(name) for name in FILE_B))
    c = folder / "c.warc.gz"
    c.write_bytes(broken_archive())
    manifest = folder / "more.txt"
    manifest.write_text(f"# the other two\n{b.name}\n{c}\n", encoding="utf-8")
    return {"a": a, "b": b, "c": c, "manifest": manifest}


@pytest.fixture(scope="module")
def ingested(spark, archives, tmp_path_factory):
    """`skazal spark ingest` over the three files (one named, two in a manifest): its Parquet folder
    and the counts it printed."""
    output = tmp_path_factory.mktemp("parquet") / "tables"
    printed = io.StringIO()
    with redirect_stderr(printed):
        code = main(["spark", "ingest", "--master", "local[2]", "--output", str(output),
                     str(archives["a"]), str(archives["manifest"])])
    assert code == 1, printed.getvalue()  # 1: some records are failures, as with `skazal ingest`
    counts = SUMMARY.search(printed.getvalue())
    assert counts is not None, printed.getvalue()
    return output, dict(zip(("processed", "failed", "skipped", "tasks", "workers", "model_loads", "peak_mb"),
                            map(int, counts.groups()), strict=True))


def parquet_rows(folder: Path, table: str) -> list[dict]:
    rows = []
    for file in sorted((folder / table).glob("day=*/*.parquet")):
        day = file.parent.name.removeprefix("day=")
        rows += [row | {"day": day} for row in parquet.ParquetFile(file).read().to_pylist()]
    return rows


def corpus(url: str) -> dict[str, list[tuple]]:
    """Everything stored, without the ids the database gave out (they differ with the order of writes)."""
    with open_store(url) as store, store.engine.connect() as connection:
        address = {row.id: row.address for row in connection.execute(select(documents.c.id, documents.c.address))}
        name = {row.id: (row.type, row.name) for row in connection.execute(select(entities))}
        outlet = dict(connection.execute(select(outlets.c.id, outlets.c.name)).all())
        quote_at = {row.id: (address[row.document_id], row.start, row.end)
                    for row in connection.execute(select(quotes))}

        def rows(table, *columns, **ids):
            result = []
            for row in connection.execute(select(table)):
                fields = row._mapping
                result.append(tuple(fields[column] for column in columns)
                              + tuple(lookup.get(fields[column]) for column, lookup in ids.items()))
            return sorted(result, key=repr)

        return {
            "documents": rows(documents, "address", "location", "url", "content_hash", "revision", "title",
                              "published", "day", "author", "rubric", "fetched_at", duplicate_of=address,
                              outlet_id=outlet),
            "revisions": rows(revisions, "number", "content_hash", "title", "published", "body", "fetched_at",
                              document_id=address),
            "quotes": rows(quotes, "kind", "text", "start", "end", "day", "speaker_role", "cue_lemma", "cue_form",
                           "cue_start", "cue_end", "anonymous_description", "confidence", "nested",
                           document_id=address, speaker_id=name, speaker_name_id=name),
            "mentions": rows(mentions, "start", "end", "text", "part", document_id=address, entity_id=name,
                             name_id=name),
            "entities": rows(entities, "type", "name", "surname", "documents", person_id=name),
            "aliases": rows(entity_aliases, "alias", entity_id=name),
            "terms": rows(entity_terms, "term", entity_id=name),
            "sources": rows(sources, "name", "phrase", "start", "end", document_id=address),
            "search": rows(search_entries, "lemmas", "day", document_id=address, quote_id=quote_at),
            "failures": rows(failures, "location", "reason"),
        }


def row_counts(url: str) -> dict[str, int]:
    with open_store(url) as store, store.engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_spark_ingest_and_load_give_the_corpus_the_single_machine_ingest_gives(ingested, archives, backend,
                                                                                tmp_path):
    output, _ = ingested
    warcs = [str(archives[name]) for name in ("a", "b", "c")]
    (tmp_path / "spark").mkdir()
    (tmp_path / "single").mkdir()
    with fresh_database(backend, tmp_path / "spark") as spark_db, \
            fresh_database(backend, tmp_path / "single") as single_db:
        assert main(["spark", "load", "--db", spark_db, str(output)]) == 0
        assert main(["ingest", "--db", single_db, "--workers", "0", *warcs]) == 1  # 1: some records failed

        by_spark, by_ingest = corpus(spark_db), corpus(single_db)

    assert len(by_ingest["documents"]) == 8
    assert len(by_ingest["quotes"]) > 20 and by_ingest["entities"] and by_ingest["failures"]
    for table in by_ingest:
        assert by_spark[table] == by_ingest[table], table


# The ids a column holds that the schema declares no foreign key for.
_POINTS_AT = {"person_id": "entities", "name_id": "entities", "speaker_name_id": "entities", "outlet_id": "outlets"}


def table_dumps(url: str) -> dict[str, list[tuple]]:
    """Every row of every corpus table (but when it was saved) in the order of its key, each id as its
    rank among its table's ids: PostgreSQL spends a sequence number on every insert that meets a row
    already stored, so the same writes in the same order give the same ranks, not the same numbers."""
    with open_store(url) as store, store.engine.connect() as connection:
        ranks = {name: {row_id: rank for rank, row_id in enumerate(
                    connection.execute(select(table.c.id).order_by(table.c.id)).scalars())}
                 for name, table in metadata.tables.items() if "id" in table.c}

        def target(table, column) -> str | None:
            if column == "id":
                return table.name
            keys = [key.column.table.name for key in table.c[column].foreign_keys]
            return keys[0] if keys else _POINTS_AT.get(column)

        dumps = {}
        for name, table in metadata.tables.items():
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            dumps[name] = [tuple(ranks[target(table, column)].get(value) if target(table, column) else value
                                 for column, value in row._mapping.items() if column != "saved_at") for row in rows]
        return dumps


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_set_wise_merge_writes_the_very_rows_save_page_writes(backend, tmp_path):
    """Ids and all, with duplicates and a revision among the pages, within a batch and across two."""
    pages = real_pages()
    copy = replace(pages[0], location="mirror/1", url="https://mirror.example.ru/1")
    revised = edited(pages[2], " Обновлено в 12:00.")
    batches = [
        [*pages[:3], copy],  # a duplicate of a page earlier in the batch
        [pages[3], revised, pages[4], pages[0],  # a revision between new pages; an unchanged page
         replace(pages[1], location="mirror/2", url="https://mirror.example.ru/2"),  # a copy of a stored page
         replace(revised, location="mirror/3", url="https://mirror.example.ru/3")],  # a copy of the new revision
    ]
    (tmp_path / "merge").mkdir()
    (tmp_path / "pages").mkdir()
    with fresh_database(backend, tmp_path / "merge") as merged_db, \
            fresh_database(backend, tmp_path / "pages") as paged_db:
        with open_store(merged_db) as merged, open_store(paged_db) as paged:
            merged.upgrade()
            paged.upgrade()
            for batch in batches:
                with merged.engine.begin() as connection:
                    set_wise = merge.save_pages(connection, batch, merge.Timings())
                assert set_wise == paged.save_pages(batch)
            assert set_wise == ["new", "revision", "new", "unchanged", "duplicate", "duplicate"]
            word = pages[3].page.quotes[0].text.split()[1]
            assert merged.search(word) == paged.search(word) != []
        by_merge, by_pages = table_dumps(merged_db), table_dumps(paged_db)
    assert by_pages["search_entries"] and by_pages["entity_terms"] and by_pages["mentions"]
    for table in by_pages:
        assert by_merge[table] == by_pages[table], table


def test_the_counts_are_of_records_processed_failed_and_skipped(ingested):
    _, counts = ingested
    # 8 pages; failed: the wrong Content-Length, the truncated member, the binary page, the empty page;
    # skipped: the page archived twice in the same file.
    assert counts["processed"] == 8
    assert counts["failed"] == 4
    assert counts["skipped"] == 1


def test_models_load_once_per_python_worker_not_once_per_task(ingested):
    _, counts = ingested
    assert counts["tasks"] == 3
    assert 1 <= counts["workers"] <= 2  # local[2]: Python workers are reused from task to task
    assert counts["model_loads"] == counts["workers"]
    assert 150 < counts["peak_mb"] < 1500  # natasha's models are in each worker, once


def test_the_core_package_and_the_loader_never_import_spark():
    code = ("import sys, skazal, skazal.cli, skazal.ingest, skazal.store, skazal.web.app, skazal.spark.load; "
            "sys.exit('pyspark' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_broken_records_are_failures_with_their_reason_and_place(ingested, archives):
    output, _ = ingested
    rows = parquet_rows(output, "failures")
    reasons = {row["location"]: row["reason"] for row in rows}
    assert len(rows) == 4
    assert sum("corrupt WARC record" in reason for reason in reasons.values()) == 2
    assert any("binary" in reason for reason in reasons.values())
    assert reasons[f"{archives['c']}#" + _record_id(archives["c"], SITE + "empty.html")] == "no article text found"
    assert all(row["warc_file"] == str(archives["c"]) and row["warc_offset"] is not None for row in rows)


def _record_id(archive: Path, url: str) -> str:
    for member in _members(archive.read_bytes()):
        text = member.decode("utf-8", errors="replace")
        if f"WARC-Target-URI: {url}\r\n" in text:
            return re.search(r"WARC-Record-ID: <([^>]+)>", text)[1]
    raise LookupError(url)


def _members(data: bytes):
    start = 0
    while start < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data[start:])
        except zlib.error:
            start = data.find(b"\x1f\x8b\x08", start + 1)
            if start < 0:
                return
            continue
        yield out
        start = len(data) - len(inflater.unused_data)


def test_every_row_names_its_warc_file_and_the_offset_of_its_record(ingested, archives):
    output, _ = ingested
    documents_rows = parquet_rows(output, "documents")
    assert len(documents_rows) == 8
    for row in documents_rows:
        data = Path(row["warc_file"]).read_bytes()[row["warc_offset"]:]
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 4096) if data[:2] == b"\x1f\x8b" else data
        assert head.startswith(b"WARC/1.")
        assert f"WARC-Target-URI: {row['url']}\r\n".encode() in head[:4096]
    for table in TABLES:
        assert all(row["warc_file"] and row["warc_offset"] is not None for row in parquet_rows(output, table))


def test_tables_are_partitioned_by_day_one_file_a_day(ingested):
    output, _ = ingested
    days = {row["day"] for row in parquet_rows(output, "documents")}
    assert days == {"2012-01-04", "2011-12-09", "2016-04-22", "2016-06-08", "2017-05-09", "2024-05-01"}
    for day in days:
        files = list((output / "documents" / f"day={day}").glob("*.parquet"))
        assert len(files) == 1 and ".zstd." in files[0].name


def test_running_again_replaces_its_days_and_loading_again_adds_no_rows(ingested, spark, archives, tmp_path):
    output = tmp_path / "tables"
    shutil.copytree(ingested[0], output)
    database = str(tmp_path / "corpus.db")
    assert main(["spark", "load", "--db", database, str(output)]) == 0
    loaded = row_counts(database)
    assert loaded["documents"] == 8 and loaded["failures"] == 4

    assert main(["spark", "load", "--db", database, str(output)]) == 0
    assert row_counts(database) == loaded

    files = {table: sorted(p.relative_to(output) for p in (output / table).rglob("*.parquet")) for table in TABLES}
    job.run(spark, [str(archives["a"])], str(output))  # its days again: replaced, the others kept
    rewritten = {table: sorted(p.relative_to(output) for p in (output / table).rglob("*.parquet")) for table in TABLES}
    a_days = ("day=2012-01-04", "day=2011-12-09")
    for table in ("documents", "quotes", "mentions", "entities"):
        assert len(rewritten[table]) == len(files[table])
        assert [f for f in rewritten[table] if f.parts[1] not in a_days] == \
            [f for f in files[table] if f.parts[1] not in a_days]
        assert {f for f in rewritten[table] if f.parts[1] in a_days}.isdisjoint(files[table])
    assert len(parquet_rows(output, "documents")) == 8
    for table, key in (("documents", "document_id"), ("quotes", "quote_id"), ("mentions", "mention_id")):
        assert sorted(row[key] for row in parquet_rows(output, table)) == \
            sorted(row[key] for row in parquet_rows(ingested[0], table)), "the same keys again"

    assert main(["spark", "load", "--db", database, str(output)]) == 0
    assert row_counts(database) == loaded


def test_executors_run_numpy_on_one_thread(spark):
    seen = spark.sparkContext.parallelize(range(2), 2).map(lambda _: os.environ.get("OPENBLAS_NUM_THREADS")).collect()
    assert seen == ["1", "1"]
    assert spark.sparkContext.getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS") == "1"


def test_loading_a_folder_without_tables_is_a_one_line_error(tmp_path, capsys):
    assert main(["spark", "load", "--db", str(tmp_path / "corpus.db"), str(tmp_path / "nothing")]) == 2
    assert "no tables of `skazal spark ingest`" in capsys.readouterr().err
