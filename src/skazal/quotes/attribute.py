"""Reported speech in the body, attributed to its speakers."""

from __future__ import annotations

from dataclasses import replace

from natasha import Doc
from natasha.doc import DocToken

from skazal.nlp import models, tokens_with_lemma_among
from skazal.quotes.body import Body
from skazal.quotes.candidates import CITING, speaker_candidates
from skazal.quotes.direct import DirectFinder
from skazal.quotes.found import Found
from skazal.quotes.indirect import IndirectFinder, as_word
from skazal.quotes.interview import InterviewFinder
from skazal.quotes.lexicon import Lexicon, lexicon
from skazal.quotes.marks import CLOSERS, OPENERS, quoted_spans
from skazal.quotes.names import normal
from skazal.quotes.ranker import Chooser, speaker_ranker
from skazal.quotes.sources import is_outlet, passes_news_on, reference_sources, source_of
from skazal.quotes.speakers import Attribution, Speakers
from skazal.records import Article, Cue, Entity, Quote, Source

# "сообщается в группе «Мурманск»": where the news was published, a source rather than a speaker.
REPORTED_IN = "сообщается в"
# "— цитирует «Росбалт» канцлера": marks around a name after the verb
QUOTE_MARKS = frozenset(OPENERS + CLOSERS)
CITED_PRONOUNS = frozenset({"его", "ее", "её", "их"})
# what a citing verb quotes of someone: "приводит слова Валуева", "приводит выдержку из сообщения"
CITED_WORDS = frozenset({"слово", "выдержка", "цитата", "фрагмент", "отрывок"})


def find_quotes(
    article: Article, doc: Doc, entities: tuple[Entity, ...], chooser: Chooser | None = None
) -> tuple[tuple[Quote, ...], tuple[Source, ...]]:
    """Quotes of the body and the sources the page cites; `chooser` picks each quote's speaker
    among its candidates (the shipped ranker unless given)."""
    body = Body(article.body, doc)
    if not body.paragraphs or not body.tokens:
        return (), ()
    lex = lexicon()
    cues = _cue_tokens(body, lex)
    body.parse(_tokens_worth_parsing(body, cues))
    finder = DirectFinder(body, lex)
    direct = InterviewFinder(finder, article).find(finder.find())
    taken = [(f.start, f.end) for f in direct]
    # Names inside someone's words are no antecedents for a pronoun outside them. Marks are paired
    # within a paragraph: a mark left open («НК «Роснефть») must not hide the rest of the body;
    # words quoted over several paragraphs are among the direct quotes (`taken`).
    marked = [q for p in body.paragraphs for q in quoted_spans(body.text, p.start, p.end)]
    quoted = [(q.start, q.end) for q in marked] + taken
    speakers = Speakers(body, entities, lex, article.author, quoted=quoted, attributions=finder.attributions)
    sentences = sorted({body.sentence_of(t) for t in cues})
    indirect = IndirectFinder(body, lex, taken).find(sentences)
    sources, source_cues = _passing_on(body, speakers, lex, sentences)
    sources += reference_sources(body, speakers, lex)
    # words are needed: "…?»«, - сказал глава" (marks doubled by the page) closes on nothing
    said = [f for f in direct + indirect if any(c.isalnum() for c in f.text)]
    reported = [f for f in said if f.kind == "direct" or f.cue is None or f.cue.start not in source_cues]
    chooser = chooser or speaker_ranker()
    quotes, passed_on = _attributed(body, speakers, _outermost(reported, body), source_cues, chooser)
    return tuple(quotes), tuple(sorted(set(sources + passed_on), key=lambda s: (s.start, s.end)))


def _cue_tokens(body: Body, lex: Lexicon) -> list[DocToken]:
    words = lex.cues | lex.naming | lex.impersonal | lex.passing_on | lex.according_nouns | lex.source_nouns
    words |= lex.speaking_verbs
    return tokens_with_lemma_among(body.tokens, words)


def _tokens_worth_parsing(body: Body, cues: list[DocToken]) -> list[DocToken]:
    """Sentences with a cue or a colon are parsed at once (the parser is the slow part); the body
    parses any other sentence only when an attribution in it is looked at."""
    return cues + [t for t in body.tokens if t.text == ":"]


