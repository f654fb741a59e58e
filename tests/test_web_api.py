"""The REST API and the HTML pages over a real corpus, on SQLite and on the real PostgreSQL server.

The corpus is the store tests' real pages, plus the seed page republished with a `<script>` in its
title and in a quote, to check that everything shown is escaped.
"""
from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import asdict, replace

import psycopg
import pytest
import schemathesis
from conftest import CORPUS
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from store_fixtures import POSTGRES, corpus, edited

from skazal.cli import main
from skazal.records import Quote, Speaker
from skazal.store import open_store
from skazal.store.browse import every_month
from skazal.web import create_app

TOKEN = "test-token-7f3a"
SCRIPT = '<script>alert("skazal")</script>'
SCRIPT_ADDRESS = "https://example.org/republished"
MODERN = CORPUS / "html-modern"


def republished_with_script():
    """The seed page again, at another address, with markup in its title and in a new quote."""
    seed = corpus()[0]
    said = f"«{SCRIPT} — так выглядит атака», — сказал Александр Лукашенко."
    item = edited(seed, "\n\n" + said, location=SCRIPT_ADDRESS, url=SCRIPT_ADDRESS, outlet="example.org")
    start = item.page.body.rindex(SCRIPT)
    text = item.page.body[start:item.page.body.index(" — так", start) + len(" — так выглядит атака")]
    quote = Quote(kind="direct", text=text, start=start, end=start + len(text),
                  speaker=Speaker(name="Александр Лукашенко", type="PER"), confidence=0.9)
    article = replace(item.page.article, title=f"{SCRIPT} Лукашенко об айтишниках")
    return replace(item, page=replace(item.page, article=article, quotes=(quote,)))


