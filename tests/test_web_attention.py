"""Attention over time (issue 13): quotes per day, week or month of a search, an outlet, a kind or several
speakers side by side, as a page whose table is the chart's data, its JSON twin and its CSV, over the
store tests' real corpus on SQLite and PostgreSQL."""
from __future__ import annotations

import calendar
import csv
import html
import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from store_fixtures import corpus, database_url, fresh_database  # noqa: F401 (a fixture)

from skazal.store import open_store
from skazal.store.listing import QuoteQuery
from skazal.store.over_time import PeriodCount, every_period, gathered, period_of, periods_between
from skazal.web import create_app
from skazal.web.attention import MAX_PERIODS


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


def days_of(period: str, bucket: str) -> tuple[str, str]:
    """The first and last day of a period as the table names it."""
    if bucket == "month":
        year, month = int(period[:4]), int(period[5:7])
        return f"{period}-01", f"{period}-{calendar.monthrange(year, month)[1]:02}"
    if bucket == "week":
        return period, (date.fromisoformat(period) + timedelta(days=6)).isoformat()
    return period, period


def listed(client, **filters) -> int:
    """How many quotes the quote list gives for these filters."""
    return client.get("/api/quotes", params={**filters, "limit": 1}).json()["total"]


# The filters a chart is asked for, with the days that keep a chart by day within its limit.
CHARTED = (
    {"q": "Украина"},
    {"outlet": "news.zerkalo.io"},
    {"kind": "indirect"},
    {"kind": "direct", "since": "2019-01-01", "until": "2023-12-31"},
    {"q": "независимость", "outlet": "bykvu.com", "since": "2018-06-01"},
)


@pytest.mark.parametrize("bucket", ["day", "week", "month"])
@pytest.mark.parametrize("filters", CHARTED, ids=lambda filters: "&".join(f"{k}={v}" for k, v in filters.items()))
def test_each_period_counts_the_quotes_the_quote_list_gives_for_its_days(client, filters, bucket):
    answer = client.get("/api/attention", params={**filters, "bucket": bucket})
    if answer.status_code == 400:  # the days quoted lie more than MAX_PERIODS days apart
        first, last = re.search(r"from (\S+) to (\S+):", answer.json()["detail"]).groups()
        months = [row["period"] for row in client.get("/api/attention", params=filters).json()["periods"]]
        assert bucket == "day" and periods_between(first, last, "day") > MAX_PERIODS
        assert (first[:7], last[:7]) == (months[0], months[-1])
        return
    table = answer.json()
    (series,) = table["series"]
    assert table["bucket"] == bucket and series["speaker_id"] is None
    total = listed(client, **filters)
    assert total > 0
    assert sum(row["quotes"][0] for row in table["periods"]) + series["undated"] == series["quotes"] == total
    periods = [row["period"] for row in table["periods"]]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)
    for row in table["periods"]:
        if row["quotes"][0]:
            first, last = days_of(row["period"], bucket)
            narrowed = {**filters, "since": max(first, filters.get("since", first)),
                        "until": min(last, filters.get("until", last))}
            assert row["quotes"][0] == listed(client, **narrowed), row["period"]
    if "since" in filters:
        assert periods[0] == period_of(filters["since"], bucket)[: 7 if bucket == "month" else 10]


def test_two_speakers_side_by_side_hold_each_ones_months(client):
    lukashenko, medvedev = speaker_id(client, "Лукашенко"), speaker_id(client, "Медведев")
    table = client.get("/api/attention", params={"speaker_id": lukashenko, "speaker": "Медведева"}).json()
    assert [(s["speaker_id"], s["name"]) for s in table["series"]] == [(lukashenko, "Александр Лукашенко"),
                                                                        (medvedev, "Дмитрий Медведев")]
    months = [row["period"] for row in table["periods"]]
    assert months[0] == "2010-08" and months[-1] == "2023-03" and len(months) == 12 * 12 + 8
    for column, (id, name) in enumerate(((lukashenko, "Александр Лукашенко"), (medvedev, "Дмитрий Медведев"))):
        own = {m["month"]: m["quotes"] for m in client.get(f"/api/speakers/{id}").json()["speaker"]["months"]}
        side = {row["period"]: row["quotes"][column] for row in table["periods"]}
        assert {month: count for month, count in side.items() if count} == {m: c for m, c in own.items() if c}
        assert sum(side.values()) == quoted(name) == table["series"][column]["quotes"]


def test_speakers_are_counted_within_the_words_and_the_kind_asked_for(client):
    lukashenko = speaker_id(client, "Лукашенко")
    for filters in ({"kind": "direct"}, {"kind": "indirect"}, {"q": "деньги"}):
        table = client.get("/api/attention", params={"speaker_id": lukashenko, "bucket": "week", **filters}).json()
        assert table["series"][0]["quotes"] == listed(client, speaker_id=lukashenko, **filters) > 0
        assert all(date.fromisoformat(row["period"]).weekday() == 0 for row in table["periods"])


