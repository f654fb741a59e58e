"""Words as linking compares them: normalised forms, lemmas, numbers, names of speakers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from skazal.linking.lexicon import FRAME_WORDS
from skazal.nlp import possible_lemmas

# "COVID-19", "Су-57": a name with a number in it is one word, not a number
_WORD = re.compile(r"[^\W\d_]+-\d+|\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*|%", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]\s*$")

# the same word written shorter or as a figure: a cosmetic difference, not a change
SAME_WORD = {
    "млн": "миллион", "миллиона": "миллион", "миллионов": "миллион",
    "млрд": "миллиард", "миллиарда": "миллиард", "миллиардов": "миллиард",
    "трлн": "триллион", "триллиона": "триллион", "триллионов": "триллион",
    "тыс": "тысяча", "тысячи": "тысяча", "тысяч": "тысяча",
    "руб": "рубль", "рублей": "рубль", "рубля": "рубль",
    "%": "процент", "процентов": "процент", "процента": "процент",
    "кг": "килограмм", "килограммов": "килограмм", "км": "километр", "километров": "километр",
    "один": "1", "одна": "1", "одно": "1", "одного": "1", "два": "2", "две": "2", "двух": "2",
    "три": "3", "трех": "3", "четыре": "4", "четырех": "4", "пять": "5", "пяти": "5",
    "шесть": "6", "шести": "6", "семь": "7", "семи": "7", "восемь": "8", "восьми": "8",
    "девять": "9", "девяти": "9", "десять": "10", "десяти": "10", "двадцать": "20", "двадцати": "20",
    "тридцать": "30", "сорок": "40", "пятьдесят": "50", "сто": "100", "ста": "100",
}


@dataclass(frozen=True, slots=True)
class Word:
    form: str  # as printed
    norm: str  # lower case, ё as е, abbreviations and number words spelled one way
    opens_sentence: bool


def words(text: str) -> list[Word]:
    """The words and numbers of a text, each with its normalised form."""
    found: list[Word] = []
    last_end = 0
    for match in _WORD.finditer(text):
        between = text[last_end:match.start()]
        opens = not found or bool(_SENTENCE_END.search(between)) or "\n" in between
        found.append(Word(match.group(), normal(match.group()), opens))
        last_end = match.end()
    return found


# an acronym in Latin letters is the same acronym in Cyrillic ("SMS", "СМС"; "FDA", "ФДА")
_ACRONYM_LETTERS = str.maketrans(
    "ABCDEFGHIKLMNOPRSTUVXYZ", "АБЦДЕФГХИКЛМНОПРСТУВХИЗ"
)
MAX_ACRONYM = 6


@lru_cache(maxsize=200_000)
def normal(form: str) -> str:
    if form.isascii() and form.isalpha() and form.isupper() and len(form) <= MAX_ACRONYM:
        form = form.translate(_ACRONYM_LETTERS)
    word = form.lower().replace("ё", "е")
    if word[0].isdigit():
        return word.replace(",", ".")
    return SAME_WORD.get(word, word)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """One lemma per word form, the same whichever way it is printed; numbers stay as they are."""
    word = normal(word)
    if word[0].isdigit() or word == "%":
        return word
    return min(possible_lemmas(word))


def lemmas(text: str) -> list[str]:
    return [lemma(match.group()) for match in _WORD.finditer(text)]


def is_content(word: str) -> bool:
    """A lemma that tells statements apart: a number, or a word longer than a preposition that is not
    the speaker's framing ("думать", "безусловно")."""
    return (len(word) > 3 or word[0].isdigit()) and word not in FRAME_WORDS



def lemma_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word's lemma with its offsets in the text."""
    return [(lemma(match.group()), match.start(), match.end()) for match in _WORD.finditer(text)]


def name_tokens(name: str | None) -> list[str]:
    return re.findall(r"\w+", (name or "").replace("ё", "е").replace("Ё", "Е").lower())


def is_vague(name: str | None) -> bool:
    """No speaker, or one named by a common noun ("ведомство", "организация"): any named speaker may be meant."""
    return not name or not name[0].isupper()


def same_speaker(a: str | None, b: str | None) -> bool:
    """The same person or body: as the scorer compares names, on lemmas ("Ростеха" is "Ростех"), or
    an abbreviation and its words ("ФНС", "Федеральная налоговая служба")."""
    if same_name(a, b):
        return True
    la, lb = " ".join(lemma(t) for t in name_tokens(a)), " ".join(lemma(t) for t in name_tokens(b))
    return same_name(la, lb) or _abbreviates(a, b) or _abbreviates(b, a)


def _abbreviates(short: str | None, long_: str | None) -> bool:
    if not short or not long_ or not short.isupper() or " " in short.strip():
        return False
    initials = "".join(token[0] for token in name_tokens(long_))
    return len(initials) >= 2 and initials == short.strip().lower()


def same_name(a: str | None, b: str | None) -> bool:
    """Equal after normalisation, the same surname with agreeing first names, or one a run of the
    other ("МВД" in "МВД Украины"): the comparison the quote scorer makes."""
    s, g = name_tokens(a), name_tokens(b)
    if not s or not g:
        return not s and not g
    if s == g or s[-1] == g[-1] and (len(s) == 1 or len(g) == 1 or s[0][0] == g[0][0]):
        return True
    short, long_ = sorted((s, g), key=len)
    n = len(short)
    return any(long_[i:i + n] == short for i in range(len(long_) - n + 1))
