"""Names in the nominative: "Борисом Грызловым" → "Борис Грызлов", "Курской области" → "Курская область".

natasha's tagger gives each word its case and gender in context; pymorphy's dictionary (natasha's
MorphVocab) inflects the word to the nominative. Names pymorphy does not know ("Уилкерсона",
"Келеберды") are solved backwards: a nominative is guessed by swapping the ending and kept when
inflecting it gives back the word as written.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from natasha.doc import DocToken
from natasha.shape import recover_shape

from skazal.nlp import models

CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
PROPER = ("Name", "Surn", "Patr")
# Russian spelling never writes я after these letters, nor ы after к, г, х: a guess that does
# is wrong ("Левински" is not the genitive of "Левинскя").
MISSPELT = re.compile(r"([кгхжшчщц]я|[кгхжшчщ]ы|[кгх]ь)й?$")


@dataclass(frozen=True, slots=True)
class Endings:
    """The declension tables of entity_endings.toml."""

    nouns: tuple[str, ...]
    nominatives: tuple[str, ...]  # the nouns' endings, then the adjectives'
    possessive_surname: re.Pattern
    adjective_surname: re.Pattern
    adjective_case: re.Pattern
    possessive: dict  # gender → case → [(written, nominative)]
    masculine: dict  # case → [(written, nominative)]
    plural_surname: dict  # written plural ending → (a man's ending, a woman's)


@cache
def endings() -> Endings:
    table = tomllib.loads(resources.files("skazal.data").joinpath("entity_endings.toml").read_text(encoding="utf-8"))
    nouns, adjectives = tuple(table["noun_endings"]), tuple(table["adjective_endings"])
    return Endings(
        nouns=nouns,
        nominatives=nouns + adjectives,
        possessive_surname=re.compile(table["possessive_surname"]),
        adjective_surname=re.compile("(" + "|".join(adjectives) + ")$"),
        adjective_case=re.compile(table["adjective_case_ending"]),
        possessive=table["possessive_endings"],
        masculine=table["masculine_endings"],
        plural_surname=table["plural_surname_endings"],
    )


def person_name(tokens: Sequence[DocToken], spelled: Sequence[str] = (), coordinated: bool = False) -> str:
    """A person's name in the nominative, gender kept: "Александре Аксеновой" → "Александра Аксенова";
    one of a family named in the plural in the singular ("Елену Вилковых" → "Елена Вилкова").

    `spelled` is the name in Latin letters where the page gives it in brackets: a form that ends
    like it ("Роберта Козза (Roberta Cozza)") is already the nominative. `coordinated`: the name
    follows another first name and "и" ("Андрея и Елену Вилковых")."""
    words = [(w.capitalize() if w.isupper() and len(w) > 2 else w, gap) for w, gap in _words(tokens)]
    if _ends_like(words, spelled):
        return _join(words)
    if len(words) > 1 and _is_cyrillic(words[-1][0]):
        given, given_tokens = words[:-1], tokens[: len(tokens) - 1]
        case = _person_case(given, given_tokens) or "Nom"
        member = family_surname(words[-1][0], _person_gender(given, given_tokens, case), coordinated)
        if member is not None:
            return _join([*_nominative_words(given, given_tokens, case), (member, words[-1][1])])
    return _join(_nominative_words(words, tokens, _person_case(words, tokens)))


def _nominative_words(words, tokens, case: str | None) -> list[tuple[str, str]]:
    if case in (None, "Nom"):
        return words
    gender = _person_gender(words, tokens, case)
    return [(_nominative_person_word(w, case, gender), gap) for w, gap in words]


def family_surname(word: str, gender: str | None, coordinated: bool = False) -> str | None:
    """One member's surname where the page names a family in the plural ("Елену Вилковых" →
    "Вилкова", "Андрея Тарковских" → "Тарковский"); None for a surname in the singular. After
    first names joined by "и" (`coordinated`), a surname the dictionary reads as plural is one
    too ("Аркадия и Бориса Ротенбергов")."""
    lower = word.lower()
    parses = models().morph_vocab(lower)
    plural = [p for p in parses if p.feats.get("Number") == "Plur"]
    surnames = [p for p in plural if "Surn" in p.tag]
    if not plural or not coordinated and len(plural) < len(parses):
        return None
    ending = next((e for e in sorted(endings().plural_surname, key=len, reverse=True) if lower.endswith(e)), None)
    if ending is not None and not coordinated and not ending.endswith(NOMINATIVE_PLURAL):
        # "Бориса Фоминых" is one man's indeclinable surname; only "Андрея и Елену Вилковых" is a family
        return None
    if ending is not None:
        masculine, feminine = endings().plural_surname[ending]
        singular = lower[: -len(ending)] + (feminine if gender == "Fem" else masculine)
    elif coordinated and surnames:
        singular = surnames[0].normal_form
    else:
        return None
    return _shape(singular, word)


def common_name(tokens: Sequence[DocToken]) -> str:
    """A place's, an organisation's or an office's name in the nominative: the head noun and the
    adjectives before it change, the words after it stay ("Министерства иностранных дел России")."""
    words = _words(tokens)
    head = next((i for i, t in enumerate(tokens) if t.pos in ("NOUN", "PROPN") and _is_cyrillic(t.text)), None)
    if head is None:
        return _join(words)
    case = _place_case(tokens[head])
    if case in (None, "Nom") or tokens[head].text.isupper():
        return _join(words)
    number = tokens[head].feats.get("Number", "Sing")
    noun = _nominative_noun(tokens[head].text, case, number) or _nominative_noun(tokens[head].text, case, None)
    if noun is None:
        word = tokens[head].text
        guessable = number == "Sing" and "-" not in word
        guessed = _guess_nominative(word.lower(), case, None, nouns_only=True) if guessable else None
        return _join(_replaced(words, {head: guessed} if guessed else {}))
    changed = {head: noun.word}
    number = noun.feats.get("Number", number)
    agreement = {"Nom", "Plur"} if number == "Plur" else {"Nom", noun.feats.get("Gender", "Masc")}
    for i in range(head - 1, -1, -1):
        adjective = tokens[i].pos in ("ADJ", "VERB") and _inflect_adjective(tokens[i].text, case, agreement)
        if not adjective:
            break
        changed[i] = adjective
    return _join(_replaced(words, changed))


def _replaced(words: list[tuple[str, str]], changed: dict[int, str]) -> list[tuple[str, str]]:
    return [(_shape(changed[i], w), gap) if i in changed else (w, gap) for i, (w, gap) in enumerate(words)]


def _place_case(head: DocToken) -> str | None:
    """The tagger's case, unless the dictionary knows the word in other cases only ("города
    Бузулука", «Витязем»: the tagger says nominative, the dictionary knows no nominative)."""
    case = head.feats.get("Case")
    nouns = [p for p in models().morph_vocab(head.text.lower()) if p.is_known and p.tag.POS == "NOUN"]
    if case == "Nom" and nouns and all(p.feats.get("Case") != "Nom" for p in nouns):
        return nouns[0].feats.get("Case")
    return case