def test_the_csv_has_a_column_per_speaker_and_the_page_table_is_the_same_data(client):
    params = {"speaker": ["Лукашенко", "Д. Медведев"]}
    table = client.get("/api/attention", params=params).json()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/attention", params={**params, "format": "csv"}).text)))
    assert list(rows[0]) == ["month", "Александр Лукашенко", "Дмитрий Медведев"]
    assert [[row["month"], int(row["Александр Лукашенко"]), int(row["Дмитрий Медведев"])] for row in rows] == [
        [row["period"], *row["quotes"]] for row in table["periods"]]
    page = client.get("/attention", params=params).text
    assert page_table(page) == [[row["period"], *map(str, row["quotes"])] for row in table["periods"]]
    csv_link, json_link = (html.unescape(link) for link in re.findall(r'class="(?:csv|json)" href="([^"]+)"', page))
    assert client.get(csv_link).text == client.get("/api/attention", params={**params, "format": "csv"}).text
    assert client.get(json_link).json() == table


def page_table(page: str) -> list[list[str]]:
    body = page.split('<table id="attention-table"', 1)[1].split("</table>", 1)[0]
    return [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", body)]


def test_a_week_chart_of_words_is_a_table_of_mondays_with_a_csv_column_per_week(client):
    params = {"q": "Украина", "bucket": "week", "since": "2018-12-01", "until": "2019-02-28"}
    table = client.get("/api/attention", params=params).json()
    assert table["series"][0]["name"] == "«Украина»"
    assert [row["period"] for row in table["periods"]] == every_period("2018-12-01", "2019-02-28", "week")
    assert table["periods"][0]["period"] == "2018-11-26"  # the Monday of the week holding 1 December
    rows = list(csv.DictReader(io.StringIO(client.get("/api/attention", params={**params, "format": "csv"}).text)))
    assert [(row["week"], int(row["«Украина»"])) for row in rows] == [
        (row["period"], row["quotes"][0]) for row in table["periods"]]
    page = client.get("/attention", params={**params, "lang": "en"}).text
    assert page_table(page) == [[row["period"], str(row["quotes"][0])] for row in table["periods"]]
    assert "Quotes per week" in page and '<th scope="col">Week from</th>' in page
    buckets = {name: html.unescape(link)
               for link, name in re.findall(r'<a class="bucket" href="([^"]+)">([^<]+)</a>', page)}
    assert set(buckets) == {"per day", "per month"}
    assert client.get(buckets["per month"]).status_code == 200 and "bucket=month" in buckets["per month"]


def test_an_outlet_narrows_each_speakers_months(client):
    lukashenko = speaker_id(client, "Лукашенко")
    inside = client.get("/api/attention", params={"speaker_id": lukashenko, "outlet": "news.zerkalo.io"}).json()
    elsewhere = client.get("/api/attention", params={"speaker_id": lukashenko, "outlet": "medportal.ru"}).json()
    assert sum(row["quotes"][0] for row in inside["periods"]) == 5
    assert sum(row["quotes"][0] for row in elsewhere["periods"]) == 0 and elsewhere["periods"] == []


def test_the_page_asks_for_something_to_chart_and_refuses_what_it_cannot_show(client):
    empty = client.get("/attention", params={"lang": "en"})
    assert empty.status_code == 200 and "Name one or more speakers" in empty.text and "<table" not in empty.text
    assert client.get("/api/attention").status_code == 400
    assert client.get("/api/attention", params={"speaker_id": 999999}).status_code == 404
    assert client.get("/api/attention", params={"speaker": "Никтоникакович"}).status_code == 404
    assert client.get("/api/attention", params={"speaker_id": list(range(1, 8))}).status_code == 400
    assert client.get("/api/attention", params={"speakr": "Лукашенко"}).status_code == 400
    assert client.get("/api/attention", params={"q": "Украина", "bucket": "year"}).status_code == 422
    assert client.get("/api/attention", params={"q": "Украина OR Россия"}).status_code == 400
    assert client.get("/api/attention", params={"q": "Украина", "limit": 5}).status_code == 400
    too_many = client.get("/api/attention", params={"outlet": "bykvu.com", "bucket": "day", "since": "2000-01-01"})
    assert too_many.status_code == 400 and "more than 3660 days" in too_many.json()["detail"]


def test_a_speaker_is_taken_off_the_chart_by_their_own_link(client):
    lukashenko, medvedev = speaker_id(client, "Лукашенко"), speaker_id(client, "Медведев")
    page = client.get("/attention", params={"speaker_id": lukashenko, "speaker": "Медведева", "kind": "direct"}).text
    removals = [html.unescape(link) for link in re.findall(r'<a class="remove" href="([^"]+)"', page)]
    assert removals == ["/attention?speaker=%D0%9C%D0%B5%D0%B4%D0%B2%D0%B5%D0%B4%D0%B5%D0%B2%D0%B0&kind=direct",
                        f"/attention?speaker_id={lukashenko}&kind=direct"]
    left = client.get(removals[0].replace("/attention", "/api/attention", 1)).json()
    assert [series["speaker_id"] for series in left["series"]] == [medvedev]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    assert hidden == [("speaker_id", str(lukashenko)), ("speaker", "Медведева")]  # the form adds to them


def test_a_speaker_page_links_to_their_attention_over_time(client):
    lukashenko = speaker_id(client, "Лукашенко")
    page = client.get(f"/speakers/{lukashenko}").text
    (link,) = re.findall(r'class="attention" href="([^"]+)"', page)
    assert link == f"/attention?speaker_id={lukashenko}"
    assert client.get(link).status_code == 200


def test_the_search_and_the_outlet_pages_link_to_their_attention_over_time(client):
    page = client.get("/search", params={"q": "Украина", "since": "2015-01-01", "limit": 20}).text
    (link,) = (html.unescape(found) for found in re.findall(r'class="attention" href="([^"]+)"', page))
    assert link == "/attention?q=%D0%A3%D0%BA%D1%80%D0%B0%D0%B8%D0%BD%D0%B0&since=2015-01-01"
    chart = client.get(link.replace("/attention", "/api/attention", 1)).json()
    assert chart["series"][0]["quotes"] == listed(client, q="Украина", since="2015-01-01") == 2
    zerkalo = next(outlet for outlet in client.get("/api/outlets").json()["items"]
                   if outlet["name"] == "news.zerkalo.io")
    page = client.get(f"/outlets/{zerkalo['id']}").text
    (link,) = re.findall(r'class="attention" href="([^"]+)"', page)
    assert link == "/attention?outlet=news.zerkalo.io"
    chart = client.get(link.replace("/attention", "/api/attention", 1)).json()
    assert chart["series"] == [{"speaker_id": None, "name": "news.zerkalo.io", "quotes": zerkalo["quotes"],
                                "undated": 0}]
    assert [row["period"] for row in chart["periods"]] == ["2023-03"]


def test_days_are_gathered_into_mondays_weeks_and_months_with_every_period_between():
    days = [PeriodCount("2024-12-30", 1), PeriodCount("2025-01-05", 2), PeriodCount("2025-01-06", 4),
            PeriodCount(None, 8)]
    assert gathered(days, "week") == (PeriodCount("2024-12-30", 3), PeriodCount("2025-01-06", 4),
                                      PeriodCount(None, 8))
    assert gathered(days, "month") == (PeriodCount("2024-12", 1), PeriodCount("2025-01", 6), PeriodCount(None, 8))
    assert every_period("2024-11-15", "2025-02-01", "month") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert every_period("2024-02-27", "2024-03-01", "day") == ["2024-02-27", "2024-02-28", "2024-02-29",
                                                               "2024-03-01"]
    for first, last in (("2010-08-07", "2023-03-14"), ("2024-12-31", "2025-01-01"), ("2025-01-01", "2024-12-31")):
        for bucket in ("day", "week", "month"):
            assert periods_between(first, last, bucket) == len(every_period(first, last, bucket))


def test_undated_quotes_are_counted_apart_from_every_period(database_url):  # noqa: F811 (the fixture)
    """A page with no date (a saved file, its publication day unknown) files its quotes under no day: the
    chart counts them as undated, and periods plus undated are the quote list's total."""
    seed, wikinews = corpus()[0], corpus()[1]
    undated = replace(seed, location=seed.location + "#undated", fetched_at=None,
                      page=replace(seed.page, article=replace(seed.page.article, published=None)))
    with open_store(database_url) as store:
        store.upgrade()
        store.save_pages([undated, wikinews])
        days = store.quotes_per_period(QuoteQuery(outlet="news.zerkalo.io"))
        assert days == (PeriodCount(None, len(seed.page.quotes)),)
        with TestClient(create_app(store)) as client:
            for filters in ({"outlet": "news.zerkalo.io"}, {"q": "нужны"}, {"kind": "direct"}):
                table = client.get("/api/attention", params=filters).json()
                (series,) = table["series"]
                assert series["quotes"] == listed(client, **filters) > 0
                assert series["undated"] + sum(row["quotes"][0] for row in table["periods"]) == series["quotes"]
            page = client.get("/attention", params={"kind": "direct", "lang": "en"}).text
            assert f"undated: {sum(q.kind == 'direct' for q in seed.page.quotes)}" in page
