"""Script planted in stored text never runs in a reader's browser (issue 10): payload × field × page kind.

Each payload (a script element, an attribute broken out of, a `javascript:` link, a script element closed
and opened again, bidi overrides) is planted, marked with the field's name, in every field a page can
store or the linker can save (title, body, quote, speaker, role, outlet, URL, source, rubric, author, an
entity, a cue; a story's title, an utterance's speaker and wording, a printing's text, its cited outlet
and what changed), one page per payload, saved on SQLite and on PostgreSQL. Every HTML page kind and Atom
feed is then read as a browser reads it (lexbor, an HTML5 parser) and checked for what would run: an
element with an event handler attribute, an inline script, a link or source with a script scheme, a raw
bidi control. Every field must also be shown, escaped, on some page, so that the matrix checks something.
The search query and a 404 path carry the payloads too, reflected.
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from urllib.parse import quote as percent_encoded

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser
from store_fixtures import BACKENDS, fresh_database

from skazal.linking.records import Occurrence, Story, Utterance
from skazal.records import Article, Cue, Entity, IngestedPage, Mention, Page, Quote, Source, Speaker
from skazal.store import open_store
from skazal.web import create_app

# What a reader of the page would run, each with "{field}" where the field's marker goes.
PAYLOADS = {
    "script": '<script>alert("{field}")</script>',
    "attribute": '"><img src=x onerror=alert("{field}")>',
    "single-quoted attribute": "'><svg onload=alert('{field}')>",
    "javascript link": 'javascript:alert("{field}")',
    "closing script": '</script><script>alert("{field}")</script><!--',
    "bidi override": "\u202e{field}\u202c\u2067",
}
PAGE_FIELDS = ("title", "body", "quote", "speaker", "role", "outlet", "url", "source", "rubric", "author",
               "entity", "cue")
LINK_FIELDS = ("story", "utterer", "reference", "printing", "cites", "changes")
FIELDS = PAGE_FIELDS + LINK_FIELDS
SEARCHED = "айтишников"  # a word in every planted page's body and quote
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data")


def marker(payload: str, field: str) -> str:
    # One word, so that a word-by-word diff of two planted wordings keeps it whole.
    return "xss" + re.sub(r"\W", "", f"{payload}{field}")


def planted(payload: str, field: str) -> str:
    return PAYLOADS[payload].format(field=marker(payload, field))


def planted_page(payload: str) -> IngestedPage:
    """A page holding the payload in every field, marked with the field's name."""
    def plant(field: str) -> str:
        return planted(payload, field)

    slug = payload.replace(" ", "-")
    url = plant("url") if payload == "javascript link" else f"https://example.org/{slug}/{plant('url')}"
    opening = f"Лукашенко заявил о судьбе айтишников. {plant('body')}\n\n"
    said = f"«Судьба {SEARCHED}: {plant('quote')}», — {plant('cue')} {plant('speaker')}."
    quote_text = f"Судьба {SEARCHED}: {plant('quote')}"
    quote_start = len(opening) + 1
    cue_start = len(opening) + said.index(plant("cue"))
    speaker_start = len(opening) + said.index(plant("speaker"))
    cited = f"\n\nКак сообщает {plant('source')}, {plant('entity')} тоже высказался."
    body = opening + said + cited
    source_start, entity_start = body.index(plant("source")), body.index(plant("entity"))
    speaker_mention = Mention(start=speaker_start, end=speaker_start + len(plant("speaker")), text=plant("speaker"))
    speaker = Speaker(name=plant("speaker"), type="PER", mention=speaker_mention, role=plant("role"))
    quote = Quote(kind="direct", text=quote_text, start=quote_start, end=quote_start + len(quote_text),
                  cue=Cue(lemma="сказать", form=plant("cue"), start=cue_start, end=cue_start + len(plant("cue"))),
                  speaker=speaker, confidence=0.9)
    entities = (
        Entity(name=plant("speaker"), type="PER", mentions=(speaker_mention,), role=plant("role")),
        Entity(name=plant("entity"), type="ORG", mentions=(
            Mention(start=entity_start, end=entity_start + len(plant("entity")), text=plant("entity")),)),
    )
    sources = (Source(name=plant("source"), phrase=f"Как сообщает {plant('source')}", start=source_start - 13,
                      end=source_start + len(plant("source"))),)
    article = Article(body=body, title=plant("title"), published="2024-05-01T10:00:00+03:00", author=plant("author"),
                      rubric=plant("rubric"), url=url)
    return IngestedPage(location=url, url=url, outlet=plant("outlet"),
                        content_hash=hashlib.sha256(body.encode()).hexdigest(),
                        page=Page(article=article, entities=entities, quotes=(quote,), sources=sources),
                        fetched_at="2024-05-01T08:00:00+00:00")