def _words(tokens: Sequence[DocToken]) -> list[tuple[str, str]]:
    """(word, space before it) pairs, with an initial's full stop kept on it ("Д." "Медведев"),
    and a surname written close up to the initials set apart ("Н.Прянишникова")."""
    words: list[tuple[str, str]] = []
    previous_stop = None
    for token in tokens:
        gap = "" if previous_stop is None else " " * (token.start - previous_stop)
        if token.text == "." and words and len(words[-1][0]) == 1:
            words[-1] = (words[-1][0] + ".", words[-1][1])
        else:
            if not gap and words and _is_initial(words[-1][0]) and len(token.text) > 1:
                gap = " "
            words.append((token.text, gap))
        previous_stop = token.stop
    return words


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _join(words: Sequence[tuple[str, str]]) -> str:
    return "".join((" " if gap else "") + word for word, gap in words).strip()


def _is_cyrillic(word: str) -> bool:
    return bool(CYRILLIC_WORD.fullmatch(word))


def _majority(values) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _ends_like(words, spelled: Sequence[str]) -> bool:
    if not spelled or len(spelled) != len(words):
        return False
    return all(_ends_in_vowel(w) == _ends_in_vowel(latin) for (w, _), latin in zip(words, spelled))


def _ends_in_vowel(word: str) -> bool:
    return word[-1:].lower() in "аяоеёуюиыэaeiouy"


