"""Pages saved as text: the seed page read the way an editor would."""
from conftest import DATA, EVAL

import skazal
from skazal.reading.text_scrape import read_text_scrape


def test_seed_page_separates_article_from_page_furniture(seed_page):
    article = seed_page.article
    body = article.body.replace("\xa0", " ")
    assert body.startswith("Тему белорусско-российского сотрудничества в IT-сфере поднял")
    assert body.endswith("от сервисов и финансовых услуг.")
    assert article.body.count("\n\n") == 7
    assert article.banners == ("Поддержать команду Зеркала",)
    assert article.rubric == "Беларусы на войне"
    assert article.title is None
    assert len(article.teasers) == 11
    assert article.teasers[0].startswith("«Амкодор» национализировали")
    assert "Фото" not in article.body


def test_caption_saved_twice_is_kept_once_with_its_credit(seed_page):
    assert [(i.caption, i.credit) for i in seed_page.article.images] == [
        ("Фото использовано в качестве иллюстрации.", "TUT.BY")
    ]


def test_wikinews_page_has_its_title_on_the_first_line():
    page = skazal.extract((DATA / "texts" / "wikinews-militsiya-politsiya.txt").read_text(encoding="utf-8"))
    assert page.title == "Милицию предлагается переименовать в полицию"
    assert page.body.startswith("Федеральный закон «О полиции» готовится к принятию.")


def test_wikinews_text_opening_with_its_date_is_dated():
    text = (EVAL / "more" / "texts" / "nerel-194112.txt").read_text(encoding="utf-8")
    article = skazal.extract(text).article
    assert article.title == "Герои-школьники из Свердловской области награждены медалями"
    assert article.published == "2018-11-16"


def test_a_date_line_under_the_title_dates_the_text_and_is_no_caption():
    text = "Шахтёры вышли на митинг\n13 октября 2012 года\nВ Кемерове прошёл митинг шахтёров."
    article = skazal.extract(text).article
    assert (article.published, article.images, article.body) == ("2012-10-13", (), "В Кемерове прошёл митинг шахтёров.")


def test_one_sentence_is_a_body_to_analyse_not_a_title():
    page = skazal.extract("«Мы не собираемся ее сворачивать», — заявил он.")
    assert page.title is None
    assert [q.text for q in page.quotes] == ["Мы не собираемся ее сворачивать"]


def test_a_paragraph_too_long_for_a_title_stays_in_the_body():
    paragraph = " ".join(["Слово"] * 40) + "."
    article = skazal.extract(paragraph + "\nВторой абзац.").article
    assert article.title is None
    assert article.body.startswith(paragraph)


def test_a_line_in_capitals_sending_the_reader_elsewhere_is_a_banner():
    # multi-outlet corpus (Обозреватель, 2020-05-02): the pointer stood between the lead and the cue
    # "Об этом … сообщил", which would take it for the sentence the cue reports
    page = (
        "Уже через 24 часа: создан тест, который определяет коронавирус на бессимптомной стадии\n\n"
        "Ученые Агентства передовых оборонных исследовательских проектов США (DARPA) заявили о создании нового теста.\n"
        "ЧИТАЙТЕ ПОСЛЕДНИЕ НОВОСТИ ПРО КОРОНАВИРУС\n"
        "Об этом изданию The Gardien сообщил руководитель управления биотехнологий DARPA Брэд Ринґейзен.\n"
        "Читайте также, что пишут ученые."
    )
    article = read_text_scrape(page)
    assert "ЧИТАЙТЕ" not in article.body
    assert article.banners == ("ЧИТАЙТЕ ПОСЛЕДНИЕ НОВОСТИ ПРО КОРОНАВИРУС",)
    assert "Читайте также, что пишут ученые." in article.body


def test_headlines_after_read_also_are_teasers_not_the_body():
    # multi-outlet corpus (volg.mk.ru, 2020-05-02): "Мясников: что нужно делать …" is another story's
    # headline, not a vox pop in the article
    page = (
        "Врачи выявили у заболевших коронавирусом новый симптом\n\n"
        "Об абсолютно новом проявлении COVID-19 заявил главный врач инфекционной больницы в Коммунарке Денис "
        "Проценко.\n"
        "Специалист допустил, что по мере распространения коронавирус мутирует.\n"
        "Читайте также:\n"
        "Мясников: что нужно делать при подозрении на коронавирус\n"
        "Эти болезни – самые опасные при COVID-19\n"
    )
    article = read_text_scrape(page)
    assert article.teasers[-2:] == (
        "Мясников: что нужно делать при подозрении на коронавирус",
        "Эти болезни – самые опасные при COVID-19",
    )
    assert "Мясников" not in article.body and "Читайте также" not in article.body
    assert article.body.endswith("коронавирус мутирует.")