def fill(url: str) -> None:
    """Give the database at `url` the corpus schema and the real pages."""
    with open_store(url) as store:
        store.upgrade()
        store.save_pages([*corpus(), republished_with_script()])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_url(request, tmp_path_factory):
    """A database holding the real pages, built once per backend: a SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("web") / "corpus.db")
        fill(url)
        yield url
        return
    name = f"skazal_web_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        fill(f"{POSTGRES}/{name}")
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def store(corpus_url):
    with open_store(corpus_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(store):
    """The read-only app (no token configured)."""
    with TestClient(create_app(store)) as opened:
        yield opened


def items(client, path: str, **params) -> list[dict]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def speaker_id(client, name: str) -> int:
    (found,) = items(client, "/api/speakers", q=name)
    return found["id"]


def test_quotes_come_newest_first_with_ids_that_lead_to_their_article(client):
    quotes = items(client, "/api/quotes", limit=500)
    assert len(quotes) == sum(len(item.page.quotes) for item in corpus()) + 1
    days = [quote["day"] for quote in quotes]
    assert days == sorted(days, reverse=True)
    for quote in quotes[:5]:
        document = client.get(f"/api/documents/{quote['document_id']}").json()
        assert document["body"][quote["start"]:quote["end"]] == quote["text"]


def test_quotes_of_a_speaker_named_by_surname_and_initials(client):
    quotes = items(client, "/api/quotes", speaker="Лукашенко А.Г.")
    assert len(quotes) == 6
    assert {quote["speaker"] for quote in quotes} == {"Александр Лукашенко"}
    assert len({quote["speaker_id"] for quote in quotes}) == 1


def test_quotes_narrowed_by_kind_words_outlet_and_days(client):
    assert {quote["kind"] for quote in items(client, "/api/quotes", kind="mixed")} == {"mixed"}
    holding = items(client, "/api/quotes", q="айтишники", outlet="news.zerkalo.io")
    assert holding and all("айтишник" in quote["text"] for quote in holding)
    bounded = items(client, "/api/quotes", since="2016-01-01", until="2019-01-05")
    assert {quote["day"] for quote in bounded} == {"2016-04-21"}


def test_pages_of_a_list_follow_on_without_overlap(client):
    everything = [quote["quote_id"] for quote in items(client, "/api/quotes", limit=500)]
    paged = [quote["quote_id"] for offset in range(0, len(everything), 4)
             for quote in items(client, "/api/quotes", limit=4, offset=offset)]
    assert paged == everything


def test_search_finds_any_form_of_a_word_and_marks_it(client):
    hits = items(client, "/api/search", q="айтишник")
    assert {hit["kind"] for hit in hits} == {"quote", "body"}
    assert all("[айтишник" in hit["snippet"].lower() for hit in hits)
    second_page = items(client, "/api/search", q="айтишник", limit=1, offset=1)
    assert second_page == hits[1:2]


def test_a_speaker_has_quote_counts_per_month_and_a_timeline(client):
    poroshenko = speaker_id(client, "Порошенко")
    answer = client.get(f"/api/speakers/{poroshenko}").json()
    assert answer["speaker"]["name"] == "Петр Порошенко"
    assert answer["speaker"]["months"] == [{"month": "2019-01", "quotes": 6}]
    assert answer["speaker"]["outlets"] == [["bykvu.com", 6]]
    assert len(answer["quotes"]) == 6 and {quote["speaker_id"] for quote in answer["quotes"]} == {poroshenko}


def test_a_speakers_months_count_every_quote_and_csv_gives_them_as_a_table(client):
    lukashenko = speaker_id(client, "Лукашенко")
    months = client.get(f"/api/speakers/{lukashenko}").json()["speaker"]["months"]
    # The republished page has no date of its own: it is filed under the seed page's day.
    assert months == [{"month": "2023-03", "quotes": 6}]
    table = client.get(f"/api/speakers/{lukashenko}", params={"format": "csv"}).text
    assert table.splitlines() == ["month,quotes", "2023-03,6"]


def test_a_chart_of_months_shows_the_months_without_quotes():
    months = every_month({"2023-11": 2, "2024-02": 1})
    assert [(month.month, month.quotes) for month in months] == [
        ("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]


def test_speakers_list_the_most_quoted_first_with_their_ids(client):
    speakers = items(client, "/api/speakers")
    assert speakers[0]["speaker"] in {"Петр Порошенко", "Александр Лукашенко"}
    counts = [speaker["quotes"] for speaker in speakers]
    assert counts == sorted(counts, reverse=True)
    assert len({speaker["id"] for speaker in speakers}) == len(speakers)


def test_entities_by_type(client):
    places = items(client, "/api/entities", kind="LOC", limit=500)
    assert places and {entity["type"] for entity in places} == {"LOC"}
    assert any(entity["name"] == "Крым" for entity in places)


def test_a_document_holds_its_text_with_quotes_and_mentions_at_their_offsets(client):
    bykvu = next(item for item in corpus() if item.outlet == "bykvu.com")
    document = client.get(f"/api/documents/{_document_id(client, bykvu.url)}").json()
    assert document["outlet"] == "bykvu.com" and document["title"] == bykvu.page.title
    body = document["body"]
    assert len(document["quotes"]) == 6
    assert all(body[quote["start"]:quote["end"]] == quote["text"] for quote in document["quotes"])
    in_body = [mention for mention in document["mentions"] if mention["part"] == "body"]
    assert in_body and all(body[m["start"]:m["end"]] == m["text"] for m in in_body)


def _document_id(client, url: str) -> int:
    for quote in items(client, "/api/quotes", limit=500):
        if quote["url"] == url:
            return quote["document_id"]
    raise LookupError(url)


def test_an_outlet_shows_whom_it_quotes_most(client):
    outlets = items(client, "/api/outlets")
    zerkalo = next(outlet for outlet in outlets if outlet["name"] == "news.zerkalo.io")
    detail = client.get(f"/api/outlets/{zerkalo['id']}").json()
    assert detail["speakers"][0]["speaker"] == "Александр Лукашенко"
    assert detail["speakers"][0]["quotes"] == 5


def test_outlets_come_with_the_people_they_quote_most(client):
    outlets = {outlet["name"]: outlet for outlet in items(client, "/api/outlets", speakers=2)}
    assert [speaker["speaker"] for speaker in outlets["bykvu.com"]["most_quoted"]] == ["Петр Порошенко"]
    medportal = [(speaker["speaker"], speaker["quotes"]) for speaker in outlets["medportal.ru"]["most_quoted"]]
    assert medportal == [("Министерство здравоохранения Крыма", 1), ("Юрий Юрьев", 1)]
    assert all(outlet["most_quoted"] == [] for outlet in items(client, "/api/outlets"))


def test_the_outlets_page_counts_the_most_quoted_over_the_corpus_last_year(client):
    page = client.get("/outlets").text
    assert "2022-03-15" in page and "2023-03-14" in page
    assert ">Александр Лукашенко</a> <span class=\"count\">5</span>" in page
    assert ">Петр Порошенко</a>" not in page
    earlier = client.get("/outlets", params={"since": "2019-01-01", "until": "2019-12-31"}).text
    assert ">Петр Порошенко</a> <span class=\"count\">6</span>" in earlier


def test_stats_count_the_corpus(client, store):
    counts = client.get("/api/stats").json()
    assert counts == asdict(store.stats())
    assert counts["documents"] == len(corpus()) + 1


@pytest.mark.parametrize("ask", [{"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}])
def test_csv_on_request_carries_the_same_rows(client, ask):
    response = client.get("/api/quotes", **ask)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(row["quote_id"]) for row in rows] == [quote["quote_id"] for quote in items(client, "/api/quotes")]
    assert rows[0]["speaker"] and rows[0]["text"]


@pytest.mark.parametrize("path, params", [
    ("/api/quotes", {"since": "03/14/2023"}),
    ("/api/quotes", {"since": "31.02.2023"}),
    ("/api/quotes", {"until": "2023-02-30"}),
    ("/api/quotes", {"limit": 0}),
    ("/api/quotes", {"limit": 100000}),
    ("/api/quotes", {"offset": -1}),
    ("/api/quotes", {"offset": "many"}),
    ("/api/quotes", {"kind": "shouted"}),
    ("/api/quotes", {"speaker": "Лука\x00шенко"}),
    ("/api/quotes", {"format": "xml"}),
    ("/api/search", {}),
    ("/api/search", {"q": "…!"}),
    ("/api/search", {"q": "x" * 5000}),
    ("/api/entities", {"kind": "PERSON"}),
    ("/api/speakers/0", {}),
    ("/api/speakers/99999999999999999999", {}),
    ("/api/documents/abc", {}),
])
def test_bad_parameters_are_refused_with_a_reason(client, path, params):
    response = client.get(path, params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/speakers/999999", "/api/documents/999999", "/api/outlets/999999"])
def test_unknown_ids_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "999999" in response.json()["detail"]


def test_every_page_escapes_markup_it_shows(client):
    republished = next(quote for quote in items(client, "/api/quotes", q="атака") if SCRIPT in quote["text"])
    pages = [
        client.get("/").text,
        client.get("/search", params={"q": "атака"}).text,
        client.get(f"/speakers/{republished['speaker_id']}").text,
        client.get(f"/documents/{republished['document_id']}").text,
        client.get("/search", params={"q": SCRIPT}).text,
    ]
    for page in pages:
        assert SCRIPT not in page
    document = pages[3]
    policy = client.get(f"/documents/{republished['document_id']}").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "&lt;script&gt;alert(&#34;skazal&#34;)&lt;/script&gt; Лукашенко об айтишниках" in document
    assert 'data-quote="{}"'.format(republished["quote_id"]) in document


def test_an_article_page_marks_quotes_speakers_and_entities(client):
    bykvu = next(item for item in corpus() if item.outlet == "bykvu.com")
    page = client.get(f"/documents/{_document_id(client, bykvu.url)}").text
    assert page.count('<mark class="quote') >= 6
    assert 'class="entity PER speaker"' in page and "Порошенко" in page
    assert 'class="entity LOC"' in page


def test_the_home_page_shows_latest_quotes_and_who_is_quoted_most(client):
    page = client.get("/").text
    assert "Последние цитаты" in page and "Чаще всего цитируют за неделю" in page
    assert "Александр Лукашенко" in page
    assert '<form class="search" action="/search"' in page


def test_the_speaker_page_reads_without_javascript(client):
    page = client.get(f"/speakers/{speaker_id(client, 'Порошенко')}").text
    assert "6 цитат · 1 статья · 6 упоминаний" in page
    assert '<table id="months-table">' in page and "<td>2019-01</td><td>6</td>" in page
    assert '<script src="/static/vendor/chart.umd.min.js"' in page


def test_a_speakers_timeline_comes_in_pages(client):
    poroshenko = speaker_id(client, "Порошенко")
    first = client.get(f"/speakers/{poroshenko}", params={"limit": 4}).text
    assert first.count('<li class="quote') == 4 and f"/speakers/{poroshenko}?limit=4&amp;offset=4" in first
    second = client.get(f"/speakers/{poroshenko}", params={"limit": 4, "offset": 4}).text
    assert second.count('<li class="quote') == 2 and 'rel="next"' not in second and 'rel="prev"' in second


def test_search_results_lead_to_the_speaker(client):
    page = client.get("/search", params={"q": "автокефалия"}).text
    assert f'<a class="speaker" href="/speakers/{speaker_id(client, "Порошенко")}">Петр Порошенко</a>' in page


def test_english_is_chosen_by_lang_and_remembered_in_a_cookie(store):
    with TestClient(create_app(store)) as fresh:
        english = fresh.get("/", params={"lang": "en"})
        assert "Latest quotes" in english.text and '<html lang="en">' in english.text
        assert fresh.cookies.get("lang") == "en"
        assert "Most quoted this week" in fresh.get("/").text
        assert "6 quotes · 1 article · 6 mentions" in fresh.get(f"/speakers/{speaker_id(fresh, 'Порошенко')}").text
        assert "Последние цитаты" in fresh.get("/", params={"lang": "ru"}).text


def test_unknown_pages_are_a_readable_404(client):
    response = client.get("/speakers/999999")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "no speaker with id 999999" in response.text


def test_openapi_documents_every_route_and_docs_are_served_from_here(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/quotes", "/api/search", "/api/speakers", "/api/speakers/{id}", "/api/entities",
            "/api/documents/{id}", "/api/outlets", "/api/outlets/{id}", "/api/stats"} <= set(paths)
    assert "/api/documents" not in paths
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "cdn" not in docs


def test_ingest_over_http_is_absent_without_a_token(client):
    response = client.post("/api/documents", json={"url": "https://lenta.ru/x", "text": "Текст."})
    assert response.status_code in (404, 405)


def _modern_page(number: str) -> tuple[str, str]:
    for line in (MODERN / "index.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["file"].startswith(f"pages/{number}-"):
            return entry["url"], (MODERN / entry["file"]).read_text(encoding="utf-8")
    raise LookupError(number)


def test_ingest_over_http_needs_the_token_and_stores_the_page(store):
    url, html = _modern_page("010")
    with TestClient(create_app(store, token=TOKEN)) as writer:
        page = {"url": url, "html": html}
        assert writer.post("/api/documents", json=page).status_code == 401
        refused = writer.post("/api/documents", json=page, headers={"Authorization": "Bearer wrong"})
        assert refused.status_code == 403
        bad = writer.post("/api/documents", json={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert bad.status_code == 422
        saved = writer.post("/api/documents", json=page, headers={"Authorization": f"Bearer {TOKEN}"})
        assert saved.status_code == 201 and saved.json()["outcome"] == "new"
        again = writer.post("/api/documents", json=page, headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.json() == {"id": saved.json()["id"], "outcome": "unchanged"}
        document = writer.get(f"/api/documents/{saved.json()['id']}").json()
        assert document["url"] == url and document["outlet"] == "lenta.ru" and len(document["body"]) > 500


def test_a_page_with_a_broken_character_is_refused_with_a_reason(store):
    said = '{"url": "https://example.org/broken", "text": "\\ud800 Путин заявил журналистам, что всё идёт по плану."}'
    with TestClient(create_app(store, token=TOKEN)) as writer:
        refused = writer.post("/api/documents", content=said.encode(),
                              headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "text"]


def test_a_query_in_a_script_the_dictionary_does_not_know_is_answered(client):
    assert client.get("/api/search", params={"q": "\U00017000"}).status_code == 200
    assert client.get("/api/quotes", params={"speaker": "\U00017000"}).status_code == 200


@pytest.mark.slow
def test_generated_requests_never_meet_a_server_error(store):
    """Schemathesis makes requests from /openapi.json, valid and not; none may end in a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store))
    for found in schema.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def answers_without_a_server_error(case):
            case.call_and_validate(checks=[not_a_server_error])

        answers_without_a_server_error()


@pytest.mark.slow
def test_generated_pages_to_ingest_never_meet_a_server_error(store):
    """Schemathesis posts made-up pages to ingest (each one read and analysed): none may end in a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store, token=TOKEN))
    operation = schema["/api/documents"]["POST"]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def answers_without_a_server_error(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])

    answers_without_a_server_error()


def test_serve_refuses_a_database_without_the_corpus_schema(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "empty.db"), "--port", "1"]) == 1
    assert "skazal db upgrade" in capsys.readouterr().err