def _person_case(words, tokens) -> str | None:
    """The tagger's case, unless it says nominative where a first name, or a lone surname, cannot
    be one: in "Дмитрия Ливанова" "Дмитрия" is no nominative, whatever the tagger says."""
    case = _majority(t.feats.get("Case") for t in tokens if _is_cyrillic(t.text))
    if case != "Nom":
        return case
    for word, _ in words[:-1] or words:
        parses = [p for p in models().morph_vocab(word.lower()) if p.is_known]
        if parses and all("Name" in p.tag and p.feats.get("Case") != "Nom" for p in parses):
            return parses[0].feats.get("Case")
    if len(words) == 1:
        surnames = [p for p in models().morph_vocab(words[0][0].lower()) if "Surn" in p.tag]
        if surnames and all(p.feats.get("Case") != "Nom" for p in surnames):
            return surnames[0].feats.get("Case")
    return case


def _person_gender(words, tokens, case: str) -> str | None:
    """The gender a first name, else a surname, shows in this case; else the tagger's."""
    vocab = models().morph_vocab
    for tag in ("Name", "Surn"):
        for word, _ in words:
            parses = [p for p in vocab(word.lower()) if tag in p.tag and p.feats.get("Case") == case]
            genders = {p.feats.get("Gender") for p in parses}
            if len(genders) == 1 and None not in genders:
                return genders.pop()
    return _majority(t.feats.get("Gender") for t in tokens)


def _nominative_person_word(word: str, case: str, gender: str | None) -> str:
    if not _is_cyrillic(word) or len(word) < 2:
        return word
    if "-" in word:
        return "-".join(_nominative_person_word(part, case, gender) for part in word.split("-"))
    lower = word.lower()
    known = [
        p for p in models().morph_vocab(lower)
        if p.is_known and p.tag.POS == "NOUN" and p.feats.get("Case") == case
        and p.feats.get("Number") != "Plur" and (gender is None or p.feats.get("Gender") in (gender, None))
    ]
    known.sort(key=lambda p: (not any(g in p.tag for g in PROPER), -p.score))
    for parse in known:
        form = parse.inflect({"Nom"})
        if form:
            return _shape(form.word, word)
    guessed = (
        _possessive_surname(lower, case, gender)
        or _guess_nominative(lower, case, gender)
        or _masculine_nominative(lower, case, gender)
    )
    return _shape(guessed, word) if guessed else word


def _possessive_surname(lower: str, case: str, gender: str | None) -> str | None:
    """A surname in -ов, -ев, -ин, -ын the dictionary does not know ("Виктора Хренина",
    "Марии Хрениной"): the commonest kind, declined by a table, not guessed."""
    for written, nominative in endings().possessive.get(gender or "", {}).get(case, ()):
        if lower.endswith(written):
            surname = lower[: len(lower) - len(written)] + nominative
            if endings().possessive_surname.search(surname) and len(surname) > 4:
                return surname
    return None


def _masculine_nominative(lower: str, case: str, gender: str | None) -> str | None:
    """A man's name pymorphy cannot analyse, by the endings of the second declension ("Качура")."""
    if gender != "Masc":
        return None
    for written, nominative in endings().masculine.get(case, ()):
        if lower.endswith(written) and len(lower) > len(written) + 2:
            return lower[: -len(written)] + nominative
    return None


@lru_cache(maxsize=4096)
def _guess_nominative(lower: str, case: str, gender: str | None, nouns_only: bool = False) -> str | None:
    """A nominative that inflects back to `lower` in `case`; a man's surname may decline like a
    feminine noun ("Келеберды" → "Келеберда"), a woman's never like a masculine one. Among
    several, surnames in -ов/-ин come first, then those in -ский/-ой, then the plainest ending;
    a place's name (`nouns_only`) takes no adjective's ending."""
    allowed = (gender, "Fem", "Masc") if gender == "Masc" else (gender,)
    cases = {case, "Gen"} if case == "Acc" else {case}
    table = endings()
    allowed_endings = table.nouns if nouns_only else table.nominatives
    candidates = {
        stem + ending
        for cut in (1, 2, 3)
        if len(stem := lower[:-cut]) >= 2
        for ending in allowed_endings
        if stem + ending != lower and not MISSPELT.search(stem + ending)
    }
    return next((c for c in sorted(candidates, key=_likelihood) if _inflects_to(c, lower, cases, allowed)), None)


