"""Attention over time (issue 13): several speakers' quotes per month side by side, as a page whose table is
the chart's data, its JSON twin and its CSV, over the store tests' real corpus on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from store_fixtures import corpus, fresh_database

from skazal.store import open_store
from skazal.web import create_app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, tmp_path_factory):
    with fresh_database(request.param, tmp_path_factory.mktemp("attention")) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages(corpus())
            with TestClient(create_app(store)) as opened:
                yield opened


def speaker_id(client, name: str) -> int:
    (found,) = client.get("/api/speakers/suggest", params={"q": name, "limit": 1}).json()["items"]
    return found["id"]


def quoted(name: str) -> int:
    return sum(1 for item in corpus() for quote in item.page.quotes if quote.speaker and quote.speaker.name == name)


def test_two_speakers_side_by_side_hold_each_ones_months(client):
    lukashenko, medvedev = speaker_id(client, "Лукашенко"), speaker_id(client, "Медведев")
    table = client.get("/api/attention", params={"speaker_id": lukashenko, "speaker": "Медведева"}).json()
    assert [(s["id"], s["name"]) for s in table["speakers"]] == [(lukashenko, "Александр Лукашенко"),
                                                                  (medvedev, "Дмитрий Медведев")]
    months = [row["month"] for row in table["months"]]
    assert months[0] == "2010-08" and months[-1] == "2023-03" and len(months) == 12 * 12 + 8
    for column, (id, name) in enumerate(((lukashenko, "Александр Лукашенко"), (medvedev, "Дмитрий Медведев"))):
        own = {m["month"]: m["quotes"] for m in client.get(f"/api/speakers/{id}").json()["speaker"]["months"]}
        side = {row["month"]: row["quotes"][column] for row in table["months"]}
        assert {month: count for month, count in side.items() if count} == {m: c for m, c in own.items() if c}
        assert sum(side.values()) == quoted(name) == table["speakers"][column]["quotes"]


def test_the_csv_has_a_column_per_speaker_and_the_page_table_is_the_same_data(client):
    params = {"speaker": ["Лукашенко", "Д. Медведев"]}
    table = client.get("/api/attention", params=params).json()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/attention", params={**params, "format": "csv"}).text)))
    assert list(rows[0]) == ["month", "Александр Лукашенко", "Дмитрий Медведев"]
    assert [[row["month"], int(row["Александр Лукашенко"]), int(row["Дмитрий Медведев"])] for row in rows] == [
        [row["month"], *row["quotes"]] for row in table["months"]]
    page = client.get("/attention", params=params).text
    body = page.split('<table id="attention-table">', 1)[1].split("</table>", 1)[0]
    cells = [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", body)]
    assert cells == [[row["month"], *map(str, row["quotes"])] for row in table["months"]]
    csv_link, json_link = (html.unescape(link) for link in re.findall(r'class="(?:csv|json)" href="([^"]+)"', page))
    assert client.get(csv_link).text == client.get("/api/attention", params={**params, "format": "csv"}).text
    assert client.get(json_link).json() == table


def test_an_outlet_narrows_each_speakers_months(client):
    lukashenko = speaker_id(client, "Лукашенко")
    inside = client.get("/api/attention", params={"speaker_id": lukashenko, "outlet": "news.zerkalo.io"}).json()
    elsewhere = client.get("/api/attention", params={"speaker_id": lukashenko, "outlet": "medportal.ru"}).json()
    assert sum(row["quotes"][0] for row in inside["months"]) == 5
    assert sum(row["quotes"][0] for row in elsewhere["months"]) == 0


def test_the_page_asks_for_a_speaker_and_refuses_what_it_cannot_show(client):
    empty = client.get("/attention", params={"lang": "en"})
    assert empty.status_code == 200 and "Name one or more speakers" in empty.text and "<table" not in empty.text
    assert client.get("/api/attention", params={"speaker_id": 999999}).status_code == 404
    assert client.get("/api/attention", params={"speaker": "Никтоникакович"}).status_code == 404
    assert client.get("/api/attention", params={"speaker_id": list(range(1, 8))}).status_code == 400
    assert client.get("/api/attention", params={"speakr": "Лукашенко"}).status_code == 400


def test_a_speaker_page_links_to_their_attention_over_time(client):
    lukashenko = speaker_id(client, "Лукашенко")
    page = client.get(f"/speakers/{lukashenko}").text
    (link,) = re.findall(r'class="attention" href="([^"]+)"', page)
    assert link == f"/attention?speaker_id={lukashenko}"
    assert client.get(link).status_code == 200
