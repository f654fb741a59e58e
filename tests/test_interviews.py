"""Interviews: every answer is a direct quote of the interviewee, the questions are no quotes.

data/html/interview-ria-polonsky.html is a real RIA Novosti interview, trimmed (its provenance is in
its first lines): the questions in bold, each answer opened by a dash, two subheadings in <h2>, the
interviewee named in the title ("Дмитрий Полонский — о …") and in the lead ("побеседовала с …").
"""
from dataclasses import replace

from conftest import DATA

import skazal
from skazal.entities import find_entities
from skazal.nlp import analyse
from skazal.quotes import find_quotes
from skazal.reading import read_page

PAGE = DATA / "html" / "interview-ria-polonsky.html"
QUESTIONS = (
    "Нужны ли Крыму оппозиционные СМИ?",
    "В крымском сегменте соцсетей",
    "А что за история о том",
    "Однако главным злом объявили вас.",
    "Но вас обвиняют не на Украине",
    "Как вам кажется, Крым полностью завершил интеграцию",
)
ANSWERS = (
    "Сегодня мы живем в мире",
    "Мы должны различать критику полезную",
    "Нужно посмотреть недавнюю историю вопроса",
    "Почему пошла атака на меня?",
    "Что касается тех людей",
    "Мы интегрированы абсолютно во всех сферах",
)


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_the_reader_keeps_each_paragraphs_layout():
    article = read_page(PAGE.read_bytes())
    paragraphs = [plain(p).lstrip("— ") for p in article.body.split("\n\n")]
    assert len(article.paragraph_marks) == len(paragraphs)
    marks = dict(zip(paragraphs, article.paragraph_marks))
    assert marks[paragraphs[0]] == "italic"  # the lead
    assert marks['"Мы знаем всех действующих лиц"'] == "heading"
    for question in QUESTIONS:
        assert next(m for p, m in marks.items() if p.startswith(question)) == "bold"
    for answer in ANSWERS:  # the last one has only its dash in bold
        assert next(m for p, m in marks.items() if p.startswith(answer)) is None


def test_a_text_has_no_layout_marks():
    assert read_page("Заголовок\n\nПервый абзац текста.\n\nВторой абзац.").paragraph_marks == ()


def test_answers_are_the_interviewees_and_questions_are_no_quotes():
    page = skazal.extract(PAGE.read_bytes())
    direct = [q for q in page.quotes if q.kind == "direct"]
    assert len(direct) == len(ANSWERS)
    assert all(plain(q.text).startswith(answer) for q, answer in zip(direct, ANSWERS))
    assert all(q.speaker and q.speaker.name == "Дмитрий Анатольевич Полонский" for q in direct)
    for quote in page.quotes:
        assert not any(plain(quote.text).startswith(question) for question in QUESTIONS)
        assert plain(quote.text) != "У нас избыточная свобода слова"  # a subheading


def test_the_interview_as_bare_text_is_read_from_its_dashes_and_lead():
    """No layout and no title: the dash paragraphs take turns, and the lead's "побеседовала с
    вице-премьером … Дмитрием Полонским" names who answers (not the interviewer, its subject)."""
    article = replace(read_page(PAGE.read_bytes()), title=None, paragraph_marks=())
    doc = analyse(article.body)
    quotes, _ = find_quotes(article, doc, find_entities(article, doc))
    answers = [q for q in quotes if any(plain(q.text).startswith(a) for a in ANSWERS)]
    assert len(answers) == len(ANSWERS)
    assert all(q.kind == "direct" and q.speaker and q.speaker.name.endswith("Полонский") for q in answers)
    for quote in quotes:
        assert not any(plain(quote.text).startswith(question) for question in QUESTIONS)


def test_a_team_and_its_line_up_after_a_colon_are_no_vox_pop():
    # multi-outlet corpus (iSport.ua, 2020-05-03): the match report's last lines
    body = (
        "Шахтер Солигорск – Ислочь 4:0Голы: Лисакович, 15, 78, Подстрелов, 62, Бодул, 85\n\n"
        "Шахтер С: Гутор – Антич, Вукманич (Бурко, 83), Хадаркевич, Сачивко — Селява, Сьоке, Кендиш – "
        "Подстрелов, Иванович (Баланович, 46) – Лисакович (Бодул, 84).\n\n"
        "Ислочь: Хаткевич — Карпович, Рыбак, Концевой, Цвейба, Стефен (Адегбола, 84) — Комаровский, Патоцкий "
        "(Краснов, 84) — Холодинский (Папуш, 46), Януш, Янсане\n\n"
        "Предупреждения: Сьоке, Cелява, Вукманич — Януш, Концевой\n\n"
        "Желаете узнавать главные спортивные новости первыми? Подписывайтесь на наш канал в Telegram!"
    )
    assert skazal.extract(body).quotes == ()