def _outermost(found: list[Found], body: Body) -> list[Found]:
    """Drop quotes nested in another, and "Об этом сообщил X" where the sentence has its own cue."""
    after_words = [f for f in found if f.cue is not None and body.unit_of(f.cue.start) > body.unit_of(f.end - 1)]
    found = [
        f for f in found if f not in after_words or not any(o is not f and f.start <= o.start < f.end for o in found)
    ]
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if not any(k.start <= f.start < k.end for k in kept):
            kept.append(f)
    return kept


def _head_of(phrase: tuple[DocToken, ...]) -> DocToken:
    ids = {t.id for t in phrase}
    for token in phrase:
        if token.head_id not in ids and token.pos in ("NOUN", "PROPN", "PRON", "DET"):
            return token
    return next((t for t in phrase if t.pos in ("NOUN", "PROPN", "PRON")), phrase[0])


def _resolve(body: Body, speakers: Speakers, found: Found) -> Attribution:
    if found.phrase:
        return speakers.attribute(_head_of(found.phrase), list(found.phrase))
    if found.cue is not None and _first_person(found.cue):
        return speakers.first_person(found.cue)
    cited = _cited(body, speakers, found.cue) if found.cue is not None else None
    if cited is not None:
        return cited
    for verb in (found.intro, found.cue):
        if verb is None:
            continue
        subject = speakers.subject_of(verb)
        if subject is not None and _cites_for_an_outlet(body, speakers, verb, subject):
            return Attribution()
        if subject is not None and _share_of_people(subject):
            # "Лишь 4% владельцев Prius заявили": some people, no one named
            return Attribution(anonymous=body.text[subject.start : body.subtree(subject)[-1].stop])
        if subject is not None:
            return speakers.attribute(subject, body.subtree(subject), verb)
    cue = found.cue
    if cue is None:
        return Attribution()
    impersonal = (cue.lemma or "") in speakers.lex.impersonal
    subject = None if impersonal else _inverted_subject(body, cue) or _stray_subject(body, cue, found)
    if subject is not None and _cites_for_an_outlet(body, speakers, cue, subject):
        return Attribution()
    if subject is not None:
        return speakers.attribute(subject, body.subtree(subject), cue)
    where = _where_said(body, speakers, cue)
    if where is not None:
        return where
    if impersonal or cue.feats and cue.feats.get("Number") == "Plur":
        return Attribution(anonymous=cue.text)
    return Attribution()


def _cited(body: Body, speakers: Speakers, cue: DocToken) -> Attribution | None:
    """ "— процитировали ее участники заседания", "приводит слова Валуева «Спорт-Экспресс»": whom a
    citing verb quotes speaks, whoever passes the words on."""
    passing_on = (cue.lemma or "") in speakers.lex.passing_on
    if (cue.lemma or "") not in CITING and not passing_on:
        return None
    for child in body.children(cue) if not passing_on else []:
        if child.rel == "nsubj":
            # "— приводит его «Росбалт»", "процитировали ее участники": the parser hangs the
            # quoted person's pronoun on the subject as its possessive
            owners = body.children(child)
            pronoun = next((c for c in owners if c.rel in ("det", "nmod") and normal(c.text) in CITED_PRONOUNS), None)
            if pronoun is not None and pronoun.start < child.start:
                attribution = speakers.attribute(pronoun, [pronoun], cue)
                if attribution.speaker is not None:
                    return attribution
    objects = [
        c for c in body.children(cue)
        if c.rel == "obj" and c.pos in ("NOUN", "PROPN", "PRON")
        # "приводит агентство ТАСС выдержки из заявления": the parser took the words for a second subject
        or c.rel == "nsubj" and normal(c.lemma or "") in CITED_WORDS
    ]
    if passing_on:
        # "— передает сообщение фонда РИА Новости": an outlet passing on a body's message
        objects = [c for c in objects if normal(c.lemma or "") in CITED_WORDS | speakers.lex.documents]
    if len(objects) > 1:
        # "цитирует «Вести.ru» министра": the parser took the outlet for an object too
        objects = [c for c in objects if not _names_an_outlet(body, speakers, c)] or objects
    for child in objects:
        if normal(child.lemma or "") in CITED_WORDS:
            # "приводит слова Валуева", "приводит его слова", "приводит выдержку из сообщения"
            owners = [
                c for c in body.children(child)
                if c.rel == "nmod" and c.pos in ("NOUN", "PROPN", "PRON")
                or c.rel == "det" and normal(c.text) in CITED_PRONOUNS
            ]
            if not owners:
                # "приводит «Интерфакс» выдержку из сообщения", the source hung on the verb
                after = body.tokens[body.token_index(child) + 1 : body.token_index(child) + 3]
                if len(after) < 2 or normal(after[0].text) != "из" or normal(after[1].lemma or "") not in (
                    speakers.lex.documents
                ):
                    return None
                owners = [after[1]]
            child = owners[0]
            if normal(child.lemma or "") in speakers.lex.documents and not any(
                c.rel == "nmod" for c in body.children(child)
            ):
                # "выдержку из сообщения": the message of the body whose words came just before
                body_before = speakers.just_quoted(cue.start, "ORG")
                return Attribution(body_before) if body_before else Attribution(anonymous=child.text)
        if passing_on and normal(child.lemma or "") in speakers.lex.documents:
            owners = [c for c in body.children(child) if c.rel == "nmod" and c.pos in ("NOUN", "PROPN")]
            if not owners:
                return None
            child = owners[0]
        phrase = [t for t in body.subtree(child) if not _in_an_outlet(speakers, t)] or [child]
        attribution = speakers.attribute(child, phrase, cue)
        return attribution if attribution.speaker is not None else None
    return None


