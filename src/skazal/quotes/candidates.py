"""Who might have said a quote: the candidate speakers around it, each described by features.

The rules in `speakers` give one answer; the learned ranker (`ranker`) weighs that answer
against the other people and bodies the page names near the quote: the subject and the objects
of the cue, the names in the cue's sentence and the sentences before it, the previous speaker,
the people of the title, and nobody at all. Features are named for what they mean, so the
model's weights read as a table of evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from natasha.doc import DocToken

from skazal.quotes.body import Body
from skazal.quotes.found import Found
from skazal.quotes.names import gender_of, normal
from skazal.quotes.role_match import phrase_signature
from skazal.quotes.sources import is_outlet
from skazal.quotes.speakers import Attribution, Speakers, head_token
from skazal.records import Speaker

UNITS_BEFORE = 3
UNITS_AFTER = 1
RECENT_PARAGRAPHS = 3
CASES = ("Nom", "Gen", "Dat", "Acc", "Ins", "Loc")
CUE_RELATIONS = ("nsubj", "nsubj:pass", "obj", "iobj", "obl", "nmod")
# Verbs whose subject passes on someone else's words ("— цитирует РБК Путина").
CITING = frozenset({"цитировать", "процитировать", "приводить", "привести"})
CROSSED = (
    "by_rules", "number_clashes", "last_speaker", "same_unit", "units_back_1", "units_back_2", "most_mentioned",
    "subject_of_cue", "in_cue_phrase", "gender_agrees", "in_title", "outlet", "organisation", "was_subject_of_a_cue",
)
# Features that describe where a mention stands: taken from the mention nearest the cue.
POSITIONAL = ("same_unit", "before_cue", "after_cue", "units_", "in_lead", "case_", "rel_", "near", "not_near")


@dataclass(slots=True)
class Candidate:
    """One possible answer to "who said it": a speaker, or nobody (`speaker` None)."""

    speaker: Speaker | None
    features: dict[str, float] = field(default_factory=dict)
    distance: float = math.inf  # characters from the named mention to the cue

    def attribution(self) -> Attribution:
        return Attribution(self.speaker)


def speaker_candidates(
    body: Body, speakers: Speakers, found: Found, rule: Attribution, last_speaker: Speaker | None
) -> list[Candidate]:
    """The candidates for `found`: the rules' answer (`rule`), the cue's arguments, the names
    nearby, the previous speakers, the title's people, and nobody."""
    context = _Context(body, speakers, found, rule, last_speaker)
    nobody = Candidate(None, _nobody_features(context))
    named: dict[str, Candidate] = {}

    def add(speaker: Speaker, mention_tokens: list[DocToken], **flags: float) -> None:
        key = normal(speaker.name)
        features = {**context.mention_features(speaker, mention_tokens), **flags}
        distance = context.distance(mention_tokens)
        if key not in named:
            named[key] = Candidate(speaker, features, distance=distance)
            return
        candidate = named[key]
        kept = {n: v for n, v in candidate.features.items() if not n.startswith(POSITIONAL)}
        if distance < candidate.distance:
            candidate.distance = distance
            positional = {n: v for n, v in features.items() if n.startswith(POSITIONAL)}
        else:
            positional = {n: v for n, v in candidate.features.items() if n.startswith(POSITIONAL)}
        for name, value in features.items():
            if not name.startswith(POSITIONAL):
                kept[name] = max(kept.get(name, 0.0), value)
        candidate.features = {**kept, **positional}

    if rule.speaker is not None:
        add(rule.speaker, _mention_tokens(body, rule.speaker), by_rules=1.0)
    for relation, speaker, tokens in context.cue_arguments():
        add(speaker, tokens, **{f"cue_{relation.replace(':', '_')}": 1.0})
    for placed in context.nearby():
        add(speakers.speaker_for(placed), body.tokens_in(placed.start, placed.end))
    for speaker in context.recent_speakers():
        add(speaker, _mention_tokens(body, speaker))
    for speaker in context.title_people():
        add(speaker, [])
    if context.personal_role():
        # "по словам академика РАН": the academy is what the person belongs to, not who speaks
        start, end = context.phrase_span()
        named = {
            key: c for key, c in named.items()
            if not (c.speaker.type == "ORG" and c.speaker.mention and start <= c.speaker.mention.start < end)
        }
    for candidate in named.values():
        _cross(candidate.features, context.subject_kind)
    return [nobody, *named.values()]


def _cross(features: dict[str, float], subject_kind: str) -> None:
    """How far each kind of evidence goes depends on how the cue names its subject: after "он" or
    "министр" the previous speaker counts for more than after a name."""
    for name in CROSSED:
        if name in features:
            features[f"{subject_kind}:{name}"] = features[name]


def _mention_tokens(body: Body, speaker: Speaker) -> list[DocToken]:
    mention = speaker.mention
    return body.tokens_in(mention.start, mention.end) if mention is not None else []


