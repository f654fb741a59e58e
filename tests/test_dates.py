"""Dates as Russian news pages write them, read to ISO 8601; the phrases come from real pages."""
import pytest

from skazal.reading.dates import date_line, in_local_time, only_date, opening_date, parse_date
from skazal.reading.html_dates import dateline_date


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("14:25, 22 апреля 2016", "2016-04-22T14:25"),  # lenta.ru
        ("21 апреля 2016 года, 11:00", "2016-04-21T11:00"),  # medportal.ru
        ("Пт, 26/02/2021 - 10:44 — admin", "2021-02-26T10:44"),  # kamtime.ru
        ("Отправлено: 17:06 - 17 Янв, 2012 г.", "2012-01-17T17:06"),  # zabinfo.ru
        ("04. январь 2012 10:22", "2012-01-04T10:22"),  # rus.delfi.ee
        ("20:01 | 27.11.2011", "2011-11-27T20:01"),  # ubr.ua
        ("05.01.2012, 14:45", "2012-01-05T14:45"),  # ntv.ru
        ("Сегодня 08 июня 2016", "2016-06-08"),  # 3dnews.ru
        ("Пятница, 22 апреля 2016 г. // Последняя новость 10:14", "2016-04-22"),  # newsru.com
        ("пятница, 6 января 2012 г., 02:14 GMT", "2012-01-06T02:14+00:00"),  # bbc.co.uk/russian
        ("25 декабря 2023 г. в 18:30 (МСК)", "2023-12-25T18:30+03:00"),
    ],
)
def test_visible_russian_dates(shown, iso):
    assert parse_date(shown) == iso


@pytest.mark.parametrize(
    ("stated", "iso"),
    [
        ("2016-06-08T14:10:21+03:00", "2016-06-08T14:10:21+03:00"),  # itemprop="datePublished" on 3dnews.ru
        ("2012-01-04T14:05Z", "2012-01-04T14:05+00:00"),  # article:published_time on interfax.ru
        ("2012-01-04T10:22:59+0200", "2012-01-04T10:22:59+02:00"),  # delfi.ee
        ("Fri, 06 Jan 2012 12:13:10 +0900", "2012-01-06T12:13:10+09:00"),  # <time datetime> on baikal-daily.ru
        ("2016-04-22", "2016-04-22"),
    ],
)
def test_machine_dates_keep_their_zone(stated, iso):
    assert parse_date(stated) == iso


@pytest.mark.parametrize(
    ("shown", "iso"),
    [
        ("Москва. 4 января. INTERFAX.RU", "--01-04"),  # interfax dateline: no year, none invented
        ("МОСКВА, 22 апр — РИА Новости", "--04-22"),
        ("в мае 2022 года", "2022-05"),
        ("Газета «Камчатское время» № 6 (1338) от 24 февраля 2021 г.", "2021-02-24"),
        ("29 февраля", "--02-29"),  # a leap day without a year may be real
    ],
)
def test_partial_dates_stay_partial(shown, iso):
    assert parse_date(shown) == iso


@pytest.mark.parametrize(
    "text",
    [
        "31 февраля 2022",
        "29 февраля 2023",
        "30.02.2012",
        "31 апреля",
        "32.01.2012",
        "время публикации: 12:57",  # a time alone is no date
        "5 сенаторов проголосовали против",  # "сен" only as a whole word
        "в 2016 году по всему миру будет продано 1,5 млрд смартфонов",
        "версия 1.2.3",
    ],
)
def test_impossible_or_absent_dates_are_dropped(text):
    assert parse_date(text) is None


def test_an_impossible_time_keeps_the_day_only():
    assert parse_date("12 мая 2022, 25:61") == "2022-05-12"


def test_impossible_date_does_not_hide_a_real_one():
    assert parse_date("31 февраля 2022 и 1 марта 2022") == "2022-03-01"


def test_utc_moment_in_the_zone_the_page_shows():
    # lenta.ru: <time datetime="2018-08-22T21:02:00Z"> 00:02, 23 августа 2018</time>
    shown = parse_date("00:02, 23 августа 2018")
    assert in_local_time("2018-08-22T21:02:00+00:00", shown) == "2018-08-23T00:02:00+03:00"


def test_a_different_moment_is_not_taken_for_a_zone():
    assert in_local_time("2018-08-22T21:02:00+00:00", "2018-08-23T00:07") == "2018-08-22T21:02:00+00:00"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Пятница, 22 апреля 2016 г.", "2016-04-22"),  # newsru.com page header
        ("Piter 6 Января 2012 14:05:28 0", "2012-01-06T14:05:28"),  # a reader comment's heading, fedpress.ru
        ("13:15 09.12.2011", "2011-12-09T13:15"),  # under the article, regnum.ru
        ("Отправлено: 17:06 - 17 Янв, 2012 г.", "2012-01-17T17:06"),
    ],
)
def test_lines_that_only_date_something(line, iso):
    assert date_line(line) == iso


@pytest.mark.parametrize(
    "sentence",
    [
        "Выборы состоятся 4 марта 2012 года.",
        "Москва. 4 января. INTERFAX.RU - По оценке специалистов",
        "08.06.2016 [14:10], Сергей Юртайкин рассказал о прогнозе Gartner",
    ],
)
def test_sentences_that_mention_a_date_are_not_date_lines(sentence):
    assert date_line(sentence) is None


@pytest.mark.parametrize(
    ("body", "iso"),
    [
        ("МОСКВА, 4 янв — РИА Новости. Число пожаров, произошедших в столице в новогоднюю ночь", "--01-04"),
        ("Москва. 4 января. INTERFAX.RU - По оценке специалистов Главного центра", "--01-04"),
        ("Президент Петр Порошенко заявил, что государство будет уважать религиозный выбор", None),
        ("В ночь с 18 на 19 января белгородцы отметят Крещение Господне", None),
    ],
)
def test_dateline_dates_the_article_without_inventing_a_year(body, iso):
    assert dateline_date(body) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # Wikinews opens its news with the day (NEREL 194112, factRuEval 3980)
        ("16 ноября 2018 года первый заместитель губернатора Свердловской области Алексей Орлов", "2018-11-16"),
        ("27 марта 2013 года было объявлено, что второй по величине российский банк ВТБ покупает", "2013-03-27"),
        ("Выборы состоятся 4 марта 2012 года.", None),  # a date further in is what the story mentions
        ("В ночь с 18 на 19 января белгородцы отметят Крещение", None),
        ("12 мая выйдет новый фильм", None),  # no year: not a full date
    ],
)
def test_a_text_that_opens_with_its_date(text, iso):
    assert opening_date(text) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("13 октября 2012 года", "2012-10-13"),
        ("Пятница, 22 апреля 2016 г.", "2016-04-22"),
        ("Евгения Чудновец, 26 марта 2017 года", None),  # a photo caption in NEREL 191113
    ],
)
def test_a_line_that_is_only_a_date(line, iso):
    assert only_date(line) == iso
