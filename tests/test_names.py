"""The name helpers the quotes use: a speaker's name in the nominative, from real sentences."""
import pytest

from skazal.nlp import analyse
from skazal.quotes.names import nominative_phrase


@pytest.mark.parametrize(
    ("sentence", "word", "name"),
    [
        # factRuEval 3644: the lemma of "Карасина" is the adjective "карасиный"
        ("«Форматы уже все есть», — цитирует РБК Карасина.", "Карасина", "Карасин"),
        # factRuEval 3767: the lemma of "Урин" is "урина"
        ("Пока неизвестно, сколько из них будет превращено в стоячие; Урин сообщил, что их больше.", "Урин", "Урин"),
        ("«Цены вырастут», — сообщили в ООО Си Прод.", "ООО", "ООО Си Прод"),
    ],
)
def test_a_name_heading_a_speakers_phrase_is_in_the_nominative(sentence, word, name):
    doc = analyse(sentence)
    at = next(i for i, t in enumerate(doc.tokens) if t.text == word)
    phrase = [t for t in doc.tokens[at:] if t.text[:1].isupper()]
    assert nominative_phrase(phrase, doc.tokens[at]) == name