class _Context:
    """What the features of one quote's candidates are measured against."""

    def __init__(
        self, body: Body, speakers: Speakers, found: Found, rule: Attribution, last_speaker: Speaker | None
    ) -> None:
        self.body = body
        self.speakers = speakers
        self.found = found
        self.rule = rule
        self.last_speaker = last_speaker
        # the cue, or the verb of the clause that announced the words ("… разделил Дынкин: «…»")
        self.cue = found.cue or found.intro
        cue = self.cue
        self.anchor = cue.start if cue is not None else found.start
        self.anchor_unit = body.unit_of(self.anchor)
        self.cue_gender = gender_of(cue)
        self.plural_cue = bool(cue is not None and cue.feats and cue.feats.get("Number") == "Plur")
        self.subject = speakers.subject_of(cue) if cue is not None else None
        lemma = (cue.lemma or "") if cue is not None else ""
        self.citing = lemma in CITING or lemma in speakers.lex.passing_on
        self.lead_end = body.paragraphs[0].end if body.paragraphs else 0
        self.subject_kind = self._subject_kind()
        self.role = phrase_signature(body, self._subject_head(), speakers.lex) if self.subject_kind == "role" else None
        self.paragraph = body.paragraph_at(found.start)

    def personal_role(self) -> bool:
        """The rules named a person for a role noun that is no one's spokesperson ("академика РАН")."""
        head = self._subject_head()
        if self.subject_kind != "role" or head is None or self.rule.speaker is None or self.rule.speaker.type != "PER":
            return False
        lemma = normal(head.lemma or head.text)
        lex = self.speakers.lex
        return lemma not in lex.spokespeople and lemma not in lex.press_services

    def phrase_span(self) -> tuple[int, int]:
        phrase = list(self.found.phrase) or (self.body.subtree(self.subject) if self.subject is not None else [])
        return (phrase[0].start, phrase[-1].stop) if phrase else (0, 0)

    def _subject_kind(self) -> str:
        """How the quote names who said it: "name", "pronoun", "plural", "role", "noun", "none" or "no_cue"."""
        if self.cue is None and not self.found.phrase:
            return "no_cue"
        head = self._subject_head()
        if head is None:
            return "none"
        lemma = normal(head.lemma or head.text)
        if head.pos == "PRON" or lemma in ("он", "она", "они"):
            return "pronoun"
        if self.speakers.entities_in(head.start, head.stop) or head.pos == "PROPN":
            return "name"
        if self._named_in_apposition(head):
            return "name"
        if head.feats and head.feats.get("Number") == "Plur":
            return "plural"
        if self.speakers.is_role(head):
            return "role"
        return "noun"

    def _named_in_apposition(self, head: DocToken) -> bool:
        """ "директор ИМЭМО РАН Александр Дынкин": a role with the person's name beside it."""
        for child in self.body.children(head):
            if child.rel in ("appos", "flat:name") and child.pos == "PROPN":
                phrase = self.body.subtree(child)
                people = [p for p in self.speakers.entities_in(child.start, phrase[-1].stop) if p.entity.type == "PER"]
                if people and (child.feats or {}).get("Case") == (head.feats or {}).get("Case"):
                    return True
        return False

    def _subject_head(self) -> DocToken | None:
        return head_token(list(self.found.phrase)) if self.found.phrase else self.subject

    def _is_subject(self, token: DocToken) -> bool:
        """The cue's subject itself, or a name in apposition to it ("министр Лавров"), not a word
        that only depends on it ("Следователи Виктору намекали")."""
        for _ in range(4):
            if self.subject is None or token is None:
                return False
            if token.id == self.subject.id:
                return True
            if token.rel not in ("appos", "flat:name", "flat"):
                return False
            token = self.body.head(token)
        return False

    def distance(self, tokens: list[DocToken]) -> float:
        return abs(tokens[0].start - self.anchor) if tokens else math.inf

    def cue_arguments(self) -> list[tuple[str, Speaker, list[DocToken]]]:
        """The speakers the cue's subject, objects and obliques name ("цитирует РБК Путина")."""
        if self.cue is None:
            return []
        found = []
        for child in self.body.children(self.cue):
            if child.rel not in CUE_RELATIONS or child.pos not in ("NOUN", "PROPN", "PRON"):
                continue
            phrase = self.body.subtree(child)
            attribution = self.speakers.attribute(child, phrase, self.cue)
            if attribution.speaker is not None:
                found.append((child.rel, attribution.speaker, phrase))
        return found

    def nearby(self) -> list:
        """Mentions of people and bodies in the cue's sentence and the sentences around the quote,
        outside the quoted words."""
        first_unit = max(min(self.anchor_unit, self.body.unit_of(self.found.start)) - UNITS_BEFORE, 0)
        last_unit = min(max(self.anchor_unit, self.body.unit_of(self.found.end - 1)) + UNITS_AFTER,
                        len(self.body.units) - 1)
        start, end = self.body.units[first_unit][0], self.body.units[last_unit][1]
        return [
            p
            for p in self.speakers.entities_in(start, end)
            if not (self.found.start <= p.start < self.found.end) and not self.speakers.inside_quote(p.start)
        ]

    def recent_speakers(self) -> list[Speaker]:
        seen: dict[str, Speaker] = {}
        for at, speaker in reversed(self.speakers.spoken):
            if at >= self.found.start:
                continue
            if self.paragraph - self.body.paragraph_at(at) > RECENT_PARAGRAPHS:
                break
            seen.setdefault(normal(speaker.name), speaker)
            if len(seen) == 2:
                break
        return list(seen.values())

    def title_people(self) -> list[Speaker]:
        return [
            Speaker(name=name, type="PER", role=self.speakers.roles.get(name))
            for name in self.speakers.title_people
        ]

    def mention_features(self, speaker: Speaker, tokens: list[DocToken]) -> dict[str, float]:
        speakers = self.speakers
        name = speaker.name
        features: dict[str, float] = {
            "person": float(speaker.type == "PER"),
            "organisation": float(speaker.type == "ORG"),
            "mentions": math.log1p(speakers.mention_count.get(normal(name), 0)) / 2,
            "most_mentioned": float(normal(name) == speakers.most_mentioned),
            "in_title": float(normal(name) in speakers.title_names),
            "has_role": float(bool(speaker.role)),
            "outlet": float(is_outlet(Attribution(speaker), tokens, speakers.lex)),
        }
        last = self.last_speaker
        if last is not None and normal(last.name) == normal(name):
            features["last_speaker"] = 1.0
            features[f"last_speaker_{self.found.kind}"] = 1.0
            if self.cue is None:
                features["last_speaker_no_cue"] = 1.0
        if self.plural_cue and speaker.type == "PER" and " и " not in name:
            features["number_clashes"] = 1.0
        given = speakers.role_signatures.get(name) if self.role is not None else None
        if given is not None and given.office == self.role.office:
            features["role_matches_subject"] = 1.0
        agrees = self.role.agrees(given) if given is not None else None
        if agrees is not None:
            features["role_complement_agrees" if agrees else "role_complement_clashes"] = 1.0
        gender = speakers.gender_of_name.get(name)
        if self.cue_gender and gender:
            features["gender_agrees" if gender == self.cue_gender else "gender_clashes"] = 1.0
        if not tokens:
            features["not_near"] = 1.0
            return features
        features["near"] = 1.0
        head = head_token(tokens)
        units_back = self.anchor_unit - self.body.unit_of(tokens[0].start)
        if units_back == 0:
            features["same_unit"] = 1.0
            features["before_cue" if tokens[0].start < self.anchor else "after_cue"] = 1.0
        elif units_back > 0:
            features[f"units_back_{min(units_back, 3)}"] = 1.0
        else:
            features["units_ahead"] = 1.0
        if tokens[0].start < self.lead_end:
            features["in_lead"] = 1.0
        case = head.feats.get("Case") if head.feats else None
        if case in CASES:
            features[f"case_{case}"] = 1.0
        if self._is_subject(head):
            features["subject_of_cue"] = 1.0
            if self.citing:
                features["subject_of_citing_cue"] = 1.0
        if self.cue is not None and head.head_id == self.cue.id and head.rel in ("obj", "iobj") and self.citing:
            features["object_of_citing_cue"] = 1.0
        if any(t in self.found.phrase for t in tokens):
            features["in_cue_phrase"] = 1.0
        if head.rel in ("nsubj", "nsubj:pass") and tokens[0].start < self.found.start:
            governor = self.body.head(head)
            features["was_subject"] = 1.0
            if governor is not None and (governor.lemma or "") in speakers.lex.cues:
                features["was_subject_of_a_cue"] = 1.0
        if head.rel:
            features[f"rel_{_relation_group(head.rel)}"] = 1.0
        return features


def _relation_group(relation: str) -> str:
    if relation in ("nsubj", "nsubj:pass"):
        return "subject"
    if relation in ("obj", "iobj"):
        return "object"
    if relation in ("nmod", "obl"):
        return relation
    if relation in ("appos", "flat:name", "flat", "conj"):
        return "attached"
    return "other"


def _nobody_features(context: _Context) -> dict[str, float]:
    rule, cue, lex = context.rule, context.cue, context.speakers.lex
    features = {"nobody": 1.0, f"nobody:{context.subject_kind}": 1.0}
    if rule.speaker is None:
        features["nobody_by_rules"] = 1.0
    if cue is None:
        features["nobody_no_cue"] = 1.0
        return features
    if (cue.lemma or "") in lex.impersonal:
        features["nobody_impersonal_cue"] = 1.0
    if cue.feats and cue.feats.get("Number") == "Plur":
        features["nobody_plural_cue"] = 1.0
    if context.subject is None:
        features["nobody_no_subject"] = 1.0
    return features
