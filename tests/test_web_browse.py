"""Browsing quotes like Datasette, over a real corpus on SQLite and on the real PostgreSQL server:
the quote list with filters, facets, totals, sorting, pages and CSV/JSON links that keep every filter;
a page per quote; Atom feeds (read back by feedparser); unknown parameters reported.

The corpus is the store tests' real pages plus the seed page republished with a `<script>` in its
title and in a quote (test_web_api), that quote given its cue ("сказал") as the quote finder records one.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import feedparser
import pytest
from fastapi.testclient import TestClient
from store_fixtures import corpus, fresh_database
from test_web_api import SCRIPT, republished_with_script

from skazal.records import Cue
from skazal.store import open_store
from skazal.web import create_app
from skazal.web.language import number

FACETS = ("speaker_id", "outlet", "kind", "month")


def with_cue():
    """The republished page, its quote with the cue the words after it give ("— сказал Александр Лукашенко")."""
    item = republished_with_script()
    (quote,) = item.page.quotes
    start = item.page.body.index("сказал", quote.end)
    cued = replace(quote, cue=Cue(lemma="сказать", form="сказал", start=start, end=start + len("сказал")))
    return replace(item, page=replace(item.page, quotes=(cued,)))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, tmp_path_factory):
    with fresh_database(request.param, tmp_path_factory.mktemp("browse")) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages([*corpus(), with_cue()])
            with TestClient(create_app(store)) as opened:
                yield opened


def listing(client, **params) -> dict:
    response = client.get("/api/quotes", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def everything(client) -> list[dict]:
    return listing(client, limit=500)["items"]


def test_the_total_counts_every_quote_and_each_facet_adds_up_to_it(client, everything):
    answer = listing(client, limit=5)
    assert answer["total"] == len(everything) == sum(len(item.page.quotes) for item in corpus()) + 1
    assert len(answer["items"]) == 5
    facets = {facet["name"]: facet for facet in answer["facets"]}
    assert set(facets) == set(FACETS)
    for facet in facets.values():
        assert not facet["truncated"]
        assert sum(value["count"] for value in facet["values"]) == answer["total"], facet["name"]
    assert {value["value"]: value["count"] for value in facets["kind"]["values"]} == {
        kind: sum(quote["kind"] == kind for quote in everything) for kind in {"direct", "mixed", "indirect"}}
    speakers = {value["label"]: value["count"] for value in facets["speaker_id"]["values"]}
    assert speakers["Александр Лукашенко"] == 6 and speakers["Петр Порошенко"] == 6


def _has(quote: dict, name: str, value) -> bool:
    if name == "month":
        return (quote["day"] or "")[:7] == value
    return quote[name] == value


@pytest.mark.parametrize("name", FACETS)
def test_choosing_a_facet_value_lists_exactly_its_count(client, everything, name):
    (facet,) = [facet for facet in listing(client)["facets"] if facet["name"] == name]
    for value in facet["values"]:
        if value["value"] is None:
            continue
        narrowed = listing(client, limit=500, **{name: value["value"]})
        assert narrowed["total"] == value["count"] == len(narrowed["items"])
        expected = [quote["quote_id"] for quote in everything if _has(quote, name, value["value"])]
        assert [quote["quote_id"] for quote in narrowed["items"]] == expected
        # Within the chosen value, the facet holds that value alone.
        (own,) = [facet for facet in narrowed["facets"] if facet["name"] == name]
        assert [(v["value"], v["count"]) for v in own["values"]] == [(value["value"], value["count"])]


@pytest.mark.parametrize("filters", [
    {"kind": "indirect", "outlet": "bykvu.com"},
    {"since": "2019-01-01", "until": "2023-03-13"},
    {"speaker": "Лукашенко А.Г.", "kind": "direct"},
    {"q": "айтишники", "outlet": "news.zerkalo.io"},
    {"month": "2023-03", "since": "2023-03-14"},
])
def test_filters_combine_and_the_counts_follow(client, everything, filters):
    narrowed = listing(client, limit=500, **filters)
    ids = [quote["quote_id"] for quote in narrowed["items"]]
    assert narrowed["total"] == len(ids) > 0
    for quote in narrowed["items"]:
        assert not filters.get("kind") or quote["kind"] == filters["kind"]
        assert not filters.get("outlet") or quote["outlet"] == filters["outlet"]
        assert filters.get("since", "") <= quote["day"] <= filters.get("until", "9999")
        assert not filters.get("month") or quote["day"].startswith(filters["month"])
        assert "speaker" not in filters or quote["speaker"] == "Александр Лукашенко"
        assert "q" not in filters or "айтишник" in quote["text"]
    for facet in narrowed["facets"]:
        assert sum(value["count"] for value in facet["values"]) == narrowed["total"]
    # The same quotes as the full list gives, in the same order.
    assert ids == [quote["quote_id"] for quote in everything if quote["quote_id"] in set(ids)]


def test_oldest_first_is_the_newest_first_reversed(client, everything):
    oldest = listing(client, limit=500, sort="oldest")["items"]
    assert [quote["quote_id"] for quote in oldest] == [quote["quote_id"] for quote in reversed(everything)]
    assert oldest[0]["day"] == "2010-08-07"


def test_pages_of_the_list_keep_the_total_and_follow_on(client, everything):
    seen = []
    for offset in range(0, len(everything), 6):
        answer = listing(client, limit=6, offset=offset, sort="oldest")
        assert answer["total"] == len(everything)
        seen += [quote["quote_id"] for quote in answer["items"]]
    assert seen == [quote["quote_id"] for quote in reversed(everything)]


def links(page: str, css_class: str | None = None) -> list[str]:
    pattern = rf'<a class="{css_class}" href="([^"]+)"' if css_class else r'href="([^"]+)"'
    return [html.unescape(found) for found in re.findall(pattern, page)]


def query_of(address: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(address).query))


def test_the_page_shows_the_range_and_total_and_links_to_the_next_page(client, everything):
    first = client.get("/quotes", params={"limit": 8}).text
    assert f'<span class="range">1–8</span> из <span class="count-total">{len(everything)}</span>' in first
    assert first.count('<li class="quote') == 8
    (following,) = [found for found in links(first) if "offset=8" in found]
    last = client.get(following).text
    assert '<span class="range">9–16</span> из' in last
    end = client.get("/quotes", params={"limit": 8, "offset": 16}).text
    assert f"17–{len(everything)}</span>" in end and 'rel="next"' not in end and 'rel="prev"' in end
    english = client.get("/quotes", params={"limit": 8, "lang": "en"}).text
    client.cookies.clear()
    assert f'<span class="range">1–8</span> of <span class="count-total">{len(everything)}</span>' in english
    assert 'href="/api/quotes?limit=8"' in english


def test_thousands_are_grouped_as_each_language_writes_them():
    assert number("ru", 12340) == "12\u00a0340" and number("en", 12340) == "12,340"
    assert number("ru", 950) == "950"


def test_facet_links_add_their_filter_and_each_chip_removes_only_its_own(client):
    page = client.get("/quotes", params={"kind": "indirect", "speaker": "Порошенко"}).text
    chips = re.findall(r'<li class="chip" data-filter="(\w+)">', page)
    assert chips == ["speaker", "kind"]
    removals = links(page, "remove")
    assert [query_of(found) for found in removals] == [{"kind": "indirect"}, {"speaker": "Порошенко"}]
    (outlet_link,) = [found for found in links(page) if "outlet=" in found]
    assert query_of(outlet_link) == {"kind": "indirect", "speaker": "Порошенко", "outlet": "bykvu.com"}
    narrowed = client.get(outlet_link).text
    assert re.findall(r'<li class="chip" data-filter="(\w+)">', narrowed) == ["speaker", "outlet", "kind"]
    assert '<span class="count-total">4</span>' in narrowed
    speaker = next(found for found in links(client.get("/quotes").text) if "speaker_id=" in found)
    chosen = client.get(speaker).text
    chip = r'data-filter="speaker_id"><span class="name">Говорящий:</span> <span class="value">([^<]+)<'
    first_speaker = r'<a class="speaker" href="/speakers/\d+">([^<]+)<'
    assert re.search(chip, chosen).group(1) == re.search(first_speaker, chosen).group(1)


def test_the_csv_and_json_links_keep_every_filter(client):
    filters = {"kind": "direct", "since": "2019-01-01", "sort": "oldest", "limit": "3"}
    page = client.get("/quotes", params=filters).text
    (csv_link,) = links(page, "csv")
    (json_link,) = links(page, "json")
    assert query_of(csv_link) == filters | {"format": "csv"} and query_of(json_link) == filters
    expected = client.get(json_link).json()
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert [int(row["quote_id"]) for row in rows] == [quote["quote_id"] for quote in expected["items"]]
    assert len(rows) == 3 and {row["kind"] for row in rows} == {"direct"}
    assert all(row["day"] >= "2019-01-01" for row in rows)
    assert f'<link rel="alternate" type="application/json" href="{html.escape(json_link)}">' in page


@pytest.mark.parametrize("path, params, twin", [
    ("/search", {"q": "айтишник", "outlet": "news.zerkalo.io"}, "/api/search"),
    ("/search", {"q": "Порошенко", "since": "2019-01-01", "limit": "2"}, "/api/search"),
    ("/outlets", {"since": "2019-01-01", "until": "2019-12-31"}, "/api/outlets"),
    ("/quotes", {"outlet": "bykvu.com", "month": "2019-01"}, "/api/quotes"),
])
def test_every_pages_twin_keeps_its_parameters(client, path, params, twin):
    page = client.get(path, params=params | {"lang": "en"}).text
    client.cookies.clear()
    (link,) = links(page, "twin")
    assert urlsplit(link).path == twin
    assert params.items() <= query_of(link).items() and "lang" not in query_of(link)
    assert client.get(link).status_code == 200


def test_a_speakers_twin_keeps_the_days(client):
    speaker = listing(client, speaker="Порошенко")["items"][0]["speaker_id"]
    page = client.get(f"/speakers/{speaker}", params={"since": "2019-01-01", "limit": "4"}).text
    (link,) = links(page, "twin")
    assert link == f"/api/speakers/{speaker}?since=2019-01-01&limit=4"
    assert len(client.get(link).json()["quotes"]) == 4


@pytest.mark.parametrize("path", ["/api/quotes", "/api/search?q=айтишник", "/api/speakers", "/api/stats",
                                  "/api/outlets", "/search/feed.atom?q=айтишник"])
def test_an_unknown_parameter_is_refused_by_the_api_and_the_feeds(client, path):
    response = client.get(path, params={"speker": "Лукашенко"})
    assert response.status_code == 400
    if path.startswith("/api"):
        detail = response.json()["detail"]
        assert "'speker'" in detail and "\n" not in detail
    else:
        assert "speker" in response.text


def test_an_unknown_parameter_is_shown_on_the_page(client, everything):
    page = client.get("/quotes", params={"speker": "Лукашенко", "kind": "direct"})
    assert page.status_code == 200
    assert 'class="notice unknown-parameters"' in page.text and "<code>speker</code>" in page.text
    # Not passed on to the twin, which would refuse it.
    (link,) = links(page.text, "twin")
    assert query_of(link) == {"kind": "direct"}
    search = client.get("/search", params={"q": "айтишник", "autlet": "x"}).text
    assert "<code>autlet</code>" in search
    assert "unknown-parameters" not in client.get("/quotes", params={"kind": "direct", "lang": "ru"}).text


def test_words_with_nothing_to_search_for_are_a_readable_problem(client):
    page = client.get("/quotes", params={"q": "…!", "kind": "direct"})
    assert page.status_code == 400 and 'class="problem"' in page.text and "nothing to search for" in page.text
    assert client.get("/api/quotes", params={"q": "…!"}).status_code == 400


def test_a_day_is_taken_as_iso_or_as_russians_write_it_and_the_form_shows_iso_whatever_the_locale(client):
    iso = listing(client, since="2023-03-14", until="2023-03-31", limit=500)
    assert iso["total"] > 0
    assert listing(client, since="14.03.2023", until="31.3.2023", limit=500) == iso
    page = client.get("/quotes", params={"since": "14.03.2023"}).text
    (field,) = re.findall(r'<input type="text" class="day" name="since"[^>]*>', page)
    assert 'value="2023-03-14"' in field and 'placeholder="ГГГГ-ММ-ДД"' in field
    assert 'type="date"' not in page  # a date input shows the browser locale's mm/dd/yyyy


def test_empty_fields_of_the_filter_form_are_no_filter(client):
    blank = client.get("/quotes", params={"q": "", "speaker": "", "outlet": "", "kind": "direct", "since": ""})
    assert blank.status_code == 200
    assert re.findall(r'<li class="chip" data-filter="(\w+)">', blank.text) == ["kind"]
    assert client.get("/api/quotes", params={"speaker": ""}).status_code == 422


def _script_quote(client) -> dict:
    (quote,) = [quote for quote in listing(client, q="атака")["items"] if SCRIPT in quote["text"]]
    return quote


def test_a_quote_has_a_page_with_its_paragraph_cue_article_and_speaker(client):
    quote = _script_quote(client)
    view = client.get(f"/api/quotes/{quote['quote_id']}").json()
    assert view["quote"] == quote
    offset = view["context_start"]
    assert view["context"][quote["start"] - offset:quote["end"] - offset] == quote["text"]
    assert view["context"][view["cue_start"] - offset:view["cue_end"] - offset] == "сказал"
    assert view["context"].startswith("«") and "\n\n" not in view["context"]
    page = client.get(f"/quotes/{quote['quote_id']}").text
    assert SCRIPT not in page and "«&lt;script&gt;alert(&#34;skazal&#34;)&lt;/script&gt; — так выглядит атака»" in page
    assert '<dd class="cue">сказал</dd>' in page and '<strong class="cue">сказал</strong>' in page
    assert f'<a class="speaker" href="/speakers/{quote["speaker_id"]}">Александр Лукашенко</a>' in page
    assert f'href="/documents/{quote["document_id"]}#quote-{quote["quote_id"]}"' in page
    assert '<a class="original" href="https://example.org/republished"' in page
    assert f'href="/api/quotes/{quote["quote_id"]}"' in page


def test_a_quote_page_names_the_sources_its_article_cites(client):
    seed = next(quote for quote in listing(client, outlet="news.zerkalo.io")["items"] if "айтишник" in quote["text"])
    view = client.get(f"/api/quotes/{seed['quote_id']}").json()
    assert [source["name"] for source in view["sources"]] == ["пресс-служба Александра Лукашенко"]
    assert "пресс-служба Александра Лукашенко" in client.get(f"/quotes/{seed['quote_id']}").text
    assert f'href="/quotes/{seed["quote_id"]}"' in client.get("/quotes", params={"outlet": "news.zerkalo.io"}).text


@pytest.mark.parametrize("path", ["/quotes/999999", "/api/quotes/999999"])
def test_an_unknown_quote_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "999999" in response.text


def test_every_list_page_escapes_markup(client):
    pages = [
        client.get("/quotes", params={"q": "атака"}).text,
        client.get("/quotes", params={"speaker": SCRIPT}).text,
        client.get("/quotes", params={"outlet": "example.org", SCRIPT: "1"}).text,
    ]
    for page in pages:
        assert SCRIPT not in page
    assert "&lt;script&gt;" in pages[1] and "&lt;script&gt;" in pages[2]


def parsed_feed(client, path: str, **params):
    response = client.get(path, params=params or None)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed, response.text


def test_a_speaker_has_an_atom_feed_of_their_newest_quotes(client):
    quote = _script_quote(client)
    speaker = quote["speaker_id"]
    feed, raw = parsed_feed(client, f"/speakers/{speaker}/feed.atom")
    assert feed.feed.title == "skazal: Александр Лукашенко"
    theirs = listing(client, speaker_id=speaker)["items"]
    assert [entry.link for entry in feed.entries] == [f"http://testserver/quotes/{q['quote_id']}" for q in theirs]
    assert all(entry.author == "Александр Лукашенко" for entry in feed.entries)
    assert SCRIPT not in raw
    marked = next(entry for entry in feed.entries if entry.link.endswith(f"/quotes/{quote['quote_id']}"))
    assert SCRIPT in marked.title and marked.updated.startswith(quote["day"])
    page = client.get(f"/speakers/{speaker}").text
    assert f'<link rel="alternate" type="application/atom+xml" href="/speakers/{speaker}/feed.atom">' in page
    assert client.get("/speakers/999999/feed.atom").status_code == 404


def test_a_search_has_an_atom_feed_of_the_quotes_holding_its_words(client):
    feed, _ = parsed_feed(client, "/search/feed.atom", q="айтишник")
    holding = listing(client, q="айтишник")["items"]
    assert len(feed.entries) == len(holding) > 0
    assert all("айтишник" in entry.content[0].value for entry in feed.entries)
    narrowed, _ = parsed_feed(client, "/search/feed.atom", q="айтишник", outlet="example.org")
    assert len(narrowed.entries) < len(feed.entries)
    assert 'href="/search/feed.atom?q=' in client.get("/search", params={"q": "айтишник"}).text


def test_the_quote_list_has_a_feed_with_its_filters(client):
    page = client.get("/quotes", params={"outlet": "bykvu.com"}).text
    link, *others = links(page, "feed")
    assert set(others) == {link} and query_of(link) == {"outlet": "bykvu.com"}
    feed, _ = parsed_feed(client, link)
    assert len(feed.entries) == listing(client, outlet="bykvu.com")["total"] == 6


SYNTAX = ('"Высший совет"', "«Высший совет»", "айтишник OR санкции", "айтишник NOT санкции", "айтишник -санкции")


@pytest.mark.parametrize("written", SYNTAX)
def test_a_search_written_with_phrases_or_and_not_is_told_what_search_does(client, written):
    told = "not supported: a search finds the quotes and texts holding every word given, in any form and any order"
    for address, name in (("/api/search", "q"), ("/api/quotes", "q"), ("/api/speakers", "words"),
                          ("/api/articles", "q"), ("/search/feed.atom", "q"), ("/quotes/feed.atom", "q")):
        refused = client.get(address, params={name: written})
        assert refused.status_code == 400 and told in refused.json()["detail"], address
    # A person is told on the page, the query kept in the box to be rewritten.
    page = client.get("/search", params={"q": written, "lang": "en"})
    assert page.status_code == 200 and 'class="notice search-syntax" role="alert"' in page.text
    assert told in html.unescape(page.text).lower()
    assert [html.unescape(value) for value in re.findall(r'name="q" value="([^"]*)"', page.text)] == [written]
    for address, name in (("/quotes", "q"), ("/articles", "q"), ("/speakers", "words")):
        shown = client.get(address, params={name: written})
        assert shown.status_code == 200 and "search-syntax" in shown.text, address


def test_plain_words_get_no_notice_about_search_syntax(client):
    for address, params in (("/search", {"q": "айтишник Ростов-на-Дону"}), ("/quotes", {"q": "айтишник"}),
                            ("/speakers", {"q": "Д. Песков"})):
        assert "search-syntax" not in client.get(address, params=params).text, address
    assert client.get("/api/search", params={"q": "айтишник"}).status_code == 200


def test_a_page_given_a_wrong_value_says_which_in_a_page_not_json(client):
    page = client.get("/quotes", params={"kind": "bogus"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "kind: Input should be &#39;direct&#39;, &#39;mixed&#39; or &#39;indirect&#39;" in page.text
    assert client.get("/api/quotes", params={"kind": "bogus"}).status_code == 422


@pytest.mark.parametrize("words", ["айтишник", "инсулин", "Украина"])
def test_a_search_says_how_many_quotes_and_articles_hold_the_words(client, words):
    hits = client.get("/api/search", params={"q": words, "limit": 500}).json()["items"]
    quotes = client.get("/api/quotes", params={"q": words}).json()["total"]
    articles = client.get("/api/articles", params={"q": words}).json()["total"]
    assert quotes == sum(hit["kind"] == "quote" for hit in hits)
    assert articles == sum(hit["kind"] == "body" for hit in hits)
    assert quotes + articles > 0
    page = client.get("/search", params={"q": words, "lang": "en"}).text
    (said,) = re.findall(r'<p class="hit-count">(.*?)</p>', page)
    shown = re.sub(r"<[^>]+>", "", said)
    assert shown == (f"The words are in: {quotes} quote{'s' * (quotes != 1)}, "
                     f"{articles} article{'s' * (articles != 1)}")
    quote_link, article_link = (html.unescape(link) for link in re.findall(r'class="(?:quote|article)-hits" '
                                                                           r'href="([^"]+)"', said))
    assert query_of(quote_link) == query_of(article_link) == {"q": words}
    assert urlsplit(quote_link).path == "/quotes" and urlsplit(article_link).path == "/articles"


@pytest.mark.parametrize("address", ["/quotes", "/speakers", "/articles"])
def test_an_outlet_the_corpus_lacks_is_said_on_the_list_with_the_closest_names(client, address):
    page = client.get(address, params={"outlet": "medportal.com", "kind": "direct", "lang": "en"}).text
    (notice,) = re.findall(r'<p class="notice unknown-outlet" role="alert">(.*?)</p>', page)
    assert "The corpus has no such outlet: <code>medportal.com</code>." in notice
    (close,) = re.findall(r'class="close-outlet" href="([^"]+)">medportal.ru</a>', notice)
    assert urlsplit(html.unescape(close)).path == address
    assert query_of(html.unescape(close)) == {"outlet": "medportal.ru", "kind": "direct", "lang": "en"}
    far = client.get(address, params={"outlet": "tass.ru"}).text
    assert "unknown-outlet" in far and "close-outlet" not in far
    # A known outlet with nothing in the filter is no unknown outlet.
    known = client.get(address, params={"outlet": "medportal.ru", "since": "2030-01-01"}).text
    assert "unknown-outlet" not in known