def _in_an_outlet(speakers: Speakers, token: DocToken) -> bool:
    """A word of a news outlet's name ("фонда РИА Новости" parsed as one phrase)."""
    return any(
        p.start <= token.start < p.end and p.entity.type == "ORG" and normal(p.entity.name) in speakers.lex.outlets
        for p in speakers.placed
    )


def _cites_for_an_outlet(body: Body, speakers: Speakers, verb: DocToken, subject: DocToken) -> bool:
    """ "— цитирует Туктамышеву «Матч ТВ»": the outlet passes the words on, whom it quotes is
    left to the ranking. An outlet is a known one or a name in quotation marks («Спорт-Экспресс»)."""
    if (verb.lemma or "") not in CITING:
        return False
    return _names_an_outlet(body, speakers, subject)


def _share_of_people(subject: DocToken) -> bool:
    """ "4% владельцев", "половина опрошенных": a number or a share heads the subject."""
    return subject.pos == "NUM" or "%" in subject.text


def _names_an_outlet(body: Body, speakers: Speakers, noun: DocToken) -> bool:
    """A known outlet, or a name in quotation marks («Спорт-Экспресс»)."""
    phrase = body.subtree(noun)
    marks = [t for t in body.tokens_in(max(noun.start - 2, 0), noun.start) if t.text in OPENERS]
    return is_outlet(Attribution(), phrase, speakers.lex) or phrase[0].text in QUOTE_MARKS or bool(marks)


def _first_person(verb: DocToken) -> bool:
    """ "спрашиваю", "говорю": the tagger sometimes takes them for plurals; the dictionary knows."""
    forms = models().morph_vocab.parse(verb.text.lower())
    feats = forms[0].feats if forms else verb.feats or {}
    return feats.get("Person") == "1" and feats.get("Number") == "Sing"


def _inverted_subject(body: Body, cue: DocToken) -> DocToken | None:
    """A subject the parser missed after its verb ("сообщил близкий к пресс-службе Telegram-канал")."""
    if not cue.feats or cue.feats.get("VerbForm") != "Fin" or cue.feats.get("Number") == "Plur":
        return None
    sentence = body.doc.sents[body.sentence_of(cue)]
    for token in sentence.tokens:
        if token.start <= cue.start:
            continue
        if token.text in (",", ".", ":", ";", "—"):
            return None
        if token.text in QUOTE_MARKS:
            continue
        if token.pos in ("NOUN", "PROPN") and token.feats and token.feats.get("Case") == "Nom":
            return token
    return None


def _stray_subject(body: Body, cue: DocToken, found: Found) -> DocToken | None:
    """The nearest subject before the cue that the parser hung on another word, agreeing in number
    ("Присутствовавшая на заседании представитель Минздрава …, но сообщила"); never one of the
    quoted words themselves."""
    number = cue.feats.get("Number") if cue.feats else None
    sentence = body.doc.sents[body.sentence_of(cue)]
    before = [t for t in sentence.tokens if t.start < cue.start and not found.start <= t.start < found.end]
    for token in reversed(before):
        if token.rel in ("nsubj",) and token.pos in ("NOUN", "PROPN", "PRON"):
            if number is None or not token.feats or token.feats.get("Number") in (number, None):
                return token
            return None
    return None


