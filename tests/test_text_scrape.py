"""Pages saved as text: the seed page read the way an editor would."""
from conftest import DATA

import skazal


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
