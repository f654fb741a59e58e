"""The linking pages and their JSON twins on SQLite and PostgreSQL, over real articles of three gold stories
(tests/link_fixtures.py) linked from the store: a story with its outlets on a time line, a statement with
every printing and its changed words, the altered quotes, and «также в N изданиях» beside a quote."""
from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from link_fixtures import TASS_MASKS, story_pages
from store_fixtures import BACKENDS, fresh_database

from skazal.linking import link
from skazal.store import open_store
from skazal.web import create_app

PRIME_MASKS = "https://1prime.ru/business/20200503/831381636.html"  # ПРАЙМ 11:08, "можно" for "нужно"


@pytest.fixture(scope="module", params=BACKENDS)
def linked(request, tmp_path_factory):
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        with open_store(url) as store:
            store.upgrade()
            store.save_pages(story_pages())
            found = link(store.articles_to_link())
            store.save_linking(found.stories, found.utterances)
            with TestClient(create_app(store)) as client:
                yield client, store


def _ok(client, address: str, **params):
    response = client.get(address, params=params)
    assert response.status_code == 200, response.text
    return response


def _masks(store):
    """Мантуров's words on the masks in shops, as ТАСС printed them first."""
    return next(u for u in store.linking()[1] if u.reference.startswith("В торговой сети на сегодняшнее утро"))


def test_the_story_list_and_its_twin_give_the_same_stories_most_outlets_first(linked):
    client, store = linked
    listed = _ok(client, "/api/stories").json()["items"]
    assert [story["id"] for story in listed] == [story.id for story in store.stories()]
    assert [story["outlets"] for story in listed] == sorted((story["outlets"] for story in listed), reverse=True)
    page = _ok(client, "/stories").text
    assert [f"/stories/{story['id']}" for story in listed] == re.findall(r'href="(/stories/story-[^"]+)"', page)


def test_a_story_page_puts_each_outlet_on_the_time_line_in_time_order(linked):
    client, store = linked
    biggest = store.stories(limit=1)[0]
    twin = _ok(client, f"/api/stories/{biggest.id}").json()
    times = [article["published"] for article in twin["articles"]]
    assert times == sorted(times) and len(times) == biggest.articles
    page = _ok(client, f"/stories/{biggest.id}").text
    placed = [unescape(label) for label in re.findall(r"<text [^>]*>([^<]+?) (?:\d\d:\d\d|\+[^<]*)</text>", page)]
    assert placed == [article["outlet"] for article in twin["articles"] if "T" in article["published"]]
    assert "ТАСС 10:53" in page  # the first printing shows its clock time, the others how long after
    for said in twin["utterances"]:
        assert f'href="/utterances/{said["id"]}"' in page


def test_a_story_page_writes_its_times_out_and_keeps_them_machine_readable(linked):
    client, store = linked
    biggest = store.stories(limit=1)[0]
    published = [article["published"] for article in _ok(client, f"/api/stories/{biggest.id}").json()["articles"]]
    page = _ok(client, f"/stories/{biggest.id}").text
    shown = dict(re.findall(r'<li class="article"><time datetime="([^"]+)" data-local>([^<]+)</time>', page))
    assert set(shown) == set(published)
    assert shown["2020-05-03T10:53Z"] == "3 мая 2020, 10:53 UTC"
    assert _ok(client, f"/stories/{biggest.id}", lang="en").text.count(">3 May 2020, 10:53 UTC<") >= 1
    _ok(client, "/stories", lang="ru")  # ?lang= is remembered in a cookie: the module's client goes back to Russian
    # No ISO time is left for a reader: each stands only in a datetime attribute.
    assert re.findall(r">[^<]*\d{4}-\d\d-\d\dT[^<]*<", page) == []


@pytest.mark.parametrize("typed, as_named", [("Мантурова", "Мантуров"), ("Мантурову", "Мантуров"),
                                              ("Мантурове", "Мантуров"), ("Мантуровым", "Мантуров"),
                                              ("Д. Мантурова", "Д. Мантуров")])
def test_a_surname_the_dictionary_reads_as_a_place_is_suggested_in_every_case(linked, typed, as_named):
    client, _ = linked

    def suggested(name: str) -> list[str]:
        return [speaker["speaker"] for speaker in _ok(client, "/api/speakers/suggest", q=name).json()["items"]]

    assert suggested(typed) == suggested(as_named) and suggested(typed)[0] == "Денис Мантуров"


