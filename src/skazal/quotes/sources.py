"""Sources: who passed the news on ("сообщает ТАСС", "по данным …", "сообщает его пресс-служба")."""

from __future__ import annotations

from natasha.doc import DocToken

from skazal.nlp import lemma_among
from skazal.quotes.body import Body
from skazal.quotes.lexicon import Lexicon
from skazal.quotes.names import normal
from skazal.quotes.speakers import SITE, Attribution, Speakers
from skazal.records import Source

REFERENCE_PREPOSITIONS = {"по", "согласно"}
REFERENCE_OPENERS = REFERENCE_PREPOSITIONS | {"со"}


def is_outlet(attribution: Attribution, phrase: list[DocToken], lex: Lexicon) -> bool:
    """A news outlet: a known name, or a subject headed by a word such as "газета", "агентство";
    never a person ("Главный редактор Regnum Виген Акопян подтвердил")."""
    if attribution.speaker is not None and attribution.speaker.type == "PER":
        return False
    if attribution.speaker is not None and normal(attribution.speaker.name) in lex.outlets:
        return True
    words = [t for t in phrase if t.pos != "PUNCT"]
    text = " ".join(t.text for t in words)
    if normal(text) in lex.outlets or any(normal(t.text).strip('«»"') in lex.outlets for t in words[:3]):
        return True
    heads = [t for t in words if t.pos in ("NOUN", "PROPN")][:1]
    if any(normal(t.lemma) in lex.media for t in heads):
        return True
    if any(SITE.fullmatch(t.text) for t in words):
        return True
    return any(normal(t.text) in lex.outlet_words for t in words if t.text[:1].isupper())


def passes_news_on(
    cue: DocToken,
    attribution: Attribution,
    phrase: list[DocToken],
    lex: Lexicon,
    aside: bool = False,
    as_reported: bool = False,
) -> bool:
    """ "сообщает его пресс-служба", "пишет РБК", "как сообщал «Коммерсантъ»", "…, сообщила
    пресс-служба президента": a source, not a speaker. `aside` is a verb set off after the news
    ("…, сообщает NYT") or after "как"; `as_reported`, after "как" alone."""
    lemma = cue.lemma or ""
    if lemma not in lex.passing_on and lemma not in lex.speech:
        return False
    if is_outlet(attribution, phrase, lex):
        return True
    if lemma not in lex.passing_on:
        return False
    present = bool(cue.feats) and cue.feats.get("Tense") == "Pres"
    head = next((t for t in phrase if t.pos in ("NOUN", "PROPN")), None)
    # a press service passes the news on; an office, a staff or an administration speaks for itself
    press = head is not None and normal(head.lemma) in lex.press_services and normal(head.lemma).startswith("пресс-")
    if as_reported and _reported_earlier(cue) and head is not None and not _person_or_body(attribution, head, lex):
        # "Как ранее сообщал OBOZREVATEL", "Как сообщали «Кубанские новости»": an outlet recalling
        # its own or another's news, whatever its name
        return True
    # "…, сообщает «Маяк»": an organisation passing the news on as it happens.
    organisation = attribution.speaker is not None and attribution.speaker.type == "ORG"
    singular = bool(cue.feats) and cue.feats.get("Number") == "Sing"
    return press and (present or aside) or organisation and present and aside and singular


def _reported_earlier(cue: DocToken) -> bool:
    feats = cue.feats or {}
    return feats.get("Tense") == "Past" and feats.get("Aspect") == "Imp"


def _person_or_body(attribution: Attribution, head: DocToken, lex: Lexicon) -> bool:
    """A person, a role noun, or a body that speaks for itself ("Минздрав", "правительство")."""
    if attribution.speaker is not None and attribution.speaker.type == "PER":
        return True
    lemma = normal(head.lemma)
    return lemma in lex.roles or lex.names_a_body(lemma)


def source_of(attribution: Attribution, phrase: list[DocToken], body: Body) -> Source | None:
    if not phrase:
        return None
    start, end = phrase[0].start, phrase[-1].stop
    name = attribution.speaker.name if attribution.speaker else body.text[start:end]
    return Source(name=name, phrase=body.text[start:end], start=start, end=end)


def reference_sources(body: Body, speakers: Speakers, lex: Lexicon) -> list[Source]:
    """ "по данным Росстата", "по информации ТАСС", "согласно данным …" """
    found: list[Source] = []
    for sent in body.doc.sents:
        tokens = sent.tokens
        for at, token in enumerate(tokens[:-2]):
            if normal(token.text) not in REFERENCE_OPENERS:
                continue
            words = [normal(t.text) for t in tokens[at : at + 3]]
            if words == ["со", "ссылкой", "на"]:
                skip = 3
            elif words[0] in REFERENCE_PREPOSITIONS and lemma_among(tokens[at + 1], lex.source_nouns):
                skip = 2
            else:
                continue
            phrase = []
            for following in tokens[at + skip :]:
                if following.text in (",", ".", ":", ";", "!", "?") or following.pos in ("VERB", "SCONJ"):
                    break
                phrase.append(following)
            if not phrase:
                continue
            head = next((t for t in phrase if t.pos in ("NOUN", "PROPN")), phrase[0])
            attribution = speakers.attribute(head, phrase)
            source = source_of(attribution, phrase, body)
            if source is not None:
                start, end = token.start, phrase[-1].stop
                found.append(Source(source.name, body.text[start:end], start, end))
    return found
