"""Who said it: the subject of a cue, resolved to a page entity, a role, a pronoun's antecedent."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from natasha.doc import DocToken

from skazal.entities.lexicon import is_role as names_an_office
from skazal.entities.lexicon import names_people_in_common
from skazal.quotes.body import Body
from skazal.quotes.lexicon import Lexicon
from skazal.quotes.marks import OPENERS
from skazal.quotes.names import (
    MIN_FUZZY_SURNAME,
    family,
    fullest_names,
    gender_of,
    genitive,
    nominative_phrase,
    normal,
    one_letter_apart,
)
from skazal.quotes.role_match import RoleSignature, phrase_signature, role_signature, signature
from skazal.records import Entity, Mention, Speaker

SUBJECT_RELATIONS = ("nsubj", "nsubj:pass")
# "и.о. министра", "врио губернатора": someone acting in the office that follows
ACTING = frozenset({"и.о.", "врио"})
PERSONAL_PRONOUNS = {"он": "Masc", "она": "Fem", "его": "Masc", "ее": "Fem", "её": "Fem"}
POSSESSIVE_PRONOUNS = {"его", "ее", "её"}
PLURAL_PRONOUNS = {"они", "их"}
RELATIVE_PRONOUNS = {"который", "кто"}
# ", работающего с 22 мая, ": words set off by commas between a role noun and its name
_ASIDE = re.compile(r"[»\"]?\s*,[^,.!?«»\"]{1,80},\s*")
STEM = 5
# "Утро.ru", "Aysor.am", "Lenta.ru": a site's address names an outlet.
SITE = re.compile(r"[\w-]+\.(?:ru|рф|com|net|org|info|ua|by|kz|am|az|ee|lv|lt|ge|md|uz|kg|tj|de|uk|us)", re.IGNORECASE)
ORGANISATION_WITHIN = 10
# a man's surname ending, a woman's, what the plural adds to the man's ("Вилков", "Вилкова", "Вилковы")
FAMILY_ENDINGS = (("ов", "ова", "ы"), ("ев", "ева", "ы"), ("ёв", "ёва", "ы"), ("ин", "ина", "ы"), ("ын", "ына", "ы"))


@dataclass(frozen=True, slots=True)
class Attribution:
    """What a cue's subject resolved to: a speaker, or an anonymous description, or neither."""

    speaker: Speaker | None = None
    anonymous: str | None = None

    @property
    def resolved(self) -> bool:
        return self.speaker is not None or self.anonymous is not None


@dataclass(frozen=True, slots=True)
class _Placed:
    start: int
    end: int
    entity: Entity
    text: str


