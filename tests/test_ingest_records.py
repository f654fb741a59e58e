"""`skazal ingest` of article records (JSON Lines, CSV) on SQLite and PostgreSQL, with real articles of the
multi-outlet stream (tests/data/linking/stories.jsonl): each record a page, its outlet and time kept,
idempotent, and the store linked from them the same whatever the order they came in."""
from __future__ import annotations

import csv
import json

import pytest
from link_fixtures import STORIES, TASS_MASKS, story_records
from sqlalchemy import select
from store_fixtures import BACKENDS, fresh_database

from skazal.cli import main
from skazal.linking import link
from skazal.store import open_store
from skazal.store.schema import documents, outlets


def _ingest(url: str, *paths) -> int:
    return main(["ingest", "--db", url, "--workers", "0", *map(str, paths)])


@pytest.fixture(scope="module", params=BACKENDS)
def ingested(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    with fresh_database(request.param, folder) as url:
        assert _ingest(url, STORIES) == 0
        yield url, folder


def test_each_record_is_a_page_with_its_outlet_and_time(ingested):
    url, _ = ingested
    with open_store(url) as store:
        with store.engine.connect() as connection:
            rows = connection.execute(
                select(documents.c.url, documents.c.title, documents.c.published, documents.c.day, outlets.c.name)
                .join(outlets, outlets.c.id == documents.c.outlet_id)
            ).all()
        by_url = {row.url: row for row in rows}
        assert len(rows) == len(story_records())
        tass = by_url[TASS_MASKS]
        assert (tass.name, tass.published, tass.day) == ("ТАСС", "2020-05-03T10:53Z", "2020-05-03")
        assert tass.title == "Мантуров заявил, что дефицита масок и антисептиков в России нет"
        day_only = next(row for row in rows if row.name == "Вестник Кавказа")  # "day?" in the stream
        assert day_only.published == "2020-05-03"
        assert any(q.speaker == "Денис Мантуров" for q in store.quotes(speaker="Мантуров"))


def test_ingesting_the_records_again_or_as_csv_changes_nothing(ingested, capsys, tmp_path):
    url, _ = ingested
    with open_store(url) as store:
        before = store.stats()
    capsys.readouterr()
    assert _ingest(url, STORIES) == 0
    assert f": 0 new, {len(story_records())} unchanged, 0 failed" in capsys.readouterr().err
    as_csv = tmp_path / "stories.csv"
    with as_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "url", "title", "text", "published", "time_precision", "outlet"])
        writer.writeheader()
        for line in STORIES.read_text(encoding="utf-8").splitlines():
            writer.writerow({name: value for name, value in json.loads(line).items() if name in writer.fieldnames})
    assert _ingest(url, as_csv) == 0
    assert f"{len(story_records())} unchanged" in capsys.readouterr().err
    with open_store(url) as store:
        assert store.stats() == before


def test_a_bad_record_is_quarantined_and_the_others_are_stored(tmp_path, capsys):
    lines = STORIES.read_text(encoding="utf-8").splitlines()[:2]
    source = tmp_path / "some.jsonl"
    source.write_text("\n".join([lines[0], "not json", '{"url": "https://a.example/1", "text": ""}', lines[1]]) + "\n",
                      encoding="utf-8")
    database = str(tmp_path / "corpus.db")
    _ingest(database, source)
    with open_store(database) as store:
        assert store.stats().documents == 2
        reasons = [failure.reason for failure in store.failures()]
    assert len(reasons) == 2 and any("no text" in reason for reason in reasons)


def test_the_records_in_another_order_link_into_the_same_stories_and_utterances(ingested):
    url, folder = ingested
    reversed_file = folder / "reversed.jsonl"
    reversed_file.write_text("\n".join(reversed(STORIES.read_text(encoding="utf-8").splitlines())) + "\n",
                             encoding="utf-8")
    with fresh_database("sqlite", folder / "other") as other_url:
        (folder / "other").mkdir(exist_ok=True)
        assert _ingest(other_url, reversed_file) == 0
        with open_store(url) as first, open_store(other_url) as second:
            one, two = link(first.articles_to_link()), link(second.articles_to_link())
    assert sorted(one.stories, key=lambda s: s.id) == sorted(two.stories, key=lambda s: s.id)
    assert sorted(one.utterances, key=lambda u: u.id) == sorted(two.utterances, key=lambda u: u.id)
    assert len(one.stories) < len(story_records())
