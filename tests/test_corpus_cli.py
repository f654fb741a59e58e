"""`skazal quotes`, `speakers`, `search`, `stats`, `db upgrade` against real databases (SQLite and PostgreSQL)."""
import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import store_fixtures
from conftest import DATA

from skazal.cli import build_parser, main

SKAZAL = Path(sys.executable).with_name("skazal")
SEED = DATA / "texts" / "zerkalo-lukashenko-it.txt"

database_url, corpus_store = store_fixtures.database_url, store_fixtures.corpus_store


@pytest.fixture
def corpus_url(corpus_store):
    """The URL of a database holding the real pages."""
    return corpus_store.engine.url.render_as_string(hide_password=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_db_upgrade_makes_a_new_database_ready_for_queries(database_url, capsys):
    status, _, err = run(capsys, "stats", "--db", database_url)
    assert status == 1 and "skazal db upgrade" in err
    assert run(capsys, "db", "upgrade", "--db", database_url)[0] == 0
    status, out, _ = run(capsys, "stats", "--db", database_url, "--format", "jsonl")
    assert status == 0
    assert jsonl(out) == [dict.fromkeys(json.loads(out), 0)]


def test_quotes_finds_a_speaker_by_surname_and_initials(corpus_url, capsys):
    status, out, _ = run(capsys, "quotes", "--db", corpus_url, "--speaker", "Лукашенко А.Г.", "--format", "jsonl")
    rows = jsonl(out)
    assert status == 0 and len(rows) == 5
    assert {row["speaker"] for row in rows} == {"Александр Лукашенко"}
    assert {row["outlet"] for row in rows} == {"news.zerkalo.io"}


def test_quotes_as_a_table_shows_who_said_what(corpus_url, capsys):
    status, out, _ = run(capsys, "quotes", "--db", corpus_url, "--speaker", "Порошенко", "--limit", "2")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["day", "outlet", "speaker", "kind", "text"]
    assert len(lines) == 4 and all("Петр Порошенко" in line and "2019-01-06" in line for line in lines[2:])


def test_quotes_as_csv_carry_every_field(corpus_url, capsys):
    _, out, _ = run(capsys, "quotes", "--db", corpus_url, "--outlet", "medportal.ru", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["speaker"] for row in rows} == {"Юрий Юрьев", "Министерство здравоохранения Крыма"}
    assert all(row["url"].startswith("http://medportal.ru/") and row["day"] == "2016-04-21" for row in rows)


def test_quotes_as_parquet_to_a_file_and_to_standard_output(corpus_url, capsysbinary, tmp_path):
    target = tmp_path / "quotes.parquet"
    assert main(["quotes", "--db", corpus_url, "--format", "parquet", "--output", str(target), "--limit", "0"]) == 0
    table = pq.read_table(target)
    assert table.num_rows == sum(len(item.page.quotes) for item in store_fixtures.corpus())
    assert "Петр Порошенко" in table.column("speaker").to_pylist()
    capsysbinary.readouterr()
    assert main(["quotes", "--db", corpus_url, "--format", "parquet", "--speaker", "Медведев"]) == 0
    piped = pq.read_table(io.BytesIO(capsysbinary.readouterr().out))
    assert set(piped.column("speaker").to_pylist()) == {"Дмитрий Медведев"}


def test_since_and_until_bound_the_days(corpus_url, capsys):
    _, out, _ = run(capsys, "quotes", "--db", corpus_url, "--since", "2016-01-01", "--until", "2019-01-05",
                    "--format", "jsonl")
    assert {row["day"] for row in jsonl(out)} == {"2016-04-21"}


def test_speakers_per_outlet_and_year(corpus_url, capsys):
    status, out, _ = run(capsys, "speakers", "--db", corpus_url, "--by", "outlet", "--by", "year", "--format", "jsonl")
    rows = jsonl(out)
    assert status == 0
    assert (rows[0]["speaker"], rows[0]["outlet"], rows[0]["period"], rows[0]["quotes"]) == (
        "Петр Порошенко", "bykvu.com", "2019", 6
    )
    assert [row["quotes"] for row in rows] == sorted((row["quotes"] for row in rows), reverse=True)


def test_search_marks_the_word_in_any_of_its_forms(corpus_url, capsys):
    status, out, _ = run(capsys, "search", "--db", corpus_url, "айтишник")
    assert status == 0
    assert "[айтишников]" in out and "Александр Лукашенко" in out


def test_search_as_jsonl_points_at_the_words(corpus_url, capsys):
    _, out, _ = run(capsys, "search", "--db", corpus_url, "инсулин", "--format", "jsonl")
    rows = jsonl(out)
    assert rows and {row["outlet"] for row in rows} == {"medportal.ru"}
    body = next(item.page.body for item in store_fixtures.corpus() if item.outlet == "medportal.ru")
    for row in rows:
        if row["kind"] == "body":
            assert all(body[start:end].lower().startswith("инсулин") for start, end in row["matches"])


def test_stats_count_the_corpus(corpus_url, capsys):
    _, out, _ = run(capsys, "stats", "--db", corpus_url, "--format", "jsonl")
    [counts] = jsonl(out)
    assert counts["documents"] == len(store_fixtures.corpus())
    assert counts["quotes"] == sum(len(item.page.quotes) for item in store_fixtures.corpus())
    assert counts["outlets"] == 5 and counts["failures"] == 0


def test_the_database_comes_from_skazal_db_when_no_option_is_given(corpus_url, capsys, monkeypatch):
    monkeypatch.setenv("SKAZAL_DB", corpus_url)
    _, out, _ = run(capsys, "stats", "--format", "jsonl")
    assert jsonl(out)[0]["documents"] == len(store_fixtures.corpus())


def test_an_empty_search_is_reported_not_raised(corpus_url, capsys):
    status, _, err = run(capsys, "search", "--db", corpus_url, "—")
    assert status == 1 and "at least one word" in err


def test_a_malformed_day_is_refused_with_an_example(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["quotes", "--since", "31.05.2024"])
    assert stopped.value.code == 2
    assert "2024-05-31" in capsys.readouterr().err


def test_quotes_of_one_kind_holding_words_as_the_api_takes_them(corpus_url, capsys):
    lukashenko = [quote for item in store_fixtures.corpus() for quote in item.page.quotes
                  if quote.speaker and quote.speaker.name == "Александр Лукашенко"]
    for kind in ("direct", "indirect"):
        status, out, _ = run(capsys, "quotes", "--db", corpus_url, "--speaker", "Лукашенко", "--kind", kind,
                             "--format", "jsonl")
        assert status == 0
        assert sorted(row["text"] for row in jsonl(out)) == sorted(q.text for q in lukashenko if q.kind == kind)
    status, out, _ = run(capsys, "quotes", "--db", corpus_url, "--q", "айтишник", "--format", "jsonl")
    rows = jsonl(out)
    assert status == 0 and rows and all("айтишник" in row["text"].lower() for row in rows)


def test_search_of_one_speaker_finds_their_quotes_holding_the_words(corpus_url, capsys):
    status, out, _ = run(capsys, "search", "--db", corpus_url, "--speaker", "Лукашенко А.Г.", "айтишники",
                         "--format", "jsonl")
    rows = jsonl(out)
    assert status == 0 and rows
    assert {row["speaker"] for row in rows} == {"Александр Лукашенко"}
    assert all("айтишник" in row["text"].lower() for row in rows)
    _, out, _ = run(capsys, "search", "--db", corpus_url, "--speaker", "Порошенко", "айтишники", "--format", "jsonl")
    assert out == ""


def test_an_outlet_the_corpus_does_not_have_is_reported_with_those_it_has(corpus_url, capsys):
    status, out, err = run(capsys, "quotes", "--db", corpus_url, "--outlet", "medportal.com")
    assert status == 1 and out == ""
    assert err.splitlines() == ['skazal: no outlet "medportal.com" in the corpus; did you mean medportal.ru?']
    status, _, err = run(capsys, "search", "--db", corpus_url, "--outlet", "tass.ru", "инсулин")
    assert status == 1
    [line] = err.splitlines()
    assert line.startswith('skazal: no outlet "tass.ru" in the corpus; it has ') and "medportal.ru" in line


def test_a_read_command_in_an_empty_folder_says_there_is_no_corpus_and_creates_none(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SKAZAL_DB", raising=False)
    for command in (["quotes"], ["speakers"], ["search", "Песков"], ["stats"], ["failures"]):
        status, out, err = run(capsys, *command)
        assert status == 1 and out == ""
        assert err.splitlines() == [f"skazal: no corpus at {tmp_path / 'skazal.db'}: create it with "
                                    "`skazal db upgrade` or `skazal ingest`"]
    assert list(tmp_path.iterdir()) == []


def test_a_postgresql_database_that_does_not_exist_is_one_line_with_the_command_that_creates_it(capsys):
    url = f"{store_fixtures.POSTGRES}/skazal_missing_{uuid.uuid4().hex[:8]}"
    name = url.rsplit("/", 1)[1]
    said = (f'skazal: no PostgreSQL database "{name}" on 127.0.0.1:5432: create it with '
            f"`createdb -h 127.0.0.1 -p 5432 -U postgres {name}`, then run the command again")
    for command, expected_status in ((["quotes"], 1), (["failures"], 1), (["ingest", str(SEED)], 2)):
        status, out, err = run(capsys, *command, "--db", url)
        assert (status, out, err.splitlines()) == (expected_status, "", [said])


def test_parquet_is_not_written_to_a_terminal(corpus_url, tmp_path):
    controller, terminal = pty.openpty()
    try:
        ran = subprocess.run([str(SKAZAL), "quotes", "--db", corpus_url, "--format", "parquet"], stdout=terminal,
                             stderr=subprocess.PIPE, text=True, timeout=120)
        os.set_blocking(controller, False)
        try:
            shown = os.read(controller, 4096)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(controller)
        os.close(terminal)
    assert ran.returncode == 2 and shown == b""
    assert ran.stderr.splitlines() == ["skazal: Parquet is binary, not for a terminal: add --output quotes.parquet "
                                       "(or redirect: > quotes.parquet)"]


def test_ingesting_the_same_pages_again_says_they_are_unchanged(tmp_path, capsys):
    url = str(tmp_path / "corpus.db")
    first = run(capsys, "ingest", "--db", url, "--workers", "0", str(SEED))[2].splitlines()
    said = r"skazal: 1 page in [\d.]+ s \([\d.]+ pages/s\): 1 new, 0 unchanged, 0 failed"
    assert len(first) == 1 and re.fullmatch(said, first[0]), first
    again = run(capsys, "ingest", "--db", url, "--workers", "0", str(SEED))
    assert again[0] == 0 and len(again[2].splitlines()) == 1
    assert again[2].endswith("): 0 new, 1 unchanged, 0 failed\n")


@pytest.mark.parametrize("command", sorted(name for name in build_parser()._subparsers._group_actions[0].choices))
def test_every_command_shows_an_example_in_its_help(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"] if command != "db" else ["db", "upgrade", "--help"])
    shown = capsys.readouterr().out
    assert "example:\n  skazal " + (command if command != "db" else "db upgrade") in shown


@pytest.mark.parametrize("command", [["search"], ["search", "--speaker", "Лукашенко"], ["quotes", "--q"]])
def test_a_search_written_with_phrases_or_and_not_is_refused_with_what_search_does(corpus_url, capsys, command):
    for written, said in (('"айтишников страны"', "phrases in quotation marks are not supported"),
                          ("айтишник OR инсулин", "OR is not supported"),
                          ("айтишник -инсулин", "leaving a word out (-word) is not supported")):
        status, out, err = run(capsys, *command, written, "--db", corpus_url)
        assert (status, out) == (1, "")
        assert err.splitlines() == [f"skazal: {said}: a search finds the quotes and texts holding every word given, "
                                    "in any form and any order"]
