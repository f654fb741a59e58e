"""The quote list in real headless Chromium, against `skazal serve` on 127.0.0.1 over the real corpus
of test_web_browser: a facet narrows the list to its count and shows its filter, which can be removed."""
from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from test_web_browser import browser, page, server, shoot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def total(page) -> int:  # noqa: F811 (any page, not the fixture)
    return int(re.sub(r"\D", "", page.locator(".total .count-total").inner_text()))


def test_a_facet_narrows_the_quotes_and_its_filter_is_removed_again(server, page):  # noqa: F811
    page.goto(server + "/")
    page.locator("header nav").get_by_role("link", name="Цитаты", exact=True).click()
    page.wait_for_url("**/quotes")
    everything = total(page)
    assert everything == page.locator("ol.quotes li.quote").count()
    speakers = page.locator('section.facet[data-facet="speaker_id"] li')
    counts = [int(re.sub(r"\D", "", text)) for text in speakers.locator(".count").all_inner_texts()]
    assert sum(counts) == everything
    poroshenko = speakers.filter(has_text="Петр Порошенко")
    count = int(poroshenko.locator(".count").inner_text())
    poroshenko.locator("a").click()
    page.wait_for_url("**/quotes?speaker_id=*")
    assert total(page) == count == page.locator("ol.quotes li.quote").count()
    assert page.locator(".total").inner_text() == f"Цитаты 1–{count} из {count}"
    chip = page.locator('li.chip[data-filter="speaker_id"]')
    assert chip.locator(".value").inner_text() == "Петр Порошенко"
    assert set(page.locator("ol.quotes .said a.speaker").all_inner_texts()) == {"Петр Порошенко"}
    shoot(page, "quotes-facet")
    table = httpx.get(server + page.locator("a.csv").get_attribute("href")).text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == count and {row["speaker"] for row in rows} == {"Петр Порошенко"}
    chip.locator("a.remove").click()
    page.wait_for_url("**/quotes?")
    assert total(page) == everything and page.locator("li.chip").count() == 0
    shoot(page, "quotes")


def test_the_filter_form_and_a_quotes_own_page(server, page):  # noqa: F811
    page.goto(server + "/quotes")
    page.select_option("form.filters select[name=kind]", "indirect")
    page.fill("form.filters input[name=speaker]", "Порошенко")
    page.click("form.filters button")
    page.wait_for_url("**/quotes?*kind=indirect*")
    assert [chip.split(":")[0] for chip in page.locator("li.chip .name").all_inner_texts()] == ["Говорящий", "Вид речи"]
    listed = total(page)
    assert listed == page.locator("ol.quotes li.quote.indirect").count() > 0
    text = page.locator("ol.quotes li.quote blockquote").first.inner_text()
    page.locator("ol.quotes a.permalink").first.click()
    page.wait_for_url("**/quotes/*")
    assert page.locator("h1").inner_text() == "Петр Порошенко"
    assert page.locator(".paragraph mark.quote").inner_text() in text
    shoot(page, "quote")


def test_the_day_fields_take_a_day_as_russians_write_it_whatever_the_browsers_locale(server, browser):  # noqa: F811
    context = browser.new_context(locale="en-US")  # where a date input would show mm/dd/yyyy
    try:
        page = context.new_page()  # noqa: F811
        page.goto(server + "/quotes")
        since = page.locator("form.filters input[name=since]")
        assert since.get_attribute("type") == "text" and since.get_attribute("placeholder") == "ГГГГ-ММ-ДД"
        since.fill("01.01.2019")
        page.click("form.filters button")
        page.wait_for_url("**/quotes?*since=01.01.2019*")
        days = page.locator("ol.quotes li.quote time").evaluate_all("found => found.map(t => t.dateTime)")
        assert days and min(days) >= "2019-01-01"
        assert total(page) == httpx.get(server + "/api/quotes", params={"since": "2019-01-01"}).json()["total"]
        assert page.locator("form.filters input[name=since]").get_attribute("value") == "2019-01-01"
        assert page.locator('li.chip[data-filter="since"] .value').inner_text() == "2019-01-01"
    finally:
        context.close()


def test_attention_over_time_draws_two_speakers_side_by_side_from_its_table(server, page):  # noqa: F811
    page.goto(server + "/speakers")
    page.locator("a", has_text="Петр Порошенко").first.click()
    page.wait_for_url("**/speakers/*")
    page.locator("a.attention").click()
    page.wait_for_url("**/attention?speaker_id=*")
    page.fill("form.attention-add input[name=speaker]", "Медведева")
    page.click("form.attention-add button")
    page.wait_for_url("**/attention?*speaker=*")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('attention-chart'))")
    chart = page.evaluate("""() => {
        const canvas = document.getElementById('attention-chart');
        const chart = Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return {labels: chart.data.labels, names: chart.data.datasets.map(d => d.label),
                series: chart.data.datasets.map(d => d.data), painted, visible: canvas.offsetHeight > 0};
    }""")
    table = httpx.get(server + page.locator("a.json").get_attribute("href")).json()  # the page's twin
    assert chart["names"] == [series["name"] for series in table["series"]] == ["Петр Порошенко",
                                                                                 "Дмитрий Медведев"]
    assert chart["labels"] == [row["period"] for row in table["periods"]]
    assert chart["series"] == [[row["quotes"][column] for row in table["periods"]] for column in range(2)]
    assert chart["visible"] and chart["painted"] > 1000
    shoot(page, "attention")