def test_an_utterance_page_shows_every_printing_and_the_changed_words(linked):
    client, store = linked
    masks = _masks(store)
    twin = _ok(client, f"/api/utterances/{masks.id}").json()
    assert [o["occurrence"]["url"] for o in twin["occurrences"]] == [o.url for o in masks.occurrences]
    page = _ok(client, f"/utterances/{masks.id}").text
    assert len(re.findall(r'<li class="printing ', page)) == len(masks.occurrences)
    prime = next(o for o in twin["occurrences"] if o["occurrence"]["url"] == PRIME_MASKS
                 and o["occurrence"]["kind"] == "direct")
    assert ["dropped", "нужно"] in prime["differing"] and ["added", "можно"] in prime["differing"]
    assert "<del>нужно</del> <ins>можно</ins>" in page
    tass = next(o for o in twin["occurrences"] if o["occurrence"]["url"] == TASS_MASKS)
    assert tass["occurrence"]["first"] and not any(kind != "same" for kind, _ in tass["differing"])
    assert f'href="/quotes/{tass["quote_id"]}"' in page


def test_the_altered_quotes_are_listed_with_their_utterance_and_counted(linked):
    client, store = linked
    altered = [(u.id, o.url) for u in store.linking()[1] for o in u.occurrences if o.meaning_altered]
    twin = _ok(client, "/api/altered").json()
    assert twin["total"] == len(altered) >= 1
    assert sorted((item["utterance"]["id"], item["occurrence"]["occurrence"]["url"]) for item in twin["items"]) == \
        sorted(altered)
    page = _ok(client, "/altered").text
    assert f"1–{len(altered)} из {len(altered)}" in page
    for utterance_id, _ in altered:
        assert f'href="/utterances/{utterance_id}"' in page
    assert all(item["occurrence"]["occurrence"]["changes"] for item in twin["items"])


def test_a_quote_printed_by_other_outlets_says_how_many_and_links_to_them(linked):
    client, store = linked
    masks = store.utterance(_masks(store).id)
    tass = next(o for o in masks.occurrences if o.occurrence.url == TASS_MASKS)
    others = len(set(masks.outlets) - {"ТАСС"})
    label = f"также в {others} изданиях" if others % 10 != 1 else f"также в {others} издании"
    row = f'<a class="also" href="/utterances/{masks.utterance.id}">{label}</a>'
    assert row in _ok(client, "/quotes", limit=500).text
    assert row in _ok(client, f"/quotes/{tass.quote_id}").text
    assert row in _ok(client, f"/documents/{tass.document_id}").text
    assert f"also in {others} outlets" in _ok(client, f"/quotes/{tass.quote_id}", lang="en").text
    assert _ok(client, f"/api/quotes/{tass.quote_id}/utterance").json() == {
        "utterance_id": masks.utterance.id, "other_outlets": others}


def test_a_quote_no_other_outlet_printed_has_no_such_line(linked):
    client, store = linked
    alone = [q for q in store.quotes() if q.quote_id not in store.quote_links([q.quote_id])]
    assert alone
    page = _ok(client, f"/quotes/{alone[0].quote_id}").text
    assert 'class="also"' not in page
    assert client.get(f"/api/quotes/{alone[0].quote_id}/utterance").status_code == 404


@pytest.mark.parametrize("address", ["/stories/story-000000000000", "/utterances/utt-000000000000"])
def test_unknown_stories_and_utterances_are_not_found(linked, address):
    client, _ = linked
    assert client.get(address).status_code == 404
    assert client.get("/api" + address).status_code == 404


def test_a_parameter_these_addresses_do_not_take_is_refused_or_noticed(linked):
    client, _ = linked
    assert client.get("/api/stories", params={"since": "2020-05-01"}).status_code == 400
    assert client.get("/api/altered", params={"outlet": "ТАСС"}).status_code == 400
    page = _ok(client, "/altered", outlet="ТАСС").text
    assert "unknown-parameters" in page and "<code>outlet</code>" in page
    assert client.get("/api/utterances/utt-<script>").status_code in (404, 422)
