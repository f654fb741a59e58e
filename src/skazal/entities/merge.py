"""Names found on a page merged into entities: one per person, organisation or place.

People merge by surname when the first names agree or one side has none ("Лукашенко" joins
"Александр Лукашенко", "Д. Медведев" joins "Дмитрий Медведев"); a first name alone, or with a
patronymic, joins the one person on the page with that first name ("Дима", "Борис Абрамович").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from skazal.entities.lexicon import EntityLexicon, fold
from skazal.entities.lexicon import lexicon as entity_lexicon
from skazal.entities.normalise import declines_to, first_name_gender
from skazal.nlp import models
from skazal.records import Entity, Mention

# Case and plural endings stripped to compare a surname left uninflected with its nominative.
SURNAME_ENDINGS = re.compile(r"(ами|ями|ов|ев|ым|им|ой|ом|ем|ам|ям|ах|ях|ы|и|а|я|у|ю|е)$")


# Consonants of Cyrillic and Latin spellings in one coarse alphabet; the sounds the two render
# differently (vowels, й, в and w, х and h) are left out: "Schwarzenegger" is "Шварценеггер".
SOUNDS = {
    **dict(zip("бпфгкдтжзсцчшщлмнр", "BPFGKDTZSSSCCCLMNR")),
    **dict(zip("bpfgkqdtjzslmnr", "BPFGKKDTZSSLMNR")),
}
DIGRAPHS = (
    ("дж", "ж"), ("sch", "ш"), ("ch", "ч"), ("sh", "ш"), ("zh", "ж"),
    ("th", "t"), ("ph", "f"), ("ck", "k"), ("x", "ks"),
)


@dataclass(frozen=True, slots=True)
class Found:
    """One name as the page writes it, already canonical, before merging."""

    name: str
    type: str
    mention: Mention
    role: str | None = None


@dataclass(slots=True)
class _Person:
    surname: str | None
    first: str | None
    found: list[Found] = field(default_factory=list)


def merge(found: Iterable[Found], lexicon: EntityLexicon) -> tuple[Entity, ...]:
    """Entities in the order the page first names them, each with all its mentions."""
    found = _agree_on_types(list(found))
    places = {fold(f.name) for f in found if f.type != "PER"}
    people = [_without_place(f, places) for f in found if f.type == "PER"]
    groups: list[list[Found]] = [p.found for p in _people(people, lexicon)]
    others: dict[tuple[str, str], list[Found]] = {}
    for f in found:
        if f.type != "PER":
            others.setdefault((lexicon.same.get(fold(f.name), fold(f.name)), f.type), []).append(f)
    groups.extend(_kind_words_joined(others).values())
    return tuple(_entity(group) for group in groups)


def _kind_words_joined(others: dict[tuple[str, str], list[Found]]) -> dict[tuple[str, str], list[Found]]:
    """An organisation named by its kind alone ("в заявлении Фонда") is the one organisation on the
    page whose name ends with that word as a common noun ("Международный валютный фонд"; not "ВТБ"
    beside "Банк ВТБ", nor "Таганка" beside "Театр на Таганке")."""
    def ends_with_kind(group: list[Found], word: str) -> bool:
        words = group[0].name.split()
        return len(words) > 1 and words[-1].islower() and fold(words[-1]) == word

    for key in [k for k in others if k[1] == "ORG" and len(k[0].split()) == 1]:
        fuller = [k for k in others if k != key and k[1] == "ORG" and ends_with_kind(others[k], key[0])]
        if len(fuller) == 1:
            others[fuller[0]].extend(others.pop(key))
    return others


def _without_place(f: Found, places: set[str]) -> Found:
    """A person's name without a place natasha ran into it ("После Уэйко Рено оказалась …"),
    when the page names that place on its own."""
    words = f.name.split()
    if len(words) > 1 and fold(words[0]) in places:
        return Found(" ".join(words[1:]), f.type, f.mention, f.role)
    return f


def _agree_on_types(found: list[Found]) -> list[Found]:
    """A name keeps one type on a page: the one most of its mentions have; a lone word that is
    the surname of a person on the page is that person ("по Келеберде"), also where the tagger
    read it as another place ("по словам Мантурова" beside "Денис Мантуров" is no "Мантурово")."""
    surnames = {
        fold(f.name.split()[-1]): f.name.split()[-1] for f in found if f.type == "PER" and len(f.name.split()) > 1
    }
    votes: dict[str, Counter] = {}
    for f in found:
        votes.setdefault(fold(f.name), Counter())[f.type] += 1
    agreed = []
    for f in found:
        if f.type != "PER":
            surname = _surname_written(f, surnames)
            if surname is not None:
                f = Found(surname, "PER", f.mention, f.role)
            else:
                f = Found(f.name, votes[fold(f.name)].most_common(1)[0][0], f.mention, f.role)
        agreed.append(f)
    return agreed


def _surname_written(f: Found, surnames: dict[str, str]) -> str | None:
    """The surname of a person on the page that a lone word is, as named or as written in a case."""
    if fold(f.name) in surnames:
        return f.name
    written = f.mention.text
    if len(written.split()) != 1 or not written[:1].isupper():
        return None
    return next((s for s in surnames.values() if declines_to(s, written)), None)


def _people(found: list[Found], lexicon: EntityLexicon) -> list[_Person]:
    people: list[_Person] = []
    full, partial = [], []
    for f in found:
        (full if _parts(f.name)[1] else partial).append(f)
    for f in sorted(full, key=lambda f: -len(f.name.split())):
        first, surname = _parts(f.name)
        agreeing = [p for p in people if _first_names_agree(p.first, first, lexicon)]
        person = next((p for p in agreeing if p.surname == surname), None)
        person = person or next((p for p in agreeing if _spelled_alike(p.surname, surname, p.first and first)), None)
        if person is None:
            person = _Person(surname, first)
            people.append(person)
        person.first = person.first or first
        person.found.append(f)
    for f in partial:
        _place_partial(f, people, lexicon).found.append(f)
    return _join_latin_spellings(people)


def _join_latin_spellings(people: list[_Person]) -> list[_Person]:
    """A name in Latin letters joins the person whose Russian name sounds the same ("Carter
    Wilkerson" in an embedded tweet is "Картер Уилкерсон")."""
    joined: list[_Person] = []
    for person in people:
        target = None
        if person.surname and person.surname.isascii():
            russian = (p for p in joined if p.surname and not p.surname.isascii())
            target = next((p for p in russian if _sound_alike(p, person)), None)
        if target is None:
            joined.append(person)
        else:
            target.found.extend(person.found)
    return joined


def _sound_alike(russian: _Person, latin: _Person) -> bool:
    surname = _skeleton(russian.surname or "")
    if len(surname) < 3 or surname != _skeleton(latin.surname or ""):
        return False
    return not russian.first or not latin.first or _skeleton(russian.first) == _skeleton(latin.first)


def _skeleton(word: str) -> str:
    """The consonants of a name, Cyrillic or Latin, in one coarse alphabet, doubles made single."""
    word = word.lower()
    for spelling, sound in DIGRAPHS:
        word = word.replace(spelling, sound)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k")
    letters = [SOUNDS.get(ch, "") for ch in word]
    return re.sub(r"(.)\1+", r"\1", "".join(letters))


def _place_partial(f: Found, people: list[_Person], lexicon: EntityLexicon) -> _Person:
    """The person a lone surname, a lone first name or a first name with patronymic belongs to:
    the one with that surname, else the only one with that first name (as normalised or as
    written: "Александра" may be read as "Александр"), else one whose surname is spelled alike."""
    words = f.name.split()
    word, written = fold(words[0]), fold(f.mention.text.split()[0])
    if len(words) == 1:
        same = [p for p in people if p.surname == word]
        if same:
            return max(same, key=lambda p: len(p.found))
    by_first = [p for p in people if p.first and (_first_names_agree(p.first, word, lexicon) or p.first == written)]
    if len(by_first) == 1:
        return by_first[0]
    if len(words) == 1:
        alike = [p for p in people if p.surname and (_same_stem(p.surname, word) or _spelled_alike(p.surname, word))]
        if alike:
            return max(alike, key=lambda p: len(p.found))
    first_name = len(words) > 1 or _is_first_name(word, lexicon)
    # a first name several people share ("Валя" beside two Valentinas) is one person, not one a mention
    known = [p for p in people if p.surname is None and p.first == word and first_name]
    if known:
        return known[0]
    person = _Person(None, word) if first_name else _Person(word, None)
    people.append(person)
    return person


def _parts(name: str) -> tuple[str | None, str | None]:
    """(first name, surname) of a name of two words or more, folded; surname None when the last
    word is a patronymic ("Борис Абрамович") or there is one word only."""
    written = name.split()
    words = [fold(w) for w in written]
    if written[0][:1].islower():
        return None, words[-1]
    if len(words) < 2 or len(words) == 2 and _is_patronymic(words[-1]):
        return words[0], None
    return words[0], words[-1]


def _is_patronymic(word: str) -> bool:
    return any(p.is_known and "Patr" in p.tag for p in models().morph_vocab(word))


def first_names_agree(a: str | None, b: str | None) -> bool:
    """Two first names of one person: equal, an initial and its name, a diminutive and its full form."""
    a, b = (fold(name) + "." if name and len(name) == 1 else fold(name) if name else name for name in (a, b))
    return _first_names_agree(a, b, entity_lexicon())


def _first_names_agree(a: str | None, b: str | None, lexicon: EntityLexicon) -> bool:
    if not a or not b:
        return True
    if a.endswith(".") or b.endswith("."):
        return a[0] == b[0]
    if a == b or _full_forms(a, lexicon) & _full_forms(b, lexicon):
        return True
    # a foreign first name left in the case it was written in ("Эда" for "Эд"), or spelled
    # another way ("Вентворт", "Уэнтуорт")
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and len(long_) - len(short) <= 2 and len(short) >= 2:
        return True
    return len(_skeleton(a)) >= 3 and _skeleton(a) == _skeleton(b)


def _full_forms(first: str, lexicon: EntityLexicon) -> set[str]:
    return {first, *(fold(n) for n in lexicon.diminutives.get(first, ()))}


def _is_first_name(word: str, lexicon: EntityLexicon) -> bool:
    if word in lexicon.diminutives:
        return True
    parses = [p for p in models().morph_vocab(word) if p.is_known and p.feats.get("Case") == "Nom"]
    return any("Name" in p.tag for p in parses) and not any("Surn" in p.tag for p in parses)


def _spelled_alike(a: str | None, b: str, with_first_names: bool | str | None = False) -> bool:
    """One foreign surname spelled two ways: "Гонзалес" and "Гонсалес", "Бекхэм" and "Бэкхем";
    a short one ("Рено", "Рино") only beside first names that agree too."""
    if _one_letter_apart(a, b) or a is None:
        return _one_letter_apart(a, b)
    return len(_skeleton(a)) >= (2 if with_first_names else 3) and _skeleton(a) == _skeleton(b)


def _one_letter_apart(a: str | None, b: str) -> bool:
    """Two spellings of one foreign surname ("Гонзалес", "Гонсалес"): same length, one letter differs."""
    return a is not None and len(a) == len(b) >= 5 and sum(x != y for x, y in zip(a, b)) == 1


def _same_stem(a: str, b: str) -> bool:
    """One surname in two forms: "Бекхэм" and "Бекхэмы", "Богатова" and "Богатов"."""
    return _stem(a) == _stem(b) or _stem(a) == b or a == _stem(b)


def _stem(surname: str) -> str:
    stem = SURNAME_ENDINGS.sub("", surname)
    return stem if len(stem) >= 3 else surname


def _entity(group: list[Found]) -> Entity:
    names = Counter(f.name for f in group)
    written = {f.mention.text for f in group}
    # among names as full, a Russian one, then one the page writes as it stands (a nominative)
    canonical = max(names, key=lambda n: (_fullness(n), not n.isascii(), n in written, len(n), names[n]))
    if group[0].type == "PER":
        canonical = _surname_in_nominative(canonical, names)
    mentions = tuple(sorted((f.mention for f in group), key=lambda m: (m.where, m.start)))
    aliases = tuple(dict.fromkeys(a for a in [*names, *(m.text for m in mentions)] if a != canonical))
    role = next((f.role for f in group if f.role), None)
    return Entity(name=canonical, type=group[0].type, mentions=mentions, aliases=aliases, role=role)


def _surname_in_nominative(canonical: str, names: Iterable[str]) -> str:
    """The fullest name with the surname another of its names gives in the nominative, where the
    tagger left the fullest in a case ("главы банка Налле Валруса" and "по словам Валруса" → "Валрус")."""
    words = canonical.split()
    surname = words[-1]
    if len(words) < 2 or first_name_gender(words[0]) is not None:
        # a first name the dictionary knows in the nominative says the whole name is one ("Диана Саре")
        return canonical
    for other in {n.split()[-1] for n in names} - {surname}:
        # a case form is longer than its nominative ("Валруса"); an indeclinable foreign surname
        # read as another word's case ("цитирует Эмери" as of "Эмеря") is not
        if len(other) < len(surname) and declines_to(other, surname) and not declines_to(surname, other):
            return " ".join([*words[:-1], other])
    return canonical


def _fullness(name: str) -> tuple[bool, int]:
    """Names with a surname and no initials are the fullest; then the more words, the fuller."""
    first, surname = _parts(name)
    return surname is not None and "." not in name, len(name.split())
