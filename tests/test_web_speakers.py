"""The speaker directory like Datasette, over the real corpus of test_web_browse on SQLite and on the real
PostgreSQL server: speakers of the filtered quotes with their counts, facets that count speakers, sorting,
pages, removable filters and CSV / JSON links keeping every filter; speakers suggested from a name as typed
(any case form, initials, a word cut short), and a search for a name that shows the person first."""
from __future__ import annotations

import csv
import io
import re

import pytest
from test_web_browse import client, links, query_of  # noqa: F401 (the fixture)

FACETS = ("outlet", "kind", "month")


def directory(client, **params) -> dict:  # noqa: F811 (any client, not the fixture)
    response = client.get("/api/speakers", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def quote_list(client, **params) -> dict:  # noqa: F811
    response = client.get("/api/quotes", params=params | {"limit": 500})
    assert response.status_code == 200, response.text
    return response.json()


def speakers_of(quotes: list[dict]) -> set[int]:
    return {quote["speaker_id"] for quote in quotes if quote["speaker_id"] is not None}


def test_the_directory_lists_every_quoted_speaker_once_with_their_quote_counts(client):  # noqa: F811
    listed = directory(client, limit=500)
    quotes = quote_list(client)["items"]
    assert listed["total"] == len(listed["items"]) == len(speakers_of(quotes)) == 7
    for speaker in listed["items"]:
        theirs = [quote for quote in quotes if quote["speaker_id"] == speaker["id"]]
        assert speaker["quotes"] == len(theirs)
        assert speaker["documents"] == len({quote["document_id"] for quote in theirs})
        assert speaker["last"] == max(quote["day"] for quote in theirs)
    assert [speaker["speaker"] for speaker in listed["items"][:2]] == ["Александр Лукашенко", "Петр Порошенко"]


@pytest.mark.parametrize("name", FACETS)
def test_a_facet_counts_the_speakers_its_value_lists(client, name):  # noqa: F811
    (facet,) = [facet for facet in directory(client)["facets"] if facet["name"] == name]
    assert facet["values"]
    for value in facet["values"]:
        narrowed = directory(client, limit=500, **{name: value["value"]})
        assert narrowed["total"] == value["count"] == len(narrowed["items"])
        # Exactly the speakers of the quotes that filter lists, each counted over those quotes.
        quotes = quote_list(client, **{name: value["value"]})["items"]
        assert {speaker["id"] for speaker in narrowed["items"]} == speakers_of(quotes)
        for speaker in narrowed["items"]:
            assert speaker["quotes"] == sum(quote["speaker_id"] == speaker["id"] for quote in quotes)


@pytest.mark.parametrize("filters", [
    {"kind": "indirect", "since": "2016-01-01"},
    {"words": "полиция"},
    {"outlet": "news.zerkalo.io", "month": "2023-03"},
])
def test_filters_combine_as_on_the_quote_list(client, filters):  # noqa: F811
    narrowed = directory(client, limit=500, **filters)
    as_quotes = {("q" if name == "words" else name): value for name, value in filters.items()}
    quotes = quote_list(client, **as_quotes)["items"]
    assert narrowed["total"] == len(speakers_of(quotes)) > 0
    assert {speaker["id"] for speaker in narrowed["items"]} == speakers_of(quotes)


@pytest.mark.parametrize("name", ["Медведева", "Д. Медведев", "Дмитрием Медведевым", "медведев"])
def test_a_name_in_any_form_finds_the_person(client, name):  # noqa: F811
    (found,) = directory(client, q=name)["items"]
    assert found["speaker"] == "Дмитрий Медведев" and found["quotes"] == 2


def test_the_directory_sorts_by_quotes_name_and_latest_quote(client):  # noqa: F811
    most = directory(client, limit=500)["items"]
    assert [s["quotes"] for s in most] == sorted((s["quotes"] for s in most), reverse=True)
    by_name = [s["speaker"] for s in directory(client, limit=500, sort="name")["items"]]
    assert by_name == sorted(by_name) and set(by_name) == {s["speaker"] for s in most}
    latest = [s["last"] for s in directory(client, limit=500, sort="latest")["items"]]
    assert latest == sorted(latest, reverse=True)
    assert client.get("/api/speakers", params={"sort": "loudest"}).status_code == 422


def test_pages_follow_on_and_keep_the_total(client):  # noqa: F811
    everyone = [s["id"] for s in directory(client, limit=500, sort="name")["items"]]
    seen = []
    for offset in range(0, len(everyone), 3):
        answer = directory(client, limit=3, offset=offset, sort="name")
        assert answer["total"] == len(everyone)
        seen += [s["id"] for s in answer["items"]]
    assert seen == everyone
    first = client.get("/speakers", params={"limit": 3}).text
    assert f'<span class="range">1–3</span> из <span class="count-total">{len(everyone)}</span>' in first
    (following,) = [found for found in links(first) if "offset=3" in found]
    assert '<span class="range">4–6</span>' in client.get(following).text
    last = client.get("/speakers", params={"limit": 3, "offset": 6}).text
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_the_page_shows_removable_filters_and_links_that_keep_them(client):  # noqa: F811
    page = client.get("/speakers", params={"kind": "indirect", "q": "Порошенко", "sort": "name"}).text
    assert re.findall(r'<li class="chip" data-filter="(\w+)">', page) == ["q", "kind"]
    assert '<span class="name">Имя:</span> <span class="value">Порошенко</span>' in page
    assert [query_of(found) for found in links(page, "remove")] == [
        {"kind": "indirect", "sort": "name"}, {"q": "Порошенко", "sort": "name"}]
    (csv_link,) = links(page, "csv")
    (json_link,) = links(page, "json")
    assert query_of(csv_link) == {"kind": "indirect", "q": "Порошенко", "sort": "name", "format": "csv"}
    expected = client.get(json_link).json()["items"]
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert [int(row["id"]) for row in rows] == [s["id"] for s in expected] and len(rows) == 1
    assert rows[0]["speaker"] == "Петр Порошенко"
    # The form carries on the order it has no field for; the count leads to the quotes counted.
    assert '<input type="hidden" name="sort" value="name">' in page
    (count_link,) = links(page, "quotes")
    assert query_of(count_link) == {"kind": "indirect", "speaker_id": str(expected[0]["id"])}
    assert quote_list(client, **query_of(count_link))["total"] == expected[0]["quotes"]


def test_choosing_an_outlet_in_the_facets_narrows_the_page(client):  # noqa: F811
    page = client.get("/speakers").text
    (outlet_link,) = [found for found in links(page) if "outlet=bykvu.com" in found]
    narrowed = client.get(outlet_link).text
    assert '<span class="count-total">1</span>' in narrowed
    assert re.findall(r'<a class="speaker" href="/speakers/\d+">([^<]+)<', narrowed) == ["Петр Порошенко"]


@pytest.mark.parametrize("typed", ["Медведева", "Д. Медведев", "Медв", "Дмитрия Медв", "МЕДВЕДЕВУ"])
def test_a_speaker_is_suggested_from_a_case_form_initials_or_a_word_cut_short(client, typed):  # noqa: F811
    response = client.get("/api/speakers/suggest", params={"q": typed})
    assert response.status_code == 200
    assert [(s["speaker"], s["quotes"]) for s in response.json()["items"]] == [("Дмитрий Медведев", 2)]


def test_suggestions_come_the_most_quoted_first_and_none_for_no_name(client):  # noqa: F811
    assert client.get("/api/speakers/suggest", params={"q": "Ю. Юрьев"}).json()["items"][0]["speaker"] == "Юрий Юрьев"
    assert client.get("/api/speakers/suggest", params={"q": "Жириновский"}).json()["items"] == []  # never quoted
    assert client.get("/api/speakers/suggest", params={"q": "А. Медведев"}).json()["items"] == []  # another initial
    assert client.get("/api/speakers/suggest", params={"q": "Медведев", "limit": 99}).status_code == 422
    assert client.get("/api/speakers/suggest", params={"q": "Медв", "lim": 3}).status_code == 400


def test_a_search_for_a_name_shows_the_person_and_their_quotes_first(client):  # noqa: F811
    medvedev = directory(client, q="Медведев")["items"][0]["id"]
    page = client.get("/search", params={"q": "Медведева"}).text
    block = page[page.index('<section class="named-speakers"'):page.index("</section>")]
    assert f'<a class="speaker" href="/speakers/{medvedev}">Дмитрий Медведев</a> · 2 цитаты' in block
    assert f'href="/quotes?speaker_id={medvedev}"' in block and block.count('<li class="quote') == 2
    assert "named-speakers" not in client.get("/search", params={"q": "айтишники"}).text
