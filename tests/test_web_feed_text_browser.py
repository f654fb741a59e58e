"""Documents stored from a feed's text, in real headless Chromium against `skazal serve`: the "feed text" tag
beside a title stays one piece on one line, and a speaker's role follows the name as ", role". The pages are
saved to tests/screenshots/ (the other browser tests hold no feed text)."""
from __future__ import annotations

import pytest
from conftest import CORPUS, DATA
from test_web_browser import SCREENSHOTS, browser, page, served, shoot  # noqa: F401 (fixtures)

from skazal.ingest.feeds import feed_items
from skazal.ingest.inputs import RawPage
from skazal.ingest.sources import feed_text_page
from skazal.ingest.workers import extract_raw
from skazal.store import open_store

pytestmark = pytest.mark.slow

TUTBY = CORPUS / "feeds" / "002-tutby-rss-20191114.xml"
RIA = "https://ria.ru/20170531/1495410924.html"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`skazal serve` over the 100 items of a tut.by feed stored from their feed text and one fetched page."""
    database = str(tmp_path_factory.mktemp("feed-text") / "corpus.db")
    with open_store(database) as store:
        store.upgrade()
        fetched = RawPage(location=RIA, url=RIA, content=(DATA / "html" / "001-ria.html").read_bytes())
        store.save_pages([extract_raw(fetched), *(extract_raw(feed_text_page(item))
                                                  for item in feed_items(TUTBY.read_bytes()))])
    with served(database) as base:
        yield base


def lines_each_tag_takes(page) -> list[int]:  # noqa: F811 (any page, not the fixture)
    return page.locator(".feed-text").evaluate_all("tags => tags.map(tag => tag.getClientRects().length)")


def test_the_feed_text_tag_stays_on_one_line_in_the_article_list_the_quote_list_and_a_quote_page(server, page):  # noqa: F811
    page.goto(server + "/articles")
    tags = lines_each_tag_takes(page)
    assert len(tags) == 50 and set(tags) == {1}, tags  # the newest 50, all from the feed
    page.screenshot(path=str(SCREENSHOTS / "articles-feed-text.png"))  # the window only: the list is long
    page.goto(server + "/articles?outlet=ria.ru")
    assert page.locator("table.articles tbody tr").count() == 1 and lines_each_tag_takes(page) == []  # fetched

    page.goto(server + "/quotes")
    assert lines_each_tag_takes(page) and set(lines_each_tag_takes(page)) == {1}
    page.screenshot(path=str(SCREENSHOTS / "quotes-feed-text.png"))

    page.locator("ol.quotes li", has=page.locator(".feed-text")).first.locator("a.permalink").click()
    assert lines_each_tag_takes(page) == [1]
    shoot(page, "quote-feed-text")

    page.locator("dd a.article").click()
    assert "Это текст статьи из ленты новостей (RSS)" in page.locator(".feed-text-note").inner_text()
    shoot(page, "document-feed-text")


def test_a_speakers_role_follows_the_name_and_its_comma_with_no_gap(server, page):  # noqa: F811
    page.goto(server + "/quotes")
    gaps = page.locator(".said").evaluate_all("""lines => lines.filter(line => line.querySelector('.role'))
        .map(line => line.querySelector('.role').getBoundingClientRect().left
                     - line.querySelector('.speaker').getBoundingClientRect().right)""")
    assert gaps and all(gap < 12 for gap in gaps), gaps  # ", " is ~8 px; a flex gap on each side made it ~30