# how a document's owner hangs on it: "в докладе S&P" (a foreign name in apposition), "в заявлении МВД"
OWNER_RELATIONS = ("nmod", "appos", "flat", "flat:foreign")


def _where_said(body: Body, speakers: Speakers, cue: DocToken) -> Attribution | None:
    """ "В пресс-службе Mail.ru рассказали", "говорится в заявлении МВД": the body named by the place."""
    for child in body.children(cue):
        if child.rel != "obl" or not any(normal(c.text) == "в" for c in body.children(child)):
            continue
        if (cue.lemma or "") in speakers.lex.reported_in:
            return Attribution(anonymous=REPORTED_IN)
        phrase = _without_preposition(body, child)
        if speakers.names_a_place(child):
            # "в США уверены", "в Сингапуре прогнозируют": a vague group of a place, no speaker
            return Attribution(anonymous=body.text[phrase[0].start : phrase[-1].stop])
        if normal(child.lemma) in speakers.lex.documents:
            owners = [c for c in body.children(child) if c.rel in OWNER_RELATIONS] or _sent_by(body, child)
            if not owners and normal(child.lemma) in speakers.lex.interviews:
                placed = speakers.protagonist(cue.start, None)
                return Attribution(speakers.speaker_for(placed)) if placed else None
            if not owners:
                return None
            child = owners[0]
            phrase = _without_preposition(body, child)
        attribution = speakers.attribute(child, phrase, cue)
        if attribution.speaker is not None:
            return attribution
    return None


def _without_preposition(body: Body, noun: DocToken) -> list[DocToken]:
    return [t for t in body.subtree(noun) if t.rel != "case" or t.head_id != noun.id]


def _sent_by(body: Body, document: DocToken) -> list[DocToken]:
    """ "в комментарии, который РБК получил от областного департамента": who the document came from."""
    clause = next((c for c in body.children(document) if c.rel == "acl:relcl"), None)
    if clause is None:
        return []
    # read in order, not from the parse: the parser often hangs "от …" outside the clause
    after = [t for t in body.doc.sents[body.sentence_of(clause)].tokens if t.start > clause.start]
    for at, token in enumerate(after):
        if normal(token.text) == "от":
            return next(([t] for t in after[at + 1 : at + 4] if t.pos in ("NOUN", "PROPN")), [])
        if token.text in ",.;:":
            break
    return []


def _passing_on(body: Body, speakers: Speakers, lex: Lexicon, sentences: list[int]) -> tuple[list[Source], set[int]]:
    """Outlets and press services passing the news on, and the offsets of their verbs."""
    sources: list[Source] = []
    cues: set[int] = set()
    for index in sentences:
        tokens = body.doc.sents[index].tokens
        for at, token in enumerate(tokens):
            if (token.lemma or "") not in lex.passing_on and (token.lemma or "") not in lex.speech:
                continue
            subject = speakers.subject_of(token)
            if subject is None:
                continue
            phrase = body.subtree(subject)
            attribution = speakers.attribute(subject, phrase)
            before = as_word(tokens, at)
            aside = before is not None and (normal(before.text) == "как" or before.text == ",")
            aside = aside or normal(tokens[0].text) in ("об", "о")
            as_reported = before is not None and normal(before.text) == "как"
            if passes_news_on(token, attribution, phrase, lex, aside, as_reported):
                source = source_of(attribution, phrase, body)
                if source is not None:
                    start, end = min(token.start, source.start), max(token.stop, source.end)
                    sources.append(Source(source.name, body.text[start:end], start, end))
                    cues.add(token.start)
    return sources, cues


