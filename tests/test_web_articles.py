"""The article list like Datasette, over the real corpus of test_web_browse on SQLite and on the real
PostgreSQL server: articles with their quote counts, facets per outlet and month (articles) and per speaker
and kind (articles holding such a quote), words of the body, sorting, pages, removable filters and CSV /
JSON links keeping every filter."""
from __future__ import annotations

import csv
import io
import re

import pytest
from store_fixtures import corpus
from test_web_browse import client, links, query_of  # noqa: F401 (the fixture)

FACETS = ("outlet", "month", "speaker_id", "kind")


def articles(client, **params) -> dict:  # noqa: F811 (any client, not the fixture)
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def quotes_of(client, article_id: int) -> list[dict]:  # noqa: F811
    return client.get(f"/api/documents/{article_id}").json()["quotes"]


def test_every_article_is_listed_once_with_its_quote_count(client):  # noqa: F811
    listed = articles(client, limit=500)
    assert listed["total"] == len(listed["items"]) == len(corpus()) + 1  # the pages and the republished one
    for article in listed["items"]:
        assert article["quotes"] == len(quotes_of(client, article["id"]))
    days = [article["day"] for article in listed["items"]]
    assert days == sorted(days, reverse=True)
    for facet in listed["facets"][:2]:
        assert sum(value["count"] for value in facet["values"]) == listed["total"], facet["name"]


@pytest.mark.parametrize("name", FACETS)
def test_a_facet_counts_the_articles_its_value_lists(client, name):  # noqa: F811
    (facet,) = [facet for facet in articles(client)["facets"] if facet["name"] == name]
    assert facet["values"]
    for value in facet["values"]:
        narrowed = articles(client, limit=500, **{name: value["value"]})
        assert narrowed["total"] == value["count"] == len(narrowed["items"])
        for article in narrowed["items"]:
            if name == "outlet":
                assert article["outlet"] == value["value"]
            elif name == "month":
                assert article["day"].startswith(value["value"])
            else:
                assert any(quote[name] == value["value"] for quote in quotes_of(client, article["id"]))


def test_a_speaker_and_a_kind_together_ask_for_one_quote_of_both(client):  # noqa: F811
    lukashenko = client.get("/api/speakers", params={"q": "Лукашенко"}).json()["items"][0]["id"]
    both = articles(client, speaker_id=lukashenko, kind="direct", limit=500)
    assert both["total"] > 0
    for article in both["items"]:
        assert any(quote["speaker_id"] == lukashenko and quote["kind"] == "direct"
                   for quote in quotes_of(client, article["id"]))
    (speakers,) = [facet for facet in both["facets"] if facet["name"] == "speaker_id"]
    assert [value["value"] for value in speakers["values"]] == [lukashenko]


def test_words_find_the_articles_whose_text_holds_them_in_any_form(client):  # noqa: F811
    (found,) = articles(client, q="полиции")["items"]
    assert found["title"] == "Милицию предлагается переименовать в полицию"
    assert articles(client, q="айтишник", outlet="example.org")["total"] == 1
    page = client.get("/articles", params={"q": "…!"})
    assert page.status_code == 400 and "nothing to search for" in page.text


def test_articles_sort_newest_oldest_and_by_outlet(client):  # noqa: F811
    newest = [a["id"] for a in articles(client, limit=500)["items"]]
    assert [a["id"] for a in articles(client, limit=500, sort="oldest")["items"]] == newest[::-1]
    by_outlet = [a["outlet"] for a in articles(client, limit=500, sort="outlet")["items"]]
    assert by_outlet == sorted(by_outlet)


def test_the_page_shows_the_range_pages_chips_and_links_that_keep_the_filters(client):  # noqa: F811
    total = articles(client)["total"]
    first = client.get("/articles", params={"limit": 4}).text
    assert f'<span class="range">1–4</span> из <span class="count-total">{total}</span>' in first
    assert first.count("<tr data-article=") == 4
    (following,) = [found for found in links(first) if "offset=4" in found]
    assert f'<span class="range">5–{total}</span>' in client.get(following).text
    page = client.get("/articles", params={"kind": "indirect", "since": "2016-01-01", "sort": "oldest"}).text
    assert re.findall(r'<li class="chip" data-filter="(\w+)">', page) == ["kind", "since"]
    assert [query_of(found) for found in links(page, "remove")] == [
        {"since": "2016-01-01", "sort": "oldest"}, {"kind": "indirect", "sort": "oldest"}]
    (csv_link,) = links(page, "csv")
    (json_link,) = links(page, "json")
    assert query_of(csv_link) == {"kind": "indirect", "since": "2016-01-01", "sort": "oldest", "format": "csv"}
    expected = client.get(json_link).json()["items"]
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert [int(row["id"]) for row in rows] == [a["id"] for a in expected] and rows
    assert all(row["day"] >= "2016-01-01" for row in rows)
    assert '<input type="hidden" name="kind" value="indirect">' in page


def test_an_articles_title_is_escaped_and_links_to_its_page(client):  # noqa: F811
    page = client.get("/articles", params={"outlet": "example.org"}).text
    assert "<script>" not in page.split("<main>")[1]
    assert "&lt;script&gt;alert(&#34;skazal&#34;)&lt;/script&gt; Лукашенко об айтишниках" in page
    (article,) = articles(client, outlet="example.org")["items"]
    assert f'<a class="article" href="/documents/{article["id"]}">' in page
    assert client.get("/api/articles", params={"autlet": "x"}).status_code == 400