def planted_linking(pages: list[IngestedPage]) -> tuple[list[Story], list[Utterance]]:
    """A story per payload (its page and the next payload's), and an utterance printed by both, the second
    printing altered."""
    stories, utterances = [], []
    for number, (payload, page) in enumerate(zip(PAYLOADS, pages)):
        other = pages[(number + 1) % len(pages)]
        story_id, utterance_id = f"story-{number}", f"utterance-{number}"
        stories.append(Story(id=story_id, urls=(page.url, other.url), title=planted(payload, "story")))
        quote = page.page.quotes[0]
        printings = (
            Occurrence(url=page.url, outlet=page.outlet, published="2024-05-01T10:00:00+03:00", time_precision="minute",
                       kind="direct", text=quote.text, relation="identical", meaning_altered=False, first=True),
            Occurrence(url=other.url, outlet=other.outlet, published="2024-05-01T11:30:00+03:00",
                       time_precision="minute", kind="direct", text=f"{planted(payload, 'printing')} и далее",
                       relation="paraphrase", meaning_altered=True, cites=planted(payload, "cites"),
                       changes=(planted(payload, "changes"),)),
        )
        utterances.append(Utterance(id=utterance_id, speaker=planted(payload, "utterer"), story=story_id,
                                    reference=planted(payload, "reference"), occurrences=printings))
    return stories, utterances


@dataclass(frozen=True)
class Planted:
    client: TestClient
    documents: dict[str, int]  # payload → its page's document id
    quotes: dict[str, int]
    speakers: dict[str, int]
    outlets: dict[str, int]
    fetched: dict[str, str] = field(default_factory=dict)  # address → the page, read once

    def fetch(self, address: str) -> str:
        if address not in self.fetched:
            response = self.client.get(address)
            assert response.status_code in (200, 404), (address, response.status_code)
            self.fetched[address] = response.text
        return self.fetched[address]


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    pages = [planted_page(payload) for payload in PAYLOADS]
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url, open_store(url) as store:
        store.upgrade()
        store.save_pages(pages)
        store.save_linking(*planted_linking(pages))
        with TestClient(create_app(store)) as client:
            yield Planted(client=client, **ids_of(client, store, pages))


def ids_of(client: TestClient, store, pages: list[IngestedPage]) -> dict[str, dict[str, int]]:
    documents = {payload: store.document_at(page.url) for payload, page in zip(PAYLOADS, pages)}
    quoted = {quote["document_id"]: quote for quote in client.get("/api/quotes", params={"limit": 100}).json()["items"]}
    outlets = {outlet["name"]: outlet["id"] for outlet in client.get("/api/outlets").json()["items"]}
    return {
        "documents": documents,
        "quotes": {payload: quoted[documents[payload]]["quote_id"] for payload in PAYLOADS},
        "speakers": {payload: quoted[documents[payload]]["speaker_id"] for payload in PAYLOADS},
        "outlets": {payload: outlets[page.outlet] for payload, page in zip(PAYLOADS, pages)},
    }


def story_number(payload: str) -> int:
    return list(PAYLOADS).index(payload)