def _attributed(
    body: Body, speakers: Speakers, found: list[Found], source_cues: set[int], chooser: Chooser
) -> tuple[list[Quote], list[Source]]:
    quotes: list[Quote] = []
    sources: list[Source] = []
    last: tuple[Found, Attribution] | None = None
    for i, f in enumerate(found):
        if f.cue is not None and f.cue.start in source_cues and f.kind != "direct":
            continue
        if f.inherits and (last is None or body.paragraph_at(f.start) - body.paragraph_at(last[0].end) not in (0, 1)):
            following = _attributed_next(body, f, found[i + 1 :])
            if following is None:
                continue
            f = replace(f, cue=following.cue, intro=following.intro, phrase=following.phrase, inherits=False)
        if f.inherits:
            attribution = last[1]
        else:
            attribution = _resolve(body, speakers, f)
            if _open_to_ranking(f, attribution, speakers.lex):
                previous = last[1].speaker if last is not None else None
                candidates = speaker_candidates(body, speakers, f, attribution, previous)
                attribution = chooser(f, candidates).attribution()
        source = _outlet_source(body, speakers, f, attribution) or _reported_in(body, f, attribution)
        if source is not None:
            sources.append(source)
            continue
        confidence = f.confidence if attribution.resolved else f.confidence / 2
        cue = (
            Cue(lemma=f.cue.lemma or f.cue.text, form=f.cue.text, start=f.cue.start, end=f.cue.stop) if f.cue else None
        )
        quotes.append(
            Quote(
                kind=f.kind,
                text=f.text,
                start=f.start,
                end=f.end,
                cue=cue,
                speaker=attribution.speaker,
                anonymous_description=attribution.anonymous,
                confidence=round(confidence, 2),
            )
        )
        last = (f, attribution)
        speakers.remember(attribution.speaker, f.start, f.end)
    return quotes, sources


def _attributed_next(body: Body, words: Found, after: list[Found]) -> Found | None:
    """ "«Они оба очень хорошо разбираются в тактике …»" then "«Философия игры … похожи», — приводит слова
    Зинченко сайт УАФ": paragraphs of words in quotation marks with no one quoted before them are the
    speaker's whose attributed words in quotation marks make the paragraph that ends them."""

    def opens(found: Found) -> bool:
        start = body.paragraphs[body.paragraph_at(found.start)].start
        return body.text[start : found.start].strip() in tuple(OPENERS)

    if not opens(words):
        return None
    previous = words
    for following in after:
        if body.paragraph_at(following.start) - body.paragraph_at(previous.end) != 1 or following.kind != "direct":
            return None
        if not opens(following):
            return None
        if following.cue is not None and not following.inherits:
            return following
        if not following.inherits:
            return None
        previous = following
    return None


def _open_to_ranking(found: Found, attribution: Attribution, lex: Lexicon) -> bool:
    """The ranker weighs every answer of the rules but those that the words settle: a speaker's
    label before the words (an interview, a vox pop), a cue in the first person (the author asks),
    a press service ("пресс-служба Бердымухамедова" speaks, not its owner), and a subject that names
    nobody ("источник", "следователи", "Уточняется, что"; "сообщается в …" names a place of
    publication, a source)."""
    if attribution.anonymous is not None or found.cue is None and found.phrase:
        return False
    speaker = attribution.speaker
    if speaker is not None and normal(speaker.name.split()[0]) in lex.press_services:
        return False
    return not (found.cue is not None and not found.phrase and _first_person(found.cue))


def _reported_in(body: Body, found: Found, attribution: Attribution) -> Source | None:
    if attribution.anonymous != REPORTED_IN or found.cue is None:
        return None
    sentence_end = body.sentence_span(body.sentence_of(found.cue))[1]
    start, end = found.cue.start, min(sentence_end, body.paragraphs[body.paragraph_at(found.cue.start)].end)
    phrase = body.text[start:end].rstrip(" .")
    place = phrase.split(" в ", 1)[-1] if " в " in phrase else phrase
    return Source(name=place, phrase=phrase, start=start, end=start + len(phrase))


def _outlet_source(body: Body, speakers: Speakers, found: Found, attribution: Attribution) -> Source | None:
    """Reported words whose "speaker" is a news outlet passing them on ("по утверждению Der Spiegel")."""
    mention = attribution.speaker.mention if attribution.speaker else None
    if found.kind == "direct" or found.cue is None or mention is None:
        return None
    lex = speakers.lex
    if (found.cue.lemma or "") not in lex.passing_on | lex.according_nouns | lex.speech:
        return None
    phrase = body.tokens_in(mention.start, mention.end)
    if not is_outlet(attribution, phrase, lex):
        return None
    return Source(attribution.speaker.name, mention.text, mention.start, mention.end)
