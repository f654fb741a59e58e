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
