"""The speaker directory, the article list, the search box's speaker suggestions, the speaker chart and
the linking pages in real headless Chromium, against `skazal serve` on 127.0.0.1 over one SQLite store:
the real pages of test_web_browser and the 27 real articles of three gold stories (tests/link_fixtures.py),
linked as `skazal links` links them. Each page kind is saved to tests/screenshots/."""
from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from link_fixtures import story_pages
from test_web_api import corpus, republished_with_script
from test_web_browser import SCREENSHOTS, browser, page, served, shoot  # noqa: F401 (fixtures)

from skazal.linking import link
from skazal.store import open_store

pytestmark = pytest.mark.slow


def build_store(path: str) -> None:
    with open_store(path) as store:
        store.upgrade()
        store.save_pages([*corpus(), republished_with_script(), *story_pages()])
        found = link(store.articles_to_link())
        store.save_linking(found.stories, found.utterances)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`skazal serve` over the linked store, on a free port; its base URL."""
    database = str(tmp_path_factory.mktemp("browser-pages") / "linked.db")
    build_store(database)
    with served(database) as base:
        yield base


def number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def total(page) -> int:  # noqa: F811 (any page, not the fixture)
    return number(page.locator(".total .count-total").inner_text())


def facet_counts(page, name: str) -> dict[str, int]:  # noqa: F811
    values = page.locator(f'section.facet[data-facet="{name}"] li')
    return {row.locator("a").inner_text(): number(row.locator(".count").inner_text()) for row in values.all()}


def csv_rows(server: str, page) -> list[dict]:  # noqa: F811
    return list(csv.DictReader(io.StringIO(httpx.get(server + page.locator("a.csv").get_attribute("href")).text)))


def test_a_month_narrows_the_speaker_directory_to_its_count_and_the_csv_holds_those_speakers(server, page):  # noqa: F811
    page.goto(server + "/")
    page.locator("header nav a", has_text="Говорящие").click()
    page.wait_for_url("**/speakers")
    everything = total(page)
    assert everything == page.locator("table.speakers tbody tr").count()
    months = facet_counts(page, "month")
    assert sum(months.values()) == everything
    shoot(page, "speakers")
    page.locator('section.facet[data-facet="month"] a', has_text="2020-05").click()
    page.wait_for_url("**/speakers?month=2020-05")
    listed = page.locator("table.speakers a.speaker").all_inner_texts()
    assert total(page) == months["2020-05"] == len(listed)
    assert page.locator('li.chip[data-filter="month"] .value').inner_text() == "2020-05"
    assert "Денис Мантуров" in listed and "Петр Порошенко" not in listed
    shoot(page, "speakers-facet")
    rows = csv_rows(server, page)
    assert [row["speaker"] for row in rows] == listed
    assert {row["last"][:7] for row in rows} == {"2020-05"}


def test_an_outlet_narrows_the_article_list_and_the_csv_holds_those_articles(server, page):  # noqa: F811
    page.goto(server + "/articles")
    everything = total(page)
    assert everything == page.locator("table.articles tbody tr").count()
    assert sum(facet_counts(page, "month").values()) == everything
    shoot(page, "articles")
    count = facet_counts(page, "outlet")["ТАСС"]
    page.locator('section.facet[data-facet="outlet"] a', has_text="ТАСС").click()
    page.wait_for_url("**/articles?outlet=*")
    titles = page.locator("table.articles a.article").all_inner_texts()
    assert total(page) == count == len(titles) >= 2
    assert set(page.locator("table.articles tbody td:nth-child(2)").all_inner_texts()) == {"ТАСС"}
    shoot(page, "articles-facet")
    rows = csv_rows(server, page)
    assert [row["title"] for row in rows] == titles and {row["outlet"] for row in rows} == {"ТАСС"}
    page.locator("table.articles a.article").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == titles[0]


def suggestions_for(page, typed: str):  # noqa: F811
    page.fill("form.search input[name=q]", typed)
    suggested = page.locator("#speaker-suggestions li a")
    suggested.first.wait_for()
    return suggested


def test_a_speaker_named_in_another_case_is_suggested_and_a_click_opens_their_page(server, page):  # noqa: F811
    page.goto(server + "/quotes")
    suggested = suggestions_for(page, "Хуснуллина")
    assert suggested.all_inner_texts() == ["Марат Хуснуллин"]
    page.screenshot(path=str(SCREENSHOTS / "suggestions.png"))  # the window only: the list below is long
    suggested.first.click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text() == "Марат Хуснуллин"


@pytest.mark.parametrize("typed", ["Мантурова", "Мантуровым"])
def test_a_surname_the_dictionary_takes_for_a_village_is_suggested_in_a_case_form(server, page, typed):  # noqa: F811
    page.goto(server + "/")
    assert suggestions_for(page, typed).first.inner_text() == "Денис Мантуров"


def test_a_speaker_named_by_initials_is_suggested_and_chosen_with_the_keyboard(server, page):  # noqa: F811
    page.goto(server + "/")
    suggested = suggestions_for(page, "Д. Мантуров")
    assert suggested.first.inner_text() == "Денис Мантуров"
    page.press("form.search input[name=q]", "ArrowDown")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text() == "Денис Мантуров"


def test_the_speaker_chart_has_pixels_and_its_table_matches_the_api(server, page):  # noqa: F811
    speaker = httpx.get(server + "/api/speakers/suggest", params={"q": "Мантуров"}).json()["items"][0]
    months = httpx.get(f"{server}/api/speakers/{speaker['id']}").json()["speaker"]["months"]
    page.goto(f"{server}/speakers/{speaker['id']}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('months-chart'))")
    chart = page.evaluate("""() => {
        const canvas = document.getElementById('months-chart');
        const chart = Chart.getChart(canvas);
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return {labels: chart.data.labels, counts: chart.data.datasets[0].data, painted};
    }""")
    assert chart["labels"] == [month["month"] for month in months]
    assert chart["counts"] == [month["quotes"] for month in months] == [speaker["quotes"]]
    assert chart["painted"] > 1000
    table = [row.split("\t") for row in page.locator("#months-table tbody tr").all_inner_texts()]
    assert table == [[month["month"], str(month["quotes"])] for month in months]
    shoot(page, "speaker-chart")


def test_a_story_puts_its_outlets_on_a_time_line_and_leads_to_a_statements_printings(server, page):  # noqa: F811
    stories = httpx.get(server + "/api/stories").json()["items"]
    page.goto(server + "/")
    page.locator("header nav a", has_text="Сюжеты").click()
    page.wait_for_url("**/stories")
    assert page.locator("a[href^='/stories/story-']").count() == len(stories)
    shoot(page, "stories")
    page.locator(f"a[href='/stories/{stories[0]['id']}']").first.click()
    page.wait_for_url("**/stories/story-*")
    assert page.locator("h1").inner_text() == stories[0]["title"]
    assert page.locator("ol.printings li.article").count() == stories[0]["articles"]
    assert page.locator("svg text").count() >= stories[0]["outlets"]
    assert page.locator("ol.utterances li.utterance").count() == stories[0]["utterances"]
    shoot(page, "story")
    said = page.locator("ol.utterances li.utterance").first
    words = said.locator("blockquote").inner_text()
    said.locator("a.printings").click()
    page.wait_for_url("**/utterances/*")
    assert page.locator("blockquote.said-words").inner_text() == words
    assert page.locator("ol.printings li.printing").count() >= 2
    shoot(page, "utterance")


def test_a_storys_times_are_shown_in_the_readers_own_zone_and_kept_in_datetime(server, browser):  # noqa: F811
    story = httpx.get(server + "/api/stories").json()["items"][0]
    articles = httpx.get(f"{server}/api/stories/{story['id']}").json()["articles"]
    published = [article["published"] for article in articles]
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    try:
        page = context.new_page()  # noqa: F811
        page.goto(f"{server}/stories/{story['id']}")
        times = page.locator("ol.printings li.article time")
        assert [times.nth(i).get_attribute("datetime") for i in range(times.count())] == published
        first = times.all_inner_texts()[published.index("2020-05-03T10:53Z")]
        assert "3 мая 2020" in first and "13:53" in first  # 10:53 UTC is 13:53 in Moscow
        assert not any(re.search(r"\d{4}-\d\d-\d\dT", text) for text in times.all_inner_texts())
    finally:
        context.close()


def test_an_altered_printing_shows_its_changed_words_and_a_quote_says_where_else_it_ran(server, page):  # noqa: F811
    altered = httpx.get(server + "/api/altered").json()
    page.goto(server + "/altered")
    assert page.locator("p.range").inner_text() == f"1–{altered['total']} из {altered['total']}"
    assert page.locator("li.printing.altered").count() == altered["total"] >= 1
    shoot(page, "altered")
    page.locator("a[href^='/utterances/']").first.click()
    page.wait_for_url("**/utterances/*")
    changed = page.locator("li.printing.altered")
    assert changed.count() >= 1
    assert changed.first.locator("del, ins").count() >= 1
    page.locator("li.printing a.permalink").first.click()
    page.wait_for_url("**/quotes/*")
    also = page.locator("a.also")
    assert re.fullmatch(r"также в \d+ издани(ях|и)", also.inner_text())
    shoot(page, "quote-also")
    also.click()
    page.wait_for_url("**/utterances/*")
