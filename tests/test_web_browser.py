"""The web UI in real headless Chromium, against `skazal serve` on 127.0.0.1 over a real corpus.

Each page is saved to tests/screenshots/ for a person to look at.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from test_web_api import fill

pytestmark = pytest.mark.slow

# Starting the server imports the web stack: seconds when the machine is idle, far more on a shared, busy one.
STARTUP_SECONDS = 120
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "tests" / "screenshots"
SKAZAL = Path(sys.executable).with_name("skazal")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`skazal serve` over a SQLite corpus of real pages, on a free port, with two worker processes
    (each opening the store itself, as a deployment would run it); its base URL."""
    database = tmp_path_factory.mktemp("browser") / "corpus.db"
    fill(str(database))
    with served(str(database), workers=2) as base:
        yield base


@contextmanager
def served(database: str, workers: int = 1) -> Iterator[str]:
    """`skazal serve` over `database` on a free port, with no token; its base URL, stopped after."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "SKAZAL_TOKEN"}
    process = subprocess.Popen(
        [str(SKAZAL), "serve", "--db", database, "--port", str(port), "--workers", str(workers)],
        env=environment | {"OPENBLAS_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"skazal serve stopped: {process.stderr.read().decode()}")
        try:
            if httpx.get(base + "/api/stats", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"skazal serve did not answer within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield opened
    context.close()
    assert problems == [], "the page reported JavaScript errors"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_shows_highlighted_matches_and_leads_to_the_article(server, page):
    page.goto(server + "/")
    shoot(page, "home")
    page.fill("form.search input[name=q]", "айтишники")
    page.click("form.search button")
    page.wait_for_url("**/search?q=*")
    marks = page.locator(".snippet mark")
    assert marks.count() >= 2
    assert all(text.lower().startswith("айтишник") for text in marks.all_inner_texts())
    shoot(page, "search")
    page.locator("li.hit.quote a.article").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator(".body mark.quote").count() >= 1


def open_speaker_from_outlet(page, server: str, outlet: str, speaker: str) -> None:
    page.goto(server + "/outlets")
    page.locator("table.outlets a", has_text=outlet).click()
    page.locator("table.speakers a", has_text=speaker).click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text() == speaker


def test_a_speaker_page_draws_quotes_per_month(server, page):
    open_speaker_from_outlet(page, server, "bykvu.com", "Петр Порошенко")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('months-chart'))")
    chart = page.evaluate("""() => {
        const canvas = document.getElementById('months-chart');
        const chart = Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return {labels: chart.data.labels, counts: chart.data.datasets[0].data, painted,
                visible: canvas.offsetHeight > 0};
    }""")
    assert chart["labels"] == ["2019-01"] and chart["counts"] == [6]
    assert chart["visible"] and chart["painted"] > 1000
    assert page.locator(".timeline li.quote").count() == 6
    shoot(page, "speaker")


def test_without_javascript_the_speaker_page_shows_a_table(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        open_speaker_from_outlet(page, server, "bykvu.com", "Петр Порошенко")
        assert page.locator("#months-table tbody tr").all_inner_texts() == ["2019-01\t6"]
        assert not page.locator(".chart").is_visible()
        shoot(page, "speaker-no-javascript")
    finally:
        context.close()


def test_an_article_marks_quotes_speakers_and_entities(server, page):
    page.goto(server + "/search?q=Порошенко")
    page.locator("li.hit a.article").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator(".body mark.quote").count() >= 6
    speaker = page.locator(".body a.entity.speaker").first
    assert "Порошенко" in speaker.inner_text()
    assert page.locator(".body .entity.LOC").count() >= 1
    shoot(page, "article")
    speaker.click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text() == "Петр Порошенко"


def test_the_outlet_page_shows_whom_it_quotes_most(server, page):
    page.goto(server + "/outlets")
    page.locator("table.outlets a", has_text="news.zerkalo.io").click()
    page.wait_for_url("**/outlets/*")
    first = page.locator("table.speakers tbody tr").first.inner_text()
    assert first.split("\t")[:2] == ["Александр Лукашенко", "5"]
    shoot(page, "outlet")


def test_switching_to_english_is_remembered_from_page_to_page(server, page):
    page.goto(server + "/")
    assert page.locator("section.latest h1").inner_text() == "Последние цитаты"
    page.click("header a.language")
    assert page.locator("section.latest h1").inner_text() == "Latest quotes"
    page.goto(server + "/outlets")
    assert page.locator("h1").inner_text() == "Outlets"
    shoot(page, "outlets-english")
    page.click("header a.language")
    assert page.locator("h1").inner_text() == "Издания"


def test_markup_in_a_title_or_a_quote_is_shown_as_text(server, page):
    page.goto(server + "/search?q=атака")
    shoot(page, "search-markup")
    page.locator("li.hit.quote a.article").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text().startswith('<script>alert("skazal")</script>')
    assert '<script>alert("skazal")</script>' in page.locator(".body mark.quote").last.inner_text()
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
    shoot(page, "article-markup")


def test_the_api_explorer_loads_from_this_server(server, page):
    page.goto(server + "/docs")
    page.get_by_text("/api/speakers/{id}", exact=True).wait_for()
    shoot(page, "api-docs")


def test_many_readers_at_once_are_all_answered(server):
    """More concurrent requests than the database pool has connections: each one still gets its page."""
    speaker = httpx.get(server + "/api/speakers", params={"q": "Порошенко"}).json()["items"][0]["id"]
    # 200 at once: far more than the server's worker threads (40) and pooled connections (15).
    pages = [f"{server}/speakers/{speaker}", f"{server}/api/speakers/{speaker}"] * 100
    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(lambda address: httpx.get(address, timeout=20).status_code, pages))
    assert statuses == [200] * len(pages)