class Speakers:
    """Resolves phrases of one body to speakers; built once per page."""

    def __init__(
        self,
        body: Body,
        entities: tuple[Entity, ...],
        lex: Lexicon,
        author: str | None = None,
        quoted: list[tuple[int, int]] | None = None,
        attributions: list[tuple[int, int]] | None = None,
    ) -> None:
        """`quoted`: spans of someone's words; `attributions`: the "— сказал он" inside them."""
        self.body = body
        self.lex = lex
        self.author = author
        placed = [
            _Placed(m.start, m.end, entity, m.text)
            for entity in entities
            for m in entity.mentions
            if m.where == "body" and entity.type in ("PER", "ORG")
        ]
        self.placed = sorted(placed, key=lambda p: p.start)
        self._places = _merged([(m.start, m.end) for entity in entities if entity.type == "LOC"
                                for m in entity.mentions if m.where == "body"])
        self._starts = [p.start for p in self.placed]
        self.canonical = fullest_names(entities)
        self.organisations = [entity.name for entity in entities if entity.type == "ORG"]
        self.gender = {entity.name: self._gender(entity) for entity in entities if entity.type == "PER"}
        self.gender_of_name = {self.canonical.get(name, name): g for name, g in self.gender.items() if g}
        self.spoken: list[tuple[int, Speaker]] = []
        self.last_said: tuple[int, Speaker | None] | None = None
        self.last_words: tuple[int, int] = (0, 0)
        # the press services the page's quotes named with their owner, by head ("пресс-служба")
        self.press_services: dict[str, str] = {}
        self.roles = {entity.name: entity.role for entity in entities if entity.role}
        self.roles.update(self._roles_before_names())
        self.role_signatures = {name: role_signature(role, lex) for name, role in self.roles.items()}
        self.mention_count: dict[str, int] = {}
        for placed in self.placed:
            key = normal(self.name_of(placed.entity))
            self.mention_count[key] = self.mention_count.get(key, 0) + 1
        people = {normal(self.name_of(p.entity)) for p in self.placed if p.entity.type == "PER"}
        self.most_mentioned = max(people, key=lambda name: (self.mention_count[name], name), default=None)
        self.title_people = sorted({
            self.name_of(entity) for entity in entities
            if entity.type == "PER" and any(m.where == "title" for m in entity.mentions)
        })
        self.title_names = {normal(name) for name in self.title_people}
        self.quoted = quoted or []
        self.attributions = attributions or []
        self._quoted_spans = _merged(self.quoted)
        self._attribution_spans = _merged(self.attributions)
        self._resolved: dict[tuple[int, str | None, int | None, int], _Placed | None] = {}
        self._acronym_names: dict[str, str] | None = None
        # the people named outside anyone's words, in page order, found once (a long page names many)
        self._people = [p for p in self.placed if p.entity.type == "PER" and not self.inside_quote(p.start)]
        self._people_starts = [p.start for p in self._people]

    # -- entities and their mentions ------------------------------------------------------------

    def _gender(self, entity: Entity) -> str | None:
        """A person's sex by the surname's ending ("Аксенова"), else by how the tagger read the mentions."""
        surname = normal(entity.name.split()[-1]) if entity.name.split() else ""
        for ending, gender in self.lex.surname_endings:
            if len(surname) > len(ending) + 1 and surname.endswith(ending):
                return gender
        votes: dict[str, int] = {}
        for mention in entity.mentions:
            if mention.where != "body":
                continue
            for token in self.body.tokens_in(mention.start, mention.end):
                gender = token.feats.get("Gender") if token.feats else None
                if gender:
                    votes[gender] = votes.get(gender, 0) + 1
        return max(votes, key=votes.get) if votes else None

    def _roles_before_names(self) -> dict[str, str]:
        roles: dict[str, str] = {}
        for placed in self.placed:
            if placed.entity.type != "PER":
                continue
            before = self.body.tokens_in(max(placed.start - 80, 0), placed.start)[-5:]
            named = self.body.tokens_in(placed.start, placed.end)
            case = named[0].feats.get("Case") if named and named[0].feats else None
            for i in range(len(before) - 1, -1, -1):
                if self.is_role(before[i]) and (before[i].feats or {}).get("Case") != case:
                    # "пресс-секретарь Путина": a role that governs the name is someone else's
                    break
                if self.is_role(before[i]):
                    words = [normal(before[i].lemma)] + [t.text for t in before[i + 1 :]]
                    roles.setdefault(self.name_of(placed.entity), " ".join(words).strip(" ,"))
                    break
                if before[i].pos in ("PUNCT", "VERB", "ADP"):
                    break
        return roles

    def is_role(self, token: DocToken, plural: bool = False) -> bool:
        """A noun for what a person is: the lexicon's roles, or any singular (`plural`: plural)
        animate common noun ("парламентарий", "композитор") that is not an anonymous one ("источник")."""
        lemma = normal(token.lemma or token.text)
        if lemma in self.lex.roles or not plural and names_an_office(token):
            return True
        if not plural and token.pos == "PROPN" and self._opens_sentence(token) and names_people_in_common(token.text):
            # "Публицист напомнил, что …": a capital the sentence gives, not a name
            return not any(p.start <= token.start < p.end for p in self.placed)
        feats = token.feats or {}
        number = "Plur" if plural else "Sing"
        animate = token.pos == "NOUN" and feats.get("Animacy") == "Anim" and feats.get("Number") == number
        return animate and lemma not in self.lex.anonymous and lemma not in self.lex.spokespeople

    def _unnamed_person(self, head: DocToken, lemma: str) -> bool:
        """An animate common noun of no office the lexicon knows ("фанатка", "подписчица")."""
        feats = head.feats or {}
        if head.pos != "NOUN" or feats.get("Animacy") != "Anim" or lemma in self.lex.spokespeople:
            return False
        return not (self.is_role(head) and lemma in self.lex.roles) and lemma not in self.lex.staff

    def _owned_by(self, head: DocToken, orgs: list[_Placed]) -> bool:
        """One of `orgs` depends on `head` itself ("члены КПРФ"), not on another noun of its phrase."""
        for placed in orgs:
            tokens = self.body.tokens_in(placed.start, placed.end)
            if tokens and head_token(tokens).head_id == head.id:
                return True
        return False

    def names_a_place(self, token: DocToken) -> bool:
        """The token is in a place's name ("в США уверены": said somewhere, by no one named)."""
        return _within(self._places, token.start)

    def _opens_sentence(self, token: DocToken) -> bool:
        return self.body.units[self.body.unit_of(token.start)][0] == token.start

    def name_of(self, entity: Entity) -> str:
        return self.canonical.get(entity.name, entity.name)

    def speaker_for(self, placed: _Placed) -> Speaker:
        """The speaker a mention names; the mention is where the page names them (the antecedent
        of "он", the person "министр" stands for)."""
        name = self.name_of(placed.entity)
        if placed.entity.type == "ORG":
            name = self.spelt_out(name)
        mention = Mention(placed.start, placed.end, placed.text)
        return Speaker(name=name, type=placed.entity.type, mention=mention, role=self.roles.get(name))

    def spelt_out(self, name: str) -> str:
        """An organisation's short name as the page spells it out in full ("Минздрав" →
        "Министерство здравоохранения Крыма"), when it does."""
        words = normal(name).split()
        expansion = next((full for short, full in self.lex.abbreviations if short in words), None)
        if expansion is None:
            return self._acronym_spelt_out(name)
        longer = [n for n in self.organisations if normal(n).startswith(expansion)]
        return max(longer, key=len) if longer else name

    def _acronym_spelt_out(self, name: str) -> str:
        """ "МВФ" is "Международный валютный фонд" where the page names the body in full: the initials
        of its words, short prepositions left out; a two-letter one ("ЕС") only where the page
        writes it beside the full name ("Европейский союз (ЕС)") or joins it by "&" ("S&P")."""
        letters = "".join(ch for ch in name if ch.isalpha())
        if not (2 <= len(letters) <= 6 and letters.isupper() and " " not in name.strip()):
            return name
        full = self._acronyms().get(letters.upper())
        if full is None or len(letters) < 3 and "&" not in name and f"({name})" not in self.body.text:
            return name
        return full

    def _acronyms(self) -> dict[str, str]:
        if self._acronym_names is None:
            self._acronym_names = {}
            for full in self.organisations:
                words = [w for w in re.findall(r"\w+", full) if not (len(w) <= 2 and w.islower())]
                if len(words) > 1:
                    self._acronym_names.setdefault("".join(w[0] for w in words).upper(), full)
        return self._acronym_names

    def entities_in(self, start: int, end: int) -> list[_Placed]:
        first = bisect.bisect_left(self._starts, start)
        return [p for p in self.placed[first:] if p.start < end and p.end <= end + 1]

    def inside_quote(self, offset: int) -> bool:
        return _within(self._quoted_spans, offset) and not _within(self._attribution_spans, offset)

    def last_person(
        self, before: int, gender: str | None = None, within: int | None = None, min_rank: int = 0
    ) -> _Placed | None:
        """The person a pronoun or role noun at `before` stands for, agreeing in gender: in the
        nearest sentence that refers to someone (by name, "он", or a role noun, outside quoted
        words), the subject of the main clause first, then a subject, then the latest."""
        key = (before, gender, within, min_rank)
        if key not in self._resolved:
            self._resolved[key] = self._last_person(before, gender, within, min_rank)
        return self._resolved[key]

    def _last_person(self, before: int, gender: str | None, within: int | None, min_rank: int) -> _Placed | None:
        here = self.body.unit_of(before)
        lowest = self._units_back(here, within) if within is not None else 0
        for sentence in range(here, lowest - 1, -1):
            referents = [r for r in self._referents(sentence, before, gender) if r[0] >= min_rank]
            for _, _, token, placed in sorted(referents, key=lambda r: (r[0], r[1]), reverse=True):
                found = placed or self._antecedent(token, gender)
                if found is not None:
                    return found
        return None

    def _referents(
        self, sentence: int, before: int, gender: str | None
    ) -> list[tuple[int, int, DocToken, _Placed | None]]:
        """Who a sentence refers to before `before`: (rank, position, head token, named person or None)."""
        start, end = self.body.units[sentence]
        end = min(end, before)
        found = []
        named_tokens: set[int] = set()
        named_by: dict[str, _Placed] = {}  # the role noun a name hangs from ("начальник управления Юрий Шувалов")
        for placed in self.entities_in(start, end):
            if placed.entity.type != "PER" or self.inside_quote(placed.start):
                continue
            tokens = self.body.tokens_in(placed.start, placed.end)
            named_tokens.update(t.start for t in tokens)
            if tokens and (gender is None or self.gender.get(placed.entity.name) in (gender, None)):
                head = head_token(tokens)
                found.append((_rank(head, self.body), placed.start, head, placed))
                for governor in _governors(head, self.body):
                    named_by.setdefault(governor.id, placed)
        for token in self.body.tokens_in(start, end):
            if token.start in named_tokens or self.inside_quote(token.start) or not token.feats:
                continue
            if token.feats.get("Case") != "Nom" or token.feats.get("Number") == "Plur":
                continue
            lemma = normal(token.lemma)
            pronoun = PERSONAL_PRONOUNS.get(lemma) if lemma in ("он", "она") else None
            role_gender = None if lemma in self.lex.epicene else gender_of(token)
            role = self.is_role(token) and token.rel in SUBJECT_RELATIONS and gender in (None, role_gender)
            if pronoun and gender in (None, pronoun) or role:
                named = None if pronoun else next(
                    (named_by[t.id] for t in (token, *_governors(token, self.body)) if t.id in named_by), None
                ) or self._named_right_after(token, end)
                found.append((_rank(token, self.body), token.start, token, named))
        return found

    def _named_right_after(self, role: DocToken, end: int) -> _Placed | None:
        """The person named right after a role noun and what depends on it ("начальник управления
        по связям со СМИ Юрий Шувалов"), whichever way the parser attached the name."""
        after = bisect.bisect_left(self._people_starts, role.stop)
        if after == len(self._people) or self._people[after].start >= end:
            return None
        placed = self._people[after]
        between = self.body.tokens_in(role.stop, placed.start)
        phrase = {role.id}
        grew = True
        while grew:
            grew = False
            for token in between:
                if token.id not in phrase and token.head_id in phrase:
                    phrase.add(token.id)
                    grew = True
        return placed if all(token.id in phrase for token in between) else None

    def _introduced_since(self, before: int, gender: str | None, recent: Speaker) -> _Placed | None:
        """Someone else made the subject of the sentence just before `before`, after `recent` was
        last quoted: the new person a role noun then stands for."""
        spoken_at = max(
            (at for at, speaker in self.spoken if at < before and speaker.name == recent.name), default=None
        )
        placed = self.last_person(before, gender, within=1, min_rank=2)
        if placed is None or spoken_at is None or placed.start < spoken_at:
            return None
        if self.name_of(placed.entity) == recent.name or self.inside_quote(placed.start):
            return None
        # the subject of a sentence that reports no words ("По его словам, Маркс посвятил …" does)
        unit = self.body.unit_of(placed.start)
        if any(self.body.unit_of(at) == unit for at, _ in self.spoken):
            return None
        return placed

    def _spokesperson_named(self, head: DocToken) -> _Placed | None:
        """The person the page made that body's spokesperson earlier: the same office and a body
        in common, not merely the same office."""
        role = phrase_signature(self.body, head, self.lex)
        placed = self.with_role(role, head.start, ahead=False)
        given = self.role_signatures.get(self.name_of(placed.entity)) if placed is not None else None
        return placed if given is not None and role.agrees(given) else None

    def _named_after_aside(self, end: int, verb: DocToken) -> _Placed | None:
        """ "Пресс-секретарь «Спутника», работающего с 22 мая, Дмитрий Чистов сообщил": the name
        after a clause set off by commas, right before the cue, which the parser hung elsewhere."""
        after = bisect.bisect_left(self._people_starts, end)
        if after == len(self._people) or self._people[after].end > verb.start:
            return None
        placed = self._people[after]
        if self.body.text[placed.end : verb.start].strip():
            return None
        return placed if _ASIDE.fullmatch(self.body.text[end : placed.start]) else None

    def _units_back(self, here: int, within: int) -> int:
        """The unit `within` units before `here`, not counting units that are all quoted words
        (a long quote before "— заявил режиссер" does not push its speaker out of reach)."""
        unit, counted = here, 0
        while unit > 0 and counted < within:
            unit -= 1
            start, end = self.body.units[unit]
            if not self._all_quoted(start, end):
                counted += 1
        return unit

    def _all_quoted(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self._quoted_spans, (start, float("inf"))) - 1
        return at >= 0 and self._quoted_spans[at][0] <= start and end <= self._quoted_spans[at][1] + 2

    def _antecedent(self, token: DocToken, gender: str | None) -> _Placed | None:
        """Whom an earlier "он" or role noun stood for."""
        lemma = normal(token.lemma)
        if lemma in ("он", "она"):
            return self.last_person(token.start, PERSONAL_PRONOUNS[lemma], within=3)
        role = signature(lemma, [], self.lex)
        return (
            self.with_role(role, token.start, ahead=False)
            or self.last_person(token.start, gender, within=3)
            or self.with_role(role, token.start)
        )

    def next_person(self, after: int, gender: str | None, within: int = 2) -> _Placed | None:
        """ "В интервью модель призналась … — пожаловалась Поризкова": the person named just after."""
        here = self.body.unit_of(after)
        for placed in self._people_after(after):
            if self.body.unit_of(placed.start) - here > within:
                return None
            if gender is None or self.gender.get(placed.entity.name) in (gender, None):
                return placed
        return None

    def _people_after(self, after: int) -> list[_Placed]:
        return self._people[bisect.bisect_left(self._people_starts, after) :]

    def _people_before(self, before: int) -> list[_Placed]:
        return [
            p
            for p in reversed(self._people[: bisect.bisect_left(self._people_starts, before)])
            if self.body.tokens_in(p.start, p.end)
        ]

    def remember(self, speaker: Speaker | None, at: int, end: int | None = None) -> None:
        """Note who spoke at `at`, for a role noun further on ("— …, — рассказывает мать")."""
        if speaker is not None and speaker.type == "PER":
            self.spoken.append((at, speaker))
        self.last_said = (at, speaker)
        self.last_words = (at, end if end is not None else at)
        head = speaker.name.split()[0] if speaker is not None and " " in speaker.name else None
        if head is not None and speaker.type == "ORG" and head in self.lex.press_services:
            self.press_services[head] = speaker.name

    def just_quoted(self, before: int, kind: str, gender: str | None = None) -> Speaker | None:
        """Whose words came last, if a person (`kind` "PER", agreeing in gender) in the sentence just
        before `before`, or a body ("ORG") in this paragraph or the one before: "По мнению … Михаила
        Лобанова, … указ Путина. По его словам, …"; "Такой прогноз дают в компании Gartner.
        Аналитики ожидают, что …" are the company's analysts."""
        if self.last_said is None:
            return None
        at, speaker = self.last_said
        if speaker is None or speaker.type != kind or at >= before:
            return None
        if kind == "ORG":
            return speaker if self.body.paragraph_at(before) - self.body.paragraph_at(at) <= 1 else None
        if self.body.unit_of(before) - self.body.unit_of(at) != 1:
            return None
        return speaker if gender is None or self.gender_of_name.get(speaker.name) in (gender, None) else None

    def recent_speaker(self, before: int, gender: str | None, within: int = 3) -> Speaker | None:
        """The last person quoted in the paragraphs just before `before`, agreeing in gender."""
        here = self.body.paragraph_at(before)
        for at, speaker in reversed(self.spoken):
            if at >= before:
                continue
            if here - self.body.paragraph_at(at) > within:
                return None
            if gender is None or self.gender_of_name.get(speaker.name) in (gender, None):
                return speaker
        return None

    def recent_group(self, before: int, within: int = 3) -> Speaker | None:
        """People quoted together just before ("рассказывают Андрей и Елена"), for a plural role
        noun after the next words ("— гордятся родители")."""
        last = self.recent_speaker(before, None, within)
        return last if last is not None and " и " in last.name else None

    def recent_pair(self, before: int, within: int = 1) -> Speaker | None:
        """Two people named together just before ("Андрей и Елена постоянно находят …"), for a
        plural role noun that follows ("— делятся художники")."""
        here = self.body.paragraph_at(before)
        earlier = self._people[: bisect.bisect_left(self._people_starts, before)]
        for first, second in reversed(list(zip(earlier, earlier[1:]))):
            if here - self.body.paragraph_at(second.start) > within:
                return None
            if self.body.unit_of(first.start) == self.body.unit_of(second.start):
                joint = self._joint([first, second])
                if joint is not None:
                    return joint
        return None

    def protagonist(self, before: int, gender: str | None) -> _Placed | None:
        """The person the page mentions most (at least twice, the title counting as a mention),
        agreeing in gender; the mention returned is the last before `before`, or the first."""
        counts: dict[str, list[_Placed]] = {}
        for placed in self._people_before(before) + self._people_after(before):
            if gender is None or self.gender.get(placed.entity.name) in (gender, None):
                counts.setdefault(self.name_of(placed.entity), []).append(placed)

        def weight(mentions: list[_Placed]) -> int:
            return len(mentions) + (normal(self.name_of(mentions[0].entity)) in self.title_names)

        ranked = sorted(counts.values(), key=weight, reverse=True)
        if not ranked or weight(ranked[0]) < 2 or (len(ranked) > 1 and weight(ranked[1]) == weight(ranked[0])):
            return None
        return ranked[0][0]

    def person_misspelt(self, word: DocToken) -> _Placed | None:
        """A surname the tagger missed, one letter off a person's ("Сабурова" for "Сабирова")."""
        written = normal(word.text)
        if len(written) < MIN_FUZZY_SURNAME:
            return None
        for placed in self._people_before(word.start) + self._people_after(word.start):
            surname = normal(placed.text.split()[-1]) if placed.text.split() else ""
            if surname == written or one_letter_apart(written, surname):
                return placed
        return None

    def last_organisation(self, before: int, kind: str, within: int = 3) -> _Placed | None:
        """The organisation that "в компании" stands for: the last one named nearby whose name has
        that word in it ("Группа компаний ЦРТ")."""
        here = self.body.unit_of(before)
        stem = kind[:STEM]
        for placed in reversed(self.placed[: bisect.bisect_left(self._starts, before)]):
            if here - self.body.unit_of(placed.start) > within:
                return None
            if placed.entity.type != "ORG":
                continue
            # named with that word ("холдинг «Газпром-Медиа»"), even inside someone's words
            if self._called(placed, kind) or stem in normal(placed.entity.name) and not self.inside_quote(placed.start):
                return placed
        return None

    def sole_organisation(self, before: int) -> _Placed | None:
        """ "У Google нет подборки новостей …, отметил представитель компании": the one organisation
        named in this sentence before the noun, or else in the sentence before, outside quotation marks."""
        here = self.body.unit_of(before)
        earlier = self.placed[: bisect.bisect_left(self._starts, before)]
        for unit in (here, here - 1):
            named = [p for p in earlier if self.body.unit_of(p.start) == unit and not self.inside_quote(p.start)]
            if any(p.entity.type == "PER" for p in named):
                return None
            # a site of the organisation ("news.mail.ru") is not another one
            # nor is an outlet passing the news on ("…, пишет РБК. … — уточнили в ведомстве")
            organisations = {
                self.name_of(p.entity): p
                for p in named
                if p.entity.type == "ORG"
                and not (SITE.search(p.entity.name) and p.entity.name.islower())
                and normal(p.entity.name) not in self.lex.outlets
            }
            if len(organisations) == 1:
                return next(iter(organisations.values()))
            if organisations:
                return None
        return None

    def _called(self, placed: _Placed, kind: str) -> bool:
        """The page names the organisation with that word before it ("компания Phillips 66",
        "холдинга «Газпром-Медиа»", "Авиакомпания «Аэрофлот»" for "в компании")."""
        before = [t for t in self.body.tokens_in(max(0, placed.start - 40), placed.start) if t.text not in OPENERS]
        if not before:
            return False
        word = normal(before[-1].lemma or before[-1].text)
        return word[:STEM] == kind[:STEM] or len(kind) > STEM and word.endswith(kind)

    def introduced_as(self, noun: DocToken) -> _Placed | None:
        """ "Футболист львовских Карпат и чемпион мира … Алексей Хахлев получил выговор. … Сам футболист
        признал": the person an earlier sentence brings in with that noun, no one else named between."""
        lemma = normal(noun.lemma or noun.text)
        units = self.body.units
        here = self.body.unit_of(noun.start)
        for placed in reversed(self.placed[: bisect.bisect_left(self._starts, noun.start)]):
            unit = self.body.unit_of(placed.start)
            if unit == here or self.inside_quote(placed.start):
                continue
            if placed.entity.type != "PER":
                continue
            before = self.body.tokens_in(units[unit][0], placed.start)
            # the written form is checked first: a lemma costs a dictionary look-up for every word
            stem = lemma[: max(len(lemma) - 2, 3)]
            at = next(
                (
                    i for i in range(len(before) - 1, -1, -1)
                    if stem in normal(before[i].text) and _same_noun(normal(before[i].lemma or ""), lemma)
                ),
                None,
            )
            named = self.body.tokens_in(placed.start, placed.end)
            if at is None or not named or _case(before[at]) != _case(named[0]):
                # "с заместителем министра обороны США Кристин Вормут": a complement, not her title
                continue
            if not any(before[at].start < p.start < placed.start and p.entity.type == "PER" for p in self.placed):
                return placed
        return None

    def with_role(self, role: RoleSignature, at: int, ahead: bool = True) -> _Placed | None:
        """The person the page gives this role, nearest before `at`, else (`ahead`) the first after it;
        not one whose role belongs elsewhere ("российский президент" is not "президент Украины")."""
        before = bisect.bisect_left(self._starts, at)
        # ahead, not in the rest of the same sentence: there the role noun's own words name others
        # ("Президент рассказал, как … спасти жизнь президента Украины Виктора Януковича")
        unit_end = self.body.units[self.body.unit_of(at)][1]
        # and no further than the next paragraph: "по мнению эксперта" is not whoever the page calls an
        # expert a dozen paragraphs on
        here = self.body.paragraph_at(at)
        later = [
            p for p in self.placed[before:] if p.start >= unit_end and self.body.paragraph_at(p.start) - here <= 1
        ] if ahead else []
        ordered = list(reversed(self.placed[:before])) + later
        for placed in ordered:
            given = self.role_signatures.get(self.name_of(placed.entity))
            if placed.entity.type != "PER" or not given or given.office != role.office:
                continue
            if role.agrees(given) is not False:
                return placed
        return None

    # -- the cue's subject ----------------------------------------------------------------------

    def subject_of(self, cue: DocToken) -> DocToken | None:
        """The grammatical subject of `cue`, looking up through gerunds and coordinated verbs."""
        token: DocToken | None = cue
        relations = SUBJECT_RELATIONS
        for _ in range(3):
            if token is None:
                return None
            # a pronoun inside quoted words is the quote's, not the cue's ("…: «Мы не рассчитываем …»");
            # a name in quotation marks may be ("сообщает «Маяк»")
            subjects = [
                child
                for child in self.body.children(token)
                if child.rel in relations
                and (child.pos != "PRON" or self.inside_quote(cue.start) or not self.inside_quote(child.start))
            ]
            if subjects:
                # "отметила старший исследователь доктор Рода Ау", parsed as two subjects: the one with the name
                return max(subjects, key=lambda s: (_subjecthood(s), self._names_a_person_beside(s, subjects)))
            if token.rel not in ("advcl", "conj", "xcomp", "acl") and "Conv" not in str(token.feats):
                return None
            token = self.body.head(token)
            relations = ("nsubj",)
        return None

    def _names_a_person_beside(self, token: DocToken, subjects: list[DocToken]) -> bool:
        """A subject that names a person right after another subject ("старший исследователь | доктор Рода Ау")."""
        phrase = self.body.subtree(token)
        if not phrase:
            return False
        before = self.body.token_index(phrase[0]) - 1
        beside = any(self.body.subtree(other) and self.body.subtree(other)[-1] is self.body.tokens[before]
                     for other in subjects if other is not token) if before >= 0 else False
        return beside and any(
            p.entity.type == "PER" and not self.inside_quote(p.start)
            for p in self.entities_in(phrase[0].start, phrase[-1].stop)
        )

    def first_person(self, verb: DocToken) -> Attribution:
        """ "— спрашиваю Елену": the article's author speaks."""
        mention = Mention(verb.start, verb.stop, verb.text)
        if self.author:
            return Attribution(Speaker(name=self.author, type="PER", mention=mention, role="автор"))
        return Attribution(anonymous="автор")

    def attribute(self, head: DocToken, phrase: list[DocToken], verb: DocToken | None = None) -> Attribution:
        """The speaker that the noun phrase `phrase` (headed by `head`) names; `verb` is the cue,
        whose gender tells a man from a woman."""
        lemma = normal(head.lemma or head.text)
        if lemma in ACTING and len(phrase) == 1:
            # "— отметила и.о. министра": the office after "acting", which the parser hangs on the verb
            at = self.body.token_index(head) + 1
            office = self.body.tokens[at] if at < len(self.body.tokens) else None
            if office is not None and self.is_role(office):
                return self.attribute(office, [office], verb)
        start, end = phrase[0].start, phrase[-1].stop
        named = [p for p in self.entities_in(start, end) if not self.inside_quote(p.start)]
        if not named and _is_initial(phrase):
            # "По словам Н.Прянишникова": the tokens stop at the initial, the name goes on
            named = [p for p in self.placed if p.start == start]
        people = [p for p in named if p.entity.type == "PER"]
        orgs = [p for p in named if p.entity.type == "ORG"]
        if lemma in self.lex.press_services:
            return Attribution(self._press_service(head, phrase))
        impersonal = verb is not None and (verb.lemma or "") in self.lex.impersonal
        owners = [c for c in self.body.children(head) if c.rel == "nmod"] if lemma in self.lex.documents else []
        if owners and head.pos == "NOUN" and not impersonal and not self.lex.names_a_body(lemma):
            # "гласит подпись артистки", "заявление МВД гласит": the owner of the words speaks
            return self.attribute(owners[0], self.body.subtree(owners[0]), verb)
        if lemma in self.lex.anonymous:
            return Attribution(anonymous=self.body.text[start:end])
        if lemma in self.lex.kin and any(c.rel == "nmod" for c in self.body.children(head)):
            named_after = self._named_in_apposition(head, people)
            if named_after is not None:
                return Attribution(self.speaker_for(named_after))
            placed = self.with_role(signature(lemma, [], self.lex), head.start)
            if placed is None or placed.entity in {p.entity for p in people}:
                return Attribution(anonymous=self.body.text[start:end])
            return Attribution(self.speaker_for(placed))
        if family(head, verb):
            return Attribution(Speaker(name=head.text, type="PER", mention=Mention(head.start, head.stop, head.text)))
        joint = self._joint(people) if len(people) > 1 else self._first_name_joined(phrase, people)
        if joint is not None:
            return Attribution(joint)
        person = _subject_person(people, head, self.body) if people else None
        if person is not None:
            return Attribution(self.speaker_for(person))
        if not people and verb is not None and self.is_role(head):
            named = self._named_after_aside(end, verb)
            if named is not None:
                return Attribution(self.speaker_for(named))
        if orgs and self._heads_it(head, lemma, orgs):
            # "глава Минобороны сообщил": the minister the page gave that role, or the one just quoted
            gender = gender_of(verb) or gender_of(head)
            placed = self.with_role(phrase_signature(self.body, head, self.lex), head.start, ahead=False)
            recent = (
                self.speaker_for(placed) if placed is not None else self.recent_speaker(head.start, gender, within=0)
            )
            if recent is not None and recent.type == "PER":
                return Attribution(recent)
        if orgs and lemma in self.lex.members and head.feats and head.feats.get("Number") != "Plur":
            # "по словам академика РАН", "заявил депутат Госдумы": a person the body counts among its
            # members, the one the page gave that role or just quoted; never the body itself
            gender = gender_of(verb) or gender_of(head)
            placed = self.with_role(phrase_signature(self.body, head, self.lex), head.start, ahead=False)
            recent = self.speaker_for(placed) if placed is not None else self.recent_speaker(head.start, gender, 1)
            if recent is not None and recent.type == "PER":
                return Attribution(recent)
            return Attribution(anonymous=self.body.text[start:end])
        if orgs and self._unnamed_person(head, lemma) and not self._owned_by(head, orgs):
            # "поинтересовалась фанатка звезды Instagram": someone of no office, not a body named
            # further down her phrase ("члены КПРФ" speak for the party)
            return Attribution(anonymous=self.body.text[start:end])
        if orgs:
            return Attribution(self.speaker_for(orgs[0]))
        if lemma in PERSONAL_PRONOUNS:
            gender = PERSONAL_PRONOUNS[lemma] if lemma != "его" else None
            quoted = self.just_quoted(head.start, "PER", gender) if lemma in POSSESSIVE_PRONOUNS else None
            if quoted is not None:
                return Attribution(quoted)
            placed = self.last_person(head.start, gender)
            said = self.just_quoted(head.start, "PER", gender) if lemma in ("он", "она") else None
            if said is not None and placed is not None and self.last_words[0] <= placed.start < self.last_words[1]:
                # "По словам Эмиле, … против Слуцкого. Он отметил, что …": the one named inside the last
                # words is not their speaker, who goes on
                return Attribution(said)
            return Attribution(self.speaker_for(placed)) if placed else Attribution()
        if lemma in RELATIVE_PRONOUNS:
            return self._relative(head)
        if lemma in PLURAL_PRONOUNS:
            return Attribution()
        plural = bool(head.feats) and head.feats.get("Number") == "Plur"
        if lemma in self.lex.spokespeople or plural and lemma in self.lex.roles:
            organisations = [c for c in self.body.children(head) if c.rel == "nmod"]
            named_before = self._spokesperson_named(head) if organisations and not plural else None
            if named_before is not None:
                # "спикер «Талибана» заявил" after "Представитель талибов Забиулла Муджахид"
                return Attribution(self.speaker_for(named_before))
            if organisations:
                body_phrase = self.body.subtree(organisations[0])
                speaking_for = self.attribute(organisations[0], body_phrase)
                if speaking_for.speaker is not None and speaking_for.speaker.type == "ORG":
                    return speaking_for
                # "авторы разработки", "лидеры европейских государств": people of a thing, no spokespeople
                named = self._body_by_its_noun(lemma, organisations[0], body_phrase) if not plural or (
                    lemma in self.lex.spokespeople) else None
                if named is not None:
                    return Attribution(named)
        if plural and self.is_role(head, plural=True) and lemma not in self.lex.anonymous:
            group = self.recent_group(head.start) or self.recent_pair(head.start)
            if group is None and lemma in self.lex.staff and not self.body.children(head):
                group = self.just_quoted(head.start, "ORG")
            if group is not None:
                return Attribution(group)
        if lemma in self.lex.anonymous or head.pos == "PRON" or (plural and lemma in self.lex.roles):
            return Attribution(anonymous=self.body.text[start:end])
        if self.is_role(head):
            unit_end = self.body.units[self.body.unit_of(head.start)][1]
            named_next = self._named_right_after(head, unit_end) if not people else None
            if named_next is not None:
                # "сообщил экс-редактор сайта телевизионной передачи Рустам Юлбарисов", the name
                # parsed outside the role's phrase
                return Attribution(self.speaker_for(named_next))
            gender = gender_of(verb) or (None if lemma in self.lex.epicene else gender_of(head))
            placed = self.with_role(phrase_signature(self.body, head, self.lex), head.start)
            if placed is not None:
                return Attribution(self.speaker_for(placed))
            recent = self.recent_speaker(head.start, gender, within=2)
            newcomer = self._introduced_since(head.start, gender, recent) if recent is not None else None
            if newcomer is not None:
                # "«…», — сказал Федотов. С его предложением согласился председатель комитета Леонид
                # Левин. «…», — заявил парламентарий": the one the sentence before brought in
                return Attribution(self.speaker_for(newcomer))
            if recent is not None:
                return Attribution(recent)
            if lemma not in self.lex.roles and (self.body.children(head) or not self._opens_sentence(head)):
                # "— рассказал водитель автобуса": an animate noun the lexicon does not list is the
                # person given that role or the one just quoted, not whoever was named last; a bare
                # one opening its sentence ("Предприниматель заявил") is someone the page spoke of
                return Attribution(anonymous=self.body.text[start:end])
            placed = (
                self.introduced_as(head)
                or self.last_person(head.start, gender, within=3, min_rank=1)
                or self.protagonist(head.start, gender)
                or self.last_person(head.start, gender, within=3)
                or self.next_person(head.start, gender)
            )
            if placed is not None:
                return Attribution(self.speaker_for(placed))
            return Attribution(anonymous=self.body.text[start:end])
        sites = [t for t in phrase if SITE.fullmatch(t.text)]
        if sites:
            return Attribution(Speaker(sites[0].text, "ORG", Mention(sites[0].start, sites[0].stop, sites[0].text)))
        if (
            head.pos != "PROPN"
            and not self.lex.names_a_body(lemma)
        ):
            return Attribution(anonymous=self.body.text[start:end])
        if head.pos == "PROPN":
            person = self.person_misspelt(head)
            if person is not None:
                return Attribution(self.speaker_for(person))
        if len(phrase) == 1 and head.pos == "NOUN":
            placed = self.last_organisation(head.start, lemma, within=ORGANISATION_WITHIN) or self.sole_organisation(
                head.start
            )
            if placed is not None:
                return Attribution(self.speaker_for(placed))
        if lemma in self.lex.kind_nouns and not named and not any(t.pos == "PROPN" for t in phrase):
            # "По мнению журналистских организаций", "в компании считают" with no organisation to
            # stand for: the word names a kind, not a body
            return Attribution(anonymous=self.body.text[start:end])
        return Attribution(
            Speaker(
                name=self.spelt_out(nominative_phrase(phrase, head)),
                type="ORG",
                role=None,
                mention=Mention(start, end, self.body.text[start:end]),
            )
        )

    def _joint(self, people: list[_Placed]) -> Speaker | None:
        """ "рассказывают Андрей и Елена": two people joined by "и" speak together, as "Андрей и
        Елена Вилковы" where they share a surname, else "A и B"."""
        first, second = people[0], people[1]
        between = [t for t in self.body.tokens_in(first.end, second.start) if t.pos != "PUNCT"]
        if [normal(t.text) for t in between] != ["и"] or not all(self._nominative(p) for p in (first, second)):
            # "Адвокаты Навального и Волкова заявили": two owners in the genitive speak for nobody
            return None
        names = [self._full_name(self.name_of(p.entity)) for p in (first, second)]
        words = [name.split() for name in names]
        family = _family_name(words[0], words[1])
        name = f"{words[0][0]} и {words[1][0]} {family}" if family else f"{names[0]} и {names[1]}"
        return self._joint_speaker(name, first.start, second.end)

    def _nominative(self, placed: _Placed) -> bool:
        tokens = self.body.tokens_in(placed.start, placed.end)
        return bool(tokens) and (tokens[0].feats or {}).get("Case") == "Nom"

    def _first_name_joined(self, phrase: list[DocToken], people: list[_Placed]) -> Speaker | None:
        """ "Андрей и Елена Вилковы": a first name the tagger left out, joined to a named person of
        the family."""
        if len(people) != 1:
            return None
        before = [t for t in phrase if t.start < people[0].start]
        if len(before) != 2 or before[0].pos != "PROPN" or normal(before[1].text) != "и":
            return None
        words = self._full_name(self.name_of(people[0].entity)).split()
        family = _family_name(self._full_name(before[0].text).split(), words)
        if family is None:
            return None
        return self._joint_speaker(f"{before[0].text} и {words[0]} {family}", before[0].start, people[0].end)

    def _body_by_its_noun(self, lemma: str, noun: DocToken, phrase: list[DocToken]) -> Speaker | None:
        """ "представители торговой сети заверяют": the body a spokesperson speaks for, named by a
        common noun in the genitive (an unnamed source, "источник в полиции", stays anonymous)."""
        feats = noun.feats or {}
        if lemma in self.lex.anonymous or noun.pos != "NOUN" or feats.get("Case") != "Gen":
            return None
        if feats.get("Animacy") != "Inan" or any(t.rel == "case" and t.head_id == noun.id for t in phrase):
            return None
        start, end = phrase[0].start, phrase[-1].stop
        return Speaker(nominative_phrase(phrase, noun), "ORG", Mention(start, end, self.body.text[start:end]))

    def _joint_speaker(self, name: str, start: int, end: int) -> Speaker:
        return Speaker(name=name, type="PER", mention=Mention(start, end, self.body.text[start:end]))

    def _full_name(self, name: str) -> str:
        """A person's fullest name; a lone first name takes the surname of the one person on the
        page who has that first name ("Андрей" → "Андрей Вилков")."""
        if len(name.split()) > 1:
            return name
        fuller = {full for full in self.canonical.values() if len(full.split()) > 1 and full.split()[0] == name}
        return fuller.pop() if len(fuller) == 1 else name

    def _named_in_apposition(self, head: DocToken, people: list[_Placed]) -> _Placed | None:
        """ "Супруга Катрин фон Сюдов" names her; "мать Петрова" (genitive) is someone else."""
        for placed in people:
            tokens = self.body.tokens_in(placed.start, placed.end)
            if tokens and tokens[0].start > head.start and (tokens[0].feats or {}).get("Case") == "Nom":
                return placed
        return None

    def _heads_it(self, head: DocToken, lemma: str, orgs: list[_Placed]) -> bool:
        """A person's role noun whose only name is the body it heads ("глава Минобороны"), not
        someone who speaks for the body ("представитель Сбербанка")."""
        if lemma in self.lex.spokespeople or lemma in self.lex.press_services or not self.is_role(head):
            return False
        return all(p.start > head.start for p in orgs)

    def _relative(self, pronoun: DocToken) -> Attribution:
        """ "…, который заявил": the noun the relative clause belongs to."""
        clause = self.body.head(pronoun)
        noun = self.body.head(clause) if clause is not None and clause.rel == "acl:relcl" else None
        if noun is None or noun.pos not in ("NOUN", "PROPN"):
            placed = self.last_person(pronoun.start)
            return Attribution(self.speaker_for(placed)) if placed else Attribution()
        # the noun with the rest of its name ("Налле Валруса, который заявил")
        name_end = max([noun.stop] + [c.stop for c in self.body.children(noun) if (c.rel or "").startswith("flat")])
        named = [p for p in self.entities_in(noun.start, name_end) if p.entity.type in ("PER", "ORG")]
        if named:
            return Attribution(self.speaker_for(named[0]))
        return self.attribute(noun, [t for t in self.body.subtree(noun) if t.start <= noun.start], clause)

    def _press_service(self, head: DocToken, phrase: list[DocToken]) -> Speaker:
        owner_tokens = [t for t in phrase if t.start > head.start]
        possessive = [t for t in phrase if t.start < head.start and normal(t.text) in PERSONAL_PRONOUNS]
        head_name = normal(head.lemma or head.text)
        start, end = phrase[0].start, phrase[-1].stop
        mention = Mention(start, end, self.body.text[start:end])
        if owner_tokens:
            owner = self.body.text[owner_tokens[0].start : owner_tokens[-1].stop]
            return Speaker(name=f"{head_name} {owner}", type="ORG", mention=mention)
        if possessive:
            gender = PERSONAL_PRONOUNS[normal(possessive[0].text)]
            placed = self.last_person(head.start, gender if normal(possessive[0].text) != "его" else None)
            if placed is not None:
                return Speaker(name=f"{head_name} {genitive(self.name_of(placed.entity))}", type="ORG", mention=mention)
        named_before = self.press_services.get(head_name)
        if named_before is not None:
            # "в пресс-службе театра … проинформировали в пресс-службе": the one the page named
            return Speaker(name=named_before, type="ORG", mention=mention)
        return Speaker(name=head_name, type="ORG", mention=mention)