def _likelihood(candidate: str) -> tuple[int, int, int, str]:
    table = endings()
    kind = 0 if table.possessive_surname.search(candidate) else 1 if table.adjective_surname.search(candidate) else 2
    ending = next((i for i, e in enumerate(table.nominatives[1:], 1) if candidate.endswith(e)), 0)
    return kind, ending, -len(candidate), candidate


NOMINATIVE_PLURAL = ("ы", "ие")
OBLIQUE_CASES = frozenset({"Gen", "Dat", "Acc", "Ins", "Loc"})


def declines_to(nominative: str, written: str) -> bool:
    """`written` is `nominative` in an oblique case of the singular ("Валрус" → "Валруса")."""
    return _inflects_to(nominative.lower(), written.lower(), OBLIQUE_CASES, (None,))


def first_name_gender(word: str) -> str | None:
    """The gender the dictionary knows a first name in the nominative by ("Елена": Fem), if one."""
    genders = {p.feats.get("Gender") for p in models().morph_vocab(word.lower())
               if p.is_known and "Name" in p.tag and p.feats.get("Case") == "Nom"}
    return genders.pop() if len(genders) == 1 else None


def _inflects_to(candidate: str, written: str, cases: set[str], genders: tuple) -> bool:
    vocab = models().morph_vocab
    # any parse may answer, so their order (pymorphy's scores) does not matter
    for parse in vocab.unscored_parses(candidate):
        feats = parse.feats
        if parse.tag.POS not in ("NOUN", "ADJF") or feats.get("Case") != "Nom" or feats.get("Number") == "Plur":
            continue
        if feats.get("Gender") not in genders and None not in genders:
            continue
        if written not in vocab.lexeme_words(parse):
            continue  # `inflect` chooses among the lexeme's forms: none is the word as written
        if any((form := parse.inflect({c})) and form.word == written for c in cases):
            return True
    return False


def _nominative_noun(word: str, case: str, number: str | None):
    """The noun's nominative in `number`; with no number, in the number of a common noun the
    dictionary knows («Просторов» is "Просторы"), never of a name it only guesses ("Шарлотт")."""
    parses = [
        p for p in models().morph_vocab(word.lower())
        if p.tag.POS == "NOUN" and p.feats.get("Case") == case
        and (p.feats.get("Number", number) == number or number is None and p.is_known and "Name" not in p.tag)
    ]
    parses.sort(key=lambda p: (not p.is_known, -p.score))
    for parse in parses:
        form = parse.inflect({"Nom"})
        if form:
            return form
    return None


def _inflect_adjective(word: str, case: str, agreement: set[str]) -> str | None:
    lower = word.lower()
    for parse in models().morph_vocab(lower):
        if parse.tag.POS in ("ADJF", "PRTF") and parse.feats.get("Case") == case:
            form = parse.inflect(agreement)
            if form:
                return _keep_stem(lower, form.word)
    return None


def _keep_stem(lower: str, inflected: str) -> str:
    """Only the ending may change: pymorphy takes "Высшем" for a form of "высокий" and would
    give "высочайший"; the stem of the word as written gets the nominative's ending instead."""
    if inflected[: len(lower) - 3] == lower[:-3] and abs(len(inflected) - len(lower)) <= 2:
        return inflected
    stem = endings().adjective_case.sub("", lower)
    return stem + inflected[-2:]


def _shape(inflected: str, written: str) -> str:
    """`inflected` spelled like `written`: its capitals, and no ё where the page wrote е."""
    if "ё" not in written.lower():
        inflected = inflected.replace("ё", "е")
    return recover_shape(inflected, written)
