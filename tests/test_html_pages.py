"""Real Russian news pages read from their raw bytes: headline, date, where the article starts and ends.

The pages in tests/data/html/ are copied byte for byte from the shared corpus (provenance per page in
expected.json); the expectations were checked against each page by reading it.
"""
import json

import pytest
from conftest import CORPUS, DATA

from skazal.reading import read_page
from skazal.reading.html_metadata import Heading, choose_title

PAGES = DATA / "html"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def plain(text: str | None) -> str:
    return " ".join((text or "").replace("\xa0", " ").split())


def read(name: str):
    return read_page((PAGES / name).read_bytes())


@pytest.mark.parametrize("page", EXPECTED, ids=[page["file"] for page in EXPECTED])
def test_page_reads_as_its_reader_sees_it(page):
    article = read(page["file"])
    assert plain(article.title) == plain(page["title"])
    if page["published"]:
        assert (article.published or "")[:10] == page["published"]
    body = plain(article.body)
    assert body.startswith(plain(page["first"])), body[:300]
    assert body.endswith(plain(page["last"])), body[-300:]
    for furniture in page.get("absent", []):
        assert furniture not in body
    paragraphs = [plain(paragraph) for paragraph in article.body.split("\n\n")]
    assert len(paragraphs) == len(set(paragraphs)), "a paragraph appears twice"


