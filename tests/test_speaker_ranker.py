"""The learned speaker ranker: who said it when an outlet quotes someone, and the shipped model itself.

The passages are real (the multi-outlet stream of May 2020, ../shared/corpus/multi-outlet), not
from the gold sets the model was fitted on.
"""
import json
import math

import pytest

import skazal
from skazal.quotes.ranker import rules_choice, speaker_ranker

CITED_BY_AN_OUTLET = [
    (
        "Народная артистка России Татьяна Васильева рассказала о своём состоянии.\n"
        "«Да ничего самочувствие, болею. Жду результатов анализов, лечусь дома, потому пока не вижу смысла "
        "лежать в инфекционном отделении», — цитирует РИА Новости Васильеву.",
        "Татьяна Васильева",
    ),
    (
        "Заразившиеся коронавирусом часто сталкиваются с временной утратой обоняния и осязания, рассказал "
        "главврач больницы в Коммунарке Денис Проценко в интервью Наиле Аскер-заде на канале «Россия-24».\n"
        "«Характерный, очень характерный признак, который раньше при простудах встречался гораздо реже, — это "
        "внезапное исчезновение обоняния и осязания», — цитирует Проценко ТАСС.",
        "Денис Проценко",
    ),
    (
        "Фигуристка Елизавета Туктамышева рассказала о тренировках в домашних условиях.\n"
        "«Мы находимся не в такой плохой форме, но специфические упражнения очень тяжело выполнять», — "
        "цитирует Туктамышеву «Матч ТВ».",
        "Елизавета Туктамышева",
    ),
]


@pytest.mark.parametrize("text, speaker", CITED_BY_AN_OUTLET, ids=["rt", "rns", "rt-sport"])
def test_the_person_an_outlet_quotes_is_the_speaker_not_the_outlet(text, speaker):
    quotes = skazal.extract(text).quotes
    assert [q.kind for q in quotes] == ["direct"]
    assert quotes[0].speaker is not None and quotes[0].speaker.name == speaker


def test_the_rules_alone_can_still_be_asked_for():
    text, speaker = CITED_BY_AN_OUTLET[0]
    quotes = skazal.extract(text, chooser=rules_choice).quotes
    assert len(quotes) == 1 and quotes[0].text.startswith("Да ничего самочувствие")


def test_the_shipped_model_is_a_small_readable_table_of_weights():
    ranker = speaker_ranker()
    assert 20 <= len(ranker.weights) <= 500
    assert all(math.isfinite(w) for w in ranker.weights.values())
    # evidence a reader would expect: the rules' answer and agreement count for, a gender clash against
    assert ranker.weights["by_rules"] > 0
    assert ranker.weights.get("gender_clashes", 0) < 0
    assert json.loads(ranker.to_json())["weights"] == pytest.approx(ranker.weights, abs=1e-6)