def _family_name(one: list[str], other: list[str]) -> str | None:
    """The plural surname of two people of one family ("Вилков", "Вилкова" → "Вилковы")."""
    if len(one) < 2 or len(other) < 2:
        return None
    a, b = one[-1], other[-1]
    for masculine, feminine, plural in FAMILY_ENDINGS:
        for x, y in ((a, b), (b, a)):
            if x.endswith(masculine) and y == x + feminine[len(masculine):]:
                return x + plural
            if x.endswith(masculine) and y == x:
                return x + plural
    return None


def _is_initial(phrase: list[DocToken]) -> bool:
    return len(phrase) == 1 and len(phrase[0].text) == 1 and phrase[0].text.isupper()


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted and overlapping ones joined, for a look-up by bisection."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    at = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


def _subjecthood(token: DocToken) -> int:
    """Of two subjects the parser gave one verb, the nominative word ("он", not a stray "News")."""
    nominative = bool(token.feats) and token.feats.get("Case") == "Nom"
    return 2 * nominative + (token.pos in ("PRON", "NOUN", "PROPN"))


def head_token(tokens: list[DocToken]) -> DocToken:
    ids = {t.id for t in tokens}
    return next((t for t in tokens if t.head_id not in ids), tokens[0])


def _governors(token: DocToken, body: Body) -> list[DocToken]:
    """The nouns a name stands in apposition to, up its chain of appositions and modifiers."""
    found = []
    for _ in range(4):
        head = body.head(token, parse=False)
        if token.rel not in ("appos", "flat:name", "flat", "nmod") or head is None:
            break
        found.append(head)
        token = head
    return found


