"""Attention over time in real headless Chromium, against `skazal serve` on 127.0.0.1 over the real corpus of
test_web_browser: the search and the outlet pages lead to their chart, which is drawn (its line's colour is on
the canvas) from the very table the API gives, per month and per week; without JavaScript the table is all."""
from __future__ import annotations

import httpx
import pytest
from test_web_browser import browser, page, server, shoot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow

# The first line's colour in attention-chart.js.
FIRST_LINE = (0xB3, 0x47, 0x2D)

DRAWN = """() => {
    const canvas = document.getElementById('attention-chart');
    const chart = Chart.getChart(canvas);
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0, line = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 0) painted++;
        if (pixels[i] === RED && pixels[i + 1] === GREEN && pixels[i + 2] === BLUE && pixels[i + 3] === 255) line++;
    }
    return {labels: chart.data.labels, names: chart.data.datasets.map(d => d.label),
            series: chart.data.datasets.map(d => d.data), painted, line, visible: canvas.offsetHeight > 0};
}""".replace("RED", str(FIRST_LINE[0])).replace("GREEN", str(FIRST_LINE[1])).replace("BLUE", str(FIRST_LINE[2]))


def drawn(page) -> dict:  # noqa: F811 (any page, not the fixture)
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('attention-chart'))")
    return page.evaluate(DRAWN)


def table_rows(page) -> list[list[str]]:  # noqa: F811
    return page.locator("#attention-table tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent))")


def api_table(server: str, page) -> dict:  # noqa: F811
    """The table the page's JSON twin gives."""
    twin = page.locator("a.json").get_attribute("href")
    assert twin.startswith("/api/attention?")
    return httpx.get(server + twin).json()


def assert_chart_is_the_table(page, table: dict) -> None:  # noqa: F811
    chart = drawn(page)
    assert chart["names"] == [series["name"] for series in table["series"]]
    assert chart["labels"] == [row["period"] for row in table["periods"]]
    assert chart["series"] == [[row["quotes"][column] for row in table["periods"]]
                               for column in range(len(table["series"]))]
    assert table_rows(page) == [[row["period"], *map(str, row["quotes"])] for row in table["periods"]]
    assert chart["visible"] and chart["painted"] > 1000 and chart["line"] > 20


def test_a_search_leads_to_its_words_over_time_by_month_and_by_week(server, page):  # noqa: F811
    page.goto(server + "/")
    page.fill("header input[name=q]", "работать")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    page.locator("p.follow a.attention").click()
    page.wait_for_url("**/attention?q=*")
    table = api_table(server, page)
    assert table["bucket"] == "month" and [series["name"] for series in table["series"]] == ["«работать»"]
    listed = httpx.get(f"{server}/api/quotes", params={"q": "работать", "limit": 1}).json()["total"]
    assert sum(row["quotes"][0] for row in table["periods"]) == listed > 0
    assert_chart_is_the_table(page, table)
    assert page.locator("form.attention-add input[name=q]").input_value() == "работать"
    shoot(page, "attention-search")
    page.locator("a.bucket", has_text="по неделям").click()
    page.wait_for_url("**/attention?*bucket=week*")
    weeks = api_table(server, page)
    assert weeks["bucket"] == "week" and len(weeks["periods"]) > len(table["periods"])
    assert sum(row["quotes"][0] for row in weeks["periods"]) == listed
    assert page.locator("figcaption").inner_text() == "Цитаты по неделям"
    assert_chart_is_the_table(page, weeks)


def test_an_outlet_page_leads_to_its_quotes_over_time_and_a_speaker_is_added_beside(server, page):  # noqa: F811
    page.goto(server + "/outlets")
    page.locator("a", has_text="bykvu.com").first.click()
    page.wait_for_url("**/outlets/*")
    page.locator("p.facts a.attention").click()
    page.wait_for_url("**/attention?outlet=bykvu.com")
    outlet = api_table(server, page)
    assert [series["name"] for series in outlet["series"]] == ["bykvu.com"]
    assert_chart_is_the_table(page, outlet)
    page.fill("form.attention-add input[name=speaker]", "Порошенко")
    page.click("form.attention-add button")
    page.wait_for_url("**/attention?*speaker=*")
    theirs = api_table(server, page)
    assert [series["name"] for series in theirs["series"]] == ["Петр Порошенко"]
    assert theirs["series"][0]["quotes"] == httpx.get(
        f"{server}/api/quotes", params={"speaker": "Порошенко", "outlet": "bykvu.com", "limit": 1}).json()["total"]
    assert_chart_is_the_table(page, theirs)
    shoot(page, "attention-outlet")


def test_without_javascript_the_chart_is_its_table(server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()  # noqa: F811
        page.goto(server + "/attention?q=работать&bucket=month")
        assert page.locator("#attention-chart").is_hidden()
        table = api_table(server, page)
        assert table_rows(page) == [[row["period"], *map(str, row["quotes"])] for row in table["periods"]]
        shoot(page, "attention-no-javascript")
    finally:
        context.close()