# Each HTML page kind, and where it is for a payload's page.
PAGE_KINDS = {
    "home": lambda site, payload: "/",
    "search": lambda site, payload: f"/search?q={SEARCHED}",
    "search reflecting the query": lambda site, payload: f"/search?q={percent_encoded(planted(payload, 'query'))}",
    "quote list": lambda site, payload: "/quotes",
    "quote list filtered": lambda site, payload: f"/quotes?q={percent_encoded(planted(payload, 'query'))}"
                                                 f"&outlet={percent_encoded(planted(payload, 'outlet'))}",
    "quote": lambda site, payload: f"/quotes/{site.quotes[payload]}",
    "speakers": lambda site, payload: "/speakers",
    "speaker": lambda site, payload: f"/speakers/{site.speakers[payload]}",
    "articles": lambda site, payload: "/articles",
    "article": lambda site, payload: f"/documents/{site.documents[payload]}",
    "outlets": lambda site, payload: "/outlets",
    "outlet": lambda site, payload: f"/outlets/{site.outlets[payload]}",
    "stories": lambda site, payload: "/stories",
    "story": lambda site, payload: f"/stories/story-{story_number(payload)}",
    "utterance": lambda site, payload: f"/utterances/utterance-{story_number(payload)}",
    "altered": lambda site, payload: "/altered",
    "404 reflecting the path": lambda site, payload: f"/no-such-page/{percent_encoded(planted(payload, 'path'))}",
}
FEED_KINDS = {
    "quotes feed": lambda site, payload: "/quotes/feed.atom",
    "speaker feed": lambda site, payload: f"/speakers/{site.speakers[payload]}/feed.atom",
    "search feed": lambda site, payload: f"/search/feed.atom?q={SEARCHED}",
}
REFLECTED = {"search reflecting the query": ("query",), "quote list filtered": ("query",),
             "404 reflecting the path": ("path",)}


def what_would_run(page: str) -> list[str]:
    """What a browser would run or misread in this HTML: handlers, inline scripts, script links, bidi."""
    found = [f"raw bidi control {match.group()!r}" for match in BIDI.finditer(page)]
    tree = LexborHTMLParser(page)
    for element in tree.css("*"):
        for name, value in element.attributes.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            elif name.lower() in URL_ATTRIBUTES and _scheme_runs(value or ""):
                found.append(f"<{element.tag} {name}={value!r}>")
        if element.tag == "script" and "src" not in element.attributes:
            found.append(f"inline <script>{element.text()[:80]!r}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_check_finds_each_payload_planted_raw(payload):
    # As a template without escaping would write it: in text, in a quoted attribute, in a link.
    raw = planted(payload, "title")
    planted_raw = [f"<p>{raw}</p>", f'<p><a title="{raw}">x</a></p>', f"<p><a title='{raw}'>x</a></p>",
                   f'<a href="{raw}">x</a>']
    assert any(what_would_run(page) for page in planted_raw)


def _scheme_runs(value: str) -> bool:
    # Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith(SCRIPT_SCHEMES)


def shown_fields(page: str, payload: str) -> set[str]:
    """The fields whose marker the page shows, in its text or attributes, as the browser decodes them."""
    tree = LexborHTMLParser(page)
    decoded = [tree.body.text() if tree.body else ""]
    decoded += [value or "" for element in tree.css("*") for value in element.attributes.values()]
    shown = "\n".join(decoded)
    return {field for field in (*FIELDS, "query", "path") if marker(payload, field) in shown}


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_planted_payload_runs_on_any_page_kind(site, payload, kind):
    page = site.fetch(PAGE_KINDS[kind](site, payload))
    assert what_would_run(page) == []
    shown = shown_fields(page, payload)
    assert shown, f"the {kind} page shows none of the planted fields"
    assert set(REFLECTED.get(kind, ())) <= shown  # a reflected value is shown, escaped


@pytest.mark.parametrize("kind", FEED_KINDS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_planted_payload_runs_in_a_feed_reader(site, payload, kind):
    feed = ElementTree.fromstring(site.fetch(FEED_KINDS[kind](site, payload)))
    shown = set()
    for element in feed.iter():
        text = element.text or ""
        # A reader renders type="html" (and xhtml) content as HTML once the XML is read: it must be safe HTML.
        if element.get("type") in ("html", "xhtml"):
            assert what_would_run(text) == [], element.tag
        assert not BIDI.search(text), element.tag
        assert not _scheme_runs(element.get("href") or ""), element.tag
        shown |= {field for field in FIELDS if marker(payload, field) in text}
    assert shown, f"the {kind} shows none of the planted fields"


# What no page shows, so that no page can run it either: the rubric (stored, never displayed), and an address
# with a script scheme (never a link, and not worth showing).
NOT_SHOWN = {(payload, "rubric") for payload in PAYLOADS} | {("javascript link", "url")}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_planted_field_is_shown_escaped_on_some_page(site, payload, field):
    if (payload, field) in NOT_SHOWN:
        pytest.skip("not shown on any page")
    pages = {kind: site.fetch(address(site, payload)) for kind, address in PAGE_KINDS.items()}
    assert [kind for kind, page in pages.items() if field in shown_fields(page, payload)], \
        f"no page kind shows the {field}"