def _case(token: DocToken) -> str | None:
    return (token.feats or {}).get("Case")


def _rank(token: DocToken, body: Body) -> int:
    """2 for the subject of the main clause, 1 for another subject or a nominative, 0 otherwise."""
    for _ in range(4):
        head = body.head(token, parse=False)
        if token.rel not in ("appos", "flat:name", "flat", "conj", "nmod") or head is None:
            break
        if token.rel == "nmod" and (head.pos != "NOUN" or _case(token) != _case(head)):
            # "Заявление Путина вызвало …": the owner in the genitive is not the subject
            break
        token = head
    if token.rel in SUBJECT_RELATIONS:
        head = body.head(token, parse=False)
        return 2 if head is not None and head.rel == "root" else 1
    return 1 if token.feats and token.feats.get("Case") == "Nom" and token.rel is None else 0


def _subject_person(people: list[_Placed], head: DocToken, body: Body) -> _Placed | None:
    """Of the people in a subject ("подруга Березовского Екатерина Сабирова"), the one the subject
    is (its head, or in apposition), not one it belongs to; failing that, one in its case; none if
    each is only a dependent in another case ("Следователи Виктору намекали")."""
    case = head.feats.get("Case") if head.feats else None

    def standing(placed: _Placed) -> tuple[int, int]:
        tokens = body.tokens_in(placed.start, placed.end)
        if not tokens:
            return 0, 0
        top = head_token(tokens)
        is_subject = top is head or top.rel in ("appos", "flat:name") or top.rel in SUBJECT_RELATIONS
        same_case = bool(case) and bool(tokens[0].feats) and tokens[0].feats.get("Case") == case
        return int(is_subject and top.rel != "nmod"), int(same_case)

    best = max(people, key=standing)
    return best if standing(best) != (0, 0) or not head.rel else None


def _case(token: DocToken) -> str | None:
    return (token.feats or {}).get("Case")


def _same_noun(written: str, lemma: str) -> bool:
    """ "специалист-нарколог" is a "нарколог"."""
    return written == lemma or written.endswith("-" + lemma)