def test_pages_come_from_several_outlets_and_encodings():
    outlets = {page["file"].split("-", 1)[1].removesuffix(".html") for page in EXPECTED}
    assert len(EXPECTED) >= 20 and len(outlets) >= 15
    raw = (PAGES / "073-baikal-daily.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_windows_1251_page_reads_as_cyrillic():
    article = read("074-baikal-daily.html")
    assert article.title == "В аэропорту Иркутска задержали рейс из-за неисправности самолёта"
    assert "«Уральские авиалинии»" in article.body


def test_photo_caption_is_an_image_not_body_text():
    article = read("010-lenta.html")
    assert "Коротаев" not in article.body
    assert any(image.credit == "Виктор Коротаев / «Коммерсантъ»" for image in article.images)


def test_related_stories_are_teasers_not_body():
    article = read("015-3dnews.html")
    assert "TrendForce: производство iPhone падает" in article.teasers
    assert "TrendForce" not in article.body


def test_menus_and_news_feeds_are_not_teasers():
    teasers = read("010-lenta.html").teasers + read("022-interfax.html").teasers
    assert not any(teaser.isupper() or "|" in teaser for teaser in teasers)


def test_utc_timestamp_is_given_in_the_time_the_page_shows():
    # <time datetime="2016-04-22T11:25:36Z"> 14:25, 22 апреля 2016</time>
    assert read("010-lenta.html").published == "2016-04-22T14:25:36+03:00"


def test_date_without_meta_comes_from_the_line_under_the_headline():
    # "Пт, 26/02/2021 - 10:44 — admin" under the headline; the page has no date meta tags.
    assert read("027-kamtime.html").published == "2021-02-26T10:44"


def test_language_of_a_page_that_does_not_declare_one():
    assert read("046-zabinfo.html").language == "ru"


def test_rubric_from_the_section_the_page_declares():
    assert read("022-interfax.html").rubric == "В России"


def test_canonical_address_and_language():
    article = read("022-pravda-ua.html")
    assert article.canonical_url == "https://www.pravda.com.ua/rus/articles/2026/01/08/8015225/"
    assert article.language == "ru"


def test_headline_is_the_heading_the_title_tag_repeats():
    # <title> of regnum.ru: the headline, the rubric and the outlet; the page's first <h1> is the headline.
    title, element = choose_title(
        ["В Забайкалье возбуждено дело о массовом заболевании парагриппом в доме ребёнка: REGNUM"],
        "В Забайкалье возбуждено дело о массовом заболевании парагриппом в доме ребёнка - Новости медицины - ИА REGNUM",
        [
            Heading("h1", "Информация", 1),
            Heading("h1", "В Забайкалье возбуждено дело о массовом заболевании парагриппом в доме ребёнка", 2),
        ],
    )
    assert (title, element) == ("В Забайкалье возбуждено дело о массовом заболевании парагриппом в доме ребёнка", 2)


def test_headline_without_heading_is_what_title_and_og_title_share():
    # gazeta.ru: og:title "Газета.Ru - X", <title> "X — Газета.Ru | Новости дня", no <h1>.
    headline = "Исследование: в Великобритании женщин, страдающих ожирением, больше, чем где-либо в Европе"
    title, _ = choose_title([f"Газета.Ru - {headline}"], f"{headline} — Газета.Ru | Новости дня", [])
    assert title == headline


def test_title_tag_alone_loses_the_outlet_name():
    headline = "Президенту ФРГ грозят отставкой: он скрывает личную жизнь и давит на СМИ"
    title, _ = choose_title([], f"{headline} - ПОЛИТ.РУ", [])
    assert title == headline


def test_sentence_broken_by_a_line_break_stays_one_paragraph():
    # ria.ru: "…Травмы при этом <br /> получили четыре человека.</p>"
    paragraphs = read("001-ria.html").body.split("\n\n")
    assert any(paragraph.endswith("Травмы при этом получили четыре человека.") for paragraph in paragraphs)


def test_paragraphs_ended_by_line_breaks_stay_apart():
    # fedpress.ru: paragraphs of the article separated by single <br />
    paragraphs = read("042-fedpress.html").body.split("\n\n")
    assert len(paragraphs) == 5


def test_short_article_under_the_headline_wins_over_a_long_legal_footer():
    # nr2.ru: three paragraphs under the headline, seven paragraphs of owner's rights in the footer.
    article = read("043-nr2.html")
    assert article.body.startswith("Благовещенск, Январь 06 (Новый Регион, Дарья Неклюдова)")
    assert "правообладатель" not in article.body


def test_date_and_time_set_in_the_heading_are_not_the_headline():
    # <h1>В Амурской области сошел с рельсов вагон состава с углем&nbsp;<span> 06.01.12&nbsp;08:49</span></h1>
    assert read("043-nr2.html").title == "В Амурской области сошел с рельсов вагон состава с углем"


def test_digest_of_other_stories_loses_to_the_text_under_the_headline():
    # tengrinews.kz: a 700-character article beside a column of other stories' summaries as long.
    article = read("062-tengrinews.html")
    assert len(article.body.split("\n\n")) == 3
    assert "Tengrinews.kz вспомнил" not in article.body


def test_reader_comments_and_their_rules_are_not_the_article():
    # kp.ru: the comments and the moderation rules stand in the article's own column, after "Комментарии45".
    article = read("020-kp.html")
    assert "модератором" not in article.body
    assert not article.body.startswith(article.title)  # the headline with its "Комментарии: 45" link


def test_print_version_link_heads_no_story():
    # vz.ru: "Версия для печати" is a linked line over the lead, not the headline of a teaser it summarises.
    assert read("026-vz.html").body.startswith("Жительница Башкирии и многодетная мать Гузель Идрисова")


def test_paragraph_after_a_related_box_in_the_text_stays():
    # glavcom.ua: "Новость по теме" boxes between the paragraphs; the paragraph after one is the article's.
    article = read("057-glavcom.html")
    assert "«Есть направления, которыми Украина может гордиться" in article.body
    assert "Минфин готовит подорожание для алкоголя" not in article.body


def test_box_hidden_by_its_class_is_not_the_article():
    # 1tv.ru: <div class="insert_blogs_full none">, a "code for your blog" box shown on a click, in the text.
    article = read("032-1tv.html")
    assert "уважайте труд журналистов" not in article.body
    assert len(article.body.split("\n\n")) == 3


def test_paragraph_after_a_list_of_links_in_the_text_is_no_summary():
    # newsru.com: two linked lines ("- Ученые обосновали …", "- Вместо конца света …") in the text,
    # then the paragraph the story goes on with; it does not summarise the last link.
    article = read("009-newsru.html")
    assert '"В этом году еще два южноамериканских лидера заболеют раком' in article.body


def test_one_line_break_inside_a_paragraph_keeps_the_paragraph():
    # ria.ru interview: "…в социальной жизни. <br />У нас есть традиционные отрасли-локомотивы…</p>"
    page = CORPUS / "html-modern-more" / "pages" / "005-ria.html"
    paragraphs = read_page(page.read_bytes()).body.split("\n\n")
    joined = [p for p in paragraphs if "У нас есть традиционные отрасли-локомотивы" in p]
    assert len(joined) == 1 and joined[0].startswith("— Инвестиционная политика")


def test_author_marked_up_as_microdata():
    # lenta.ru: <p itemprop="author"> … <span itemprop="name">Наталья Гранина</span>; "— спрашиваю
    # Елену" is then the author's question
    page = CORPUS / "html-modern" / "pages" / "016-lenta.html"
    assert read_page(page.read_bytes()).author == "Наталья Гранина"
