"""Reported speech: "Он отметил, что …", "По словам министра, …", "Как заявил …, …", "назвал X «Y»"."""

from __future__ import annotations

import re
from dataclasses import replace

from natasha.doc import DocToken

from skazal.quotes.body import Body
from skazal.quotes.found import Found
from skazal.quotes.lexicon import Lexicon
from skazal.quotes.marks import OPENERS, Quoted, quoted_spans
from skazal.quotes.names import normal

# What may stand between a cue and its clause: "сообщил журналистам, что", "сказал о том, что".
_ANNOUNCED = re.compile(r"[^.!?;«»\"—:,]{0,60}?:\s+")
_BRIDGE = re.compile(r"[^.!?;«»\"—:]{0,80}?,\s*(?:о\s+том,\s*)?")
_TRAILING = re.compile(r"[\s.,:;!?…—–-]+$")
# "INTERFAX.RU - …", "МОСКВА, 4 янв — РИА Новости. …": the outlet's dateline, not what was said.
_DATELINE = re.compile(
    r"\s*(?:[A-ZА-ЯЁ]{2,}\.[A-ZА-ЯЁ]{2,}|[A-ZА-ЯЁ]{3,},\s*\d[^.—–]{0,25})\s+[—–-]\s+(?:[^.]{0,30}\.\s+)?"
)
# "По предварительной информации, …": where the news came from, not what was said.
_REFERENCE_OPENING = re.compile(
    r"\s*(?:по\s+(?:\w+\s+){0,2}(?:данным|информации|сведениям)|согласно\s+(?:\w+\s+)?данным)[^,]{0,80},\s*",
    re.IGNORECASE,
)
_COMMA_TAIL = re.compile(r",\s*(?:(?:и|а|но|однако|при этом)\s+)?$")
_COMMA_RIGHT_BEFORE = re.compile(r",\s*$")
_CONJUNCTION_TAIL = re.compile(r"\s+(?:и|а|но|однако)\s+$")
# what ends the speaker's phrase after "по словам" (an opening bracket too, unless it holds a site)
PHRASE_STOPS = (",", ".", ":", "!", "?", "-", "—", "–")
_HOW_BRIDGE = re.compile(r"\s*(?:\w+\s+)?(?:о\s+том)?\s*,\s*")
_COLON_BEFORE = re.compile(r"\s*:\s*$")
_COLON_AFTER = re.compile(r"\s*:\s*")
_CONJUNCTION_BEFORE = re.compile(r",?\s+(?:и|а\s+также|а|и\s+также|но)\s+(?:\w+\s+){0,2}$")
MIN_CLAUSE_WORDS = 2
MIN_MIXED_WORDS = 1
MIN_UTTERANCE_WORDS = 4
POSSESSIVES = ("его", "ее", "их")
DASHES = ("-", "—", "–")
MAX_ABOUT_THIS_WORDS = 16
# ", продолжает Навальный,": a cue and its subject set off by commas inside the words
MAX_ASIDE_WORDS = 6
TAIL_CONJUNCTIONS = frozenset({"поэтому", "а", "но", "однако", "причем", "хотя", "тогда"})
ABOUT_WHAT_WAS_SAID = frozenset(
    {"этом", "том", "нем", "нём", "ней", "них", "случившемся", "произошедшем", "происшедшем", "случившимся"}
)
SUCH = frozenset({"такой", "таком", "такого", "такие", "таких", "подобном", "подобной", "подобных", "этой", "этих"})
_COLON_AFTER_CUE = re.compile(r"[^.!?:«»\"]{0,60}:\s*[«\"„“]")
DEMONSTRATIVES = ("такое", "такой", "такую", "такие", "такого", "так", "это", "эти", "этот", "эту")


def _editorial(cue: DocToken, body: Body) -> bool:
    """ "Стоит отметить, что", "Напомним, что", "Заметим": the outlet speaking, not a quote
    ("успел рассказать, что" has a subject, and is one)."""
    feats = cue.feats or {}
    if feats.get("VerbForm") == "Inf":
        head = body.head(cue)
        return head is None or not any(c.rel == "nsubj" for c in body.children(head))
    return feats.get("Person") == "1" or feats.get("Mood") == "Imp"


def _finite_or_short(cue: DocToken) -> bool:
    """A finite verb, or a short adjective of opinion ("…, уверен губернатор")."""
    feats = cue.feats or {}
    return feats.get("VerbForm") == "Fin" or cue.pos == "ADJ" and feats.get("Variant") == "Short"


def _opinion_of_someone(cue: DocToken, body: Body) -> bool:
    """ "уверен губернатор", not "уверен в себе был только вратарь" (an adjective with its own object)."""
    if cue.pos != "ADJ":
        return True
    return not any(c.rel in ("obl", "cop") for c in body.children(cue))


def as_word(tokens: list[DocToken], at: int) -> DocToken | None:
    """The "как" of "как заявил" or of "как сейчас вспоминает" (one adverb between), else the word before."""
    if at >= 2 and tokens[at - 1].pos == "ADV" and normal(tokens[at - 2].text) == "как":
        return tokens[at - 2]
    return tokens[at - 1] if at > 0 else None


def _short_aside(tokens: list[DocToken], at: int) -> int | None:
    """Where the brackets opened at `at` close, when they hold a few words and no verb (a site, an
    abbreviation) and the phrase goes on after them; else None."""
    if at >= len(tokens) or tokens[at].text != "(":
        return None
    closing = next((i for i in range(at + 1, min(at + 8, len(tokens))) if tokens[i].text == ")"), None)
    if closing is None or any(t.pos in ("VERB", "AUX") for t in tokens[at + 1 : closing]):
        return None
    following = tokens[closing + 1 : closing + 2]
    return closing if following and following[0].text not in (",", ".", ":", "!", "?") else None


def _past_named_apposition(after: list[DocToken], stop: int) -> int:
    """ "По словам одного из руководителей исследования - доктора Роды Ау, …": a dash that names the
    person in the same case goes on with the speaker's phrase; the words begin after the next comma."""
    if stop >= len(after) or after[stop].text not in DASHES:
        return stop
    end = next((i for i in range(stop + 1, len(after)) if after[i].text in PHRASE_STOPS), None)
    named = after[stop + 1 : end] if end is not None else []
    if not named or len(named) > MAX_ASIDE_WORDS or any(t.pos not in ("NOUN", "PROPN", "ADJ") for t in named):
        return stop
    if not any(t.pos == "PROPN" and (t.feats or {}).get("Case") == "Gen" for t in named):
        return stop
    return end


def _title_after_speaker(rest: list[DocToken], opening: int) -> bool:
    """A name in «» after the speaker's own ("…, заявил министр Денис Мантуров в программе «Москва.
    Кремль. Путин»"): a nominative before the mark, a capital after it."""
    named = any(t.pos in ("NOUN", "PROPN") and (t.feats or {}).get("Case") == "Nom" for t in rest[:opening])
    return named and opening + 1 < len(rest) and rest[opening + 1].text[:1].isupper()


def _after_initial(tokens: list[DocToken], i: int) -> bool:
    """The full stop of an initial ("Н.Прянишникова"), not the end of a phrase."""
    return tokens[i].text == "." and i > 0 and len(tokens[i - 1].text) == 1 and tokens[i - 1].text.isupper()


class IndirectFinder:
    def __init__(self, body: Body, lex: Lexicon, taken: list[tuple[int, int]]) -> None:
        self.body = body
        self.lex = lex
        self.taken = taken
        # a cue joined to an earlier one ("опроверг …, и заявил, что"), by offset: the earlier one
        self.joined_to: dict[int, DocToken] = {}

    def _is_taken(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.taken)

    def _sentence_bounds(self, token: DocToken) -> tuple[int, int]:
        """The sentence holding `token`, kept within its paragraph (a colon may join two for natasha)."""
        start, end = self.body.sentence_span(self.body.sentence_of(token))
        paragraph = self.body.paragraphs[self.body.paragraph_at(token.start)]
        return max(start, paragraph.start), min(end, paragraph.end)

    def _cut(self, start: int, end: int, cue: DocToken) -> int:
        """Where the clause of `cue` ends: before a next cue ("…, добавив, что …") or a verb
        coordinated with the cue ("…, и подтвердил готовность …"), also where the parser hangs that
        verb inside the clause ("…, и заявил, что …": a cue of the same speaker with a clause of its own)."""
        for token in self.body.tokens_in(start, end):
            next_cue = token.feats and token.feats.get("VerbForm") == "Conv" and (token.lemma or "") in self.lex.cues
            coordinated = token.head_id == cue.id and token.rel == "conj" and token.pos == "VERB"
            if not coordinated and self._same_speakers_next_cue(token, cue):
                self.joined_to[token.start] = cue
                coordinated = True
            if not (next_cue or coordinated) and self._attribution_tail(token, end):
                # "…, то же можно сказать и про антисептики, пишет «Россия-1»": who passed it on; a
                # comma before the clause itself ("…, пишет X" opening it) cuts nothing
                comma = self.body.text.rfind(",", max(start, token.start - 8), token.start)
                if comma >= 0:
                    return comma
            if next_cue or coordinated:
                tail = _COMMA_TAIL.search(self.body.text, start, token.start)
                if tail is None and coordinated and (token.lemma or "") in self.lex.cues:
                    # "…, и еще раз напомнила, что …": words may stand between "и" and the cue
                    tail = _CONJUNCTION_TAIL.search(self.body.text, start, token.start) or _CONJUNCTION_BEFORE.search(
                        self.body.text, max(start, token.start - 24), token.start
                    )
                if tail is None and token.start in self.joined_to:
                    tail = _CONJUNCTION_BEFORE.search(self.body.text, max(start, token.start - 24), token.start)
                if tail:
                    return tail.start()
        return end

    def _attribution_tail(self, token: DocToken, end: int) -> bool:
        """A finite cue after a comma with only its subject after it, to the end of the clause
        (", передает ТАСС", ", говорят эксперты"): a second attribution, not the speaker's words."""
        if token.pos != "VERB" or (token.feats or {}).get("VerbForm") != "Fin" or not self._is_cue(token):
            return False
        if not _COMMA_RIGHT_BEFORE.search(self.body.text, max(0, token.start - 8), token.start):
            return False
        rest = [t for t in self.body.tokens_in(token.stop, end) if t.pos != "PUNCT"]
        if not rest or len(rest) > MAX_ASIDE_WORDS or any(t.pos in ("VERB", "AUX", "SCONJ") for t in rest):
            return False
        return any(t.pos in ("NOUN", "PROPN") and (t.feats or {}).get("Case") == "Nom" for t in rest)

    def _same_speakers_next_cue(self, token: DocToken, cue: DocToken) -> bool:
        """ "…, и заявил, что": a finite cue that agrees with `cue`, after "и" or "а также", with
        a clause of its own."""
        if token.pos != "VERB" or (token.lemma or "") not in self.lex.cues or cue.pos != "VERB":
            return False
        feats, cue_feats = token.feats or {}, cue.feats or {}
        agreeing = all(feats.get(k) == cue_feats.get(k) for k in ("Number", "Gender", "Tense"))
        if feats.get("VerbForm") != "Fin" or not agreeing:
            return False
        if not _CONJUNCTION_BEFORE.search(self.body.text, max(0, token.start - 24), token.start):
            return False
        # "…, но не сообщил, кому именно": a question of its own ends the clause too
        return self._opens_clause(token, min(len(self.body.text), token.stop + 120), questions=True)

    def _opens_clause(self, verb: DocToken, end: int, questions: bool = False) -> bool:
        """`verb` goes on to a clause of its own before `end`: ", что …" ("…, кому …" with `questions`)."""
        bridge = _BRIDGE.match(self.body.text, verb.stop, end)
        following = self.body.tokens_in(bridge.end(), bridge.end() + 20)[:1] if bridge else []
        if not following:
            return False
        opening = {normal(following[0].text), normal(following[0].lemma or "")}
        return bool(opening & (self.lex.complementisers | (self.lex.interrogatives if questions else frozenset())))

    def _words_after_colon(self, start: int, end: int) -> Quoted | None:
        """ "…, что россияне проявляют интерес к программе: «Уже тысячи заявок …»": whole words of
        the speaker in quotation marks after a colon, closing the clause."""
        text = self.body.text
        for quoted in quoted_spans(text, start, end):
            colon = _COLON_BEFORE.search(text, start, quoted.start)
            inner = text[quoted.inner[0] : quoted.inner[1]].lstrip()
            if colon and inner[:1].isupper() and len(inner.split()) >= MIN_UTTERANCE_WORDS:
                if not text[quoted.end : end].strip(" .!?…"):
                    return quoted
        return None

    def _clause(self, start: int, end: int, cue: DocToken) -> tuple[int, int, str] | None:
        end = self._cut(start, end, cue)
        words = self._words_after_colon(start, end)
        if words is not None:
            end = _COLON_BEFORE.search(self.body.text, start, words.start).start()
        for opening in (_DATELINE, _REFERENCE_OPENING):
            found = opening.match(self.body.text, start, end)
            if found:
                start = found.end()
        text = _TRAILING.sub("", self.body.text[start:end])
        start += len(text) - len(text.lstrip())
        text = text.strip()
        if len(text.split()) < MIN_CLAUSE_WORDS:
            return None
        return start, start + len(text), text

    def kind_of(self, start: int, end: int, naming: bool = False) -> str:
        """Mixed when the clause embeds someone's own words in quotation marks: a phrase in lower
        case, or a longer stretch that is no title after its noun ("программы «Будущее - в глазах
        детей»"); a name or a lone word does not count, except after "назвал"."""
        for quoted in quoted_spans(self.body.text, start, end):
            inner = self.body.text[quoted.inner[0] : quoted.inner[1]].strip()
            words = len(inner.split())
            if not inner:
                continue
            before = self.body.tokens_in(max(quoted.start - 40, start), quoted.start)
            titled = bool(before) and before[-1].pos in ("NOUN", "PROPN")
            # "под определение «блогер»": a term after the noun that names it, not words said
            term = titled and words == 1 and not naming and normal(before[-1].lemma or "") in self.lex.term_nouns
            if inner[0].islower() and (naming or words >= MIN_MIXED_WORDS) and not term:
                return "mixed"
            if naming:
                continue
            if words >= MIN_UTTERANCE_WORDS and not titled:
                return "mixed"
        return "indirect"

    def _found(
        self, start: int, end: int, cue: DocToken, phrase: tuple[DocToken, ...] = (), confidence: float = 0.75
    ) -> Found | None:
        clause = self._clause(start, end, cue)
        if clause is None:
            return None
        a, b, text = clause
        if any(a < end and start < b for start, end in self.taken):
            return None
        kind = self.kind_of(a, b, naming=(cue.lemma or "") in self.lex.naming)
        intro = self.joined_to.get(cue.start)
        return Found(kind, text, a, b, cue=cue, phrase=phrase, intro=intro, confidence=confidence)

    def after_verb(self, cue: DocToken) -> Found | None:
        """ "заявил, что …", "спросил, сколько …", "назвал X «Y»" """
        _, sentence_end = self._sentence_bounds(cue)
        lemma = cue.lemma or ""
        text = self.body.text
        if lemma in self.lex.naming:
            found = self._found(cue.stop, sentence_end, cue)
            return found if found and found.kind == "mixed" else None
        announced = _ANNOUNCED.match(text, cue.stop, sentence_end)
        if announced and text[announced.end() : announced.end() + 1] not in '«"„“—–-':
            # "указал на следующее противоречие: весь год звучат заклинания …", not a title after a
            # colon ("рассказал в своей книге The Outsider: My Life")
            said = any(t.pos in ("VERB", "AUX") for t in self.body.tokens_in(announced.end(), sentence_end))
            return self._found(announced.end(), sentence_end, cue) if said else None
        bridge = _BRIDGE.match(text, cue.stop, sentence_end)
        if not bridge:
            return None
        words = text[bridge.end() : sentence_end].split(maxsplit=1)
        if not words:
            return None
        first = normal(words[0].strip(',«"'))
        if first in self.lex.complementisers:
            return self._found(bridge.end() + len(words[0]), sentence_end, cue)
        if lemma in self.lex.question and first in self.lex.interrogatives:
            return self._found(bridge.end(), sentence_end, cue)
        second = normal(words[1].split(maxsplit=1)[0]) if len(words) > 1 else ""
        if lemma in self.lex.question and second == "ли":
            # "спрашивали, прекратит ли он строительство"
            return self._found(bridge.end(), sentence_end, cue)
        told = first == "как" and self._tells_how(cue, bridge)
        if told and self._finite_after(bridge.end() + len(words[0]), sentence_end):
            # "рассказал о том, как на ассамблее обсуждали …": how it went, as told
            return self._found(bridge.end() + len(words[0]), sentence_end, cue)
        return None

    def _tells_how(self, cue: DocToken, bridge: re.Match[str]) -> bool:
        """ "рассказал, как" or "рассказал журналистам о том, как": a speech verb said (not "объяснит",
        not "обещая его предоставить …, как придет время") right before its "как"."""
        feats = cue.feats or {}
        said = feats.get("VerbForm") == "Fin" and feats.get("Tense") in ("Past", "Pres")
        # "предлагал поговорить о том, как …": a topic proposed, not something told
        following = self.body.tokens_in(cue.stop, bridge.end())[:1]
        if following and (following[0].feats or {}).get("VerbForm") == "Inf":
            return False
        return said and (cue.lemma or "") in self.lex.speech and _HOW_BRIDGE.fullmatch(bridge.group()) is not None

    def _finite_after(self, start: int, end: int) -> bool:
        """The words go on with a finite verb ("…, как началась работа"), not "…, как не заразиться"."""
        verbs = [t for t in self.body.tokens_in(start, end)[:16] if t.pos in ("VERB", "AUX")]
        return bool(verbs) and (verbs[0].feats or {}).get("VerbForm") == "Fin"

    def as_said(self, cue: DocToken, previous: DocToken | None) -> Found | None:
        """ "Как заявил министр, …" and "…, как заявил министр." """
        if previous is None or normal(previous.text) != "как":
            return None
        start, end = self._sentence_bounds(cue)
        text = self.body.text
        if not text[start : previous.start].strip(" —–-"):
            comma = text.find(",", cue.stop, end)
            return self._found(comma + 1, end, cue) if comma > 0 else None
        before = text[start : previous.start].rstrip()
        if not before.endswith(","):
            return None
        first = self._found(start, start + len(before) - 1, cue)
        comma = text.find(",", cue.stop, end)
        second = self._found(comma + 1, end, cue) if comma > 0 else None
        if first is None or second is None:
            return first
        # "Это решение было принято, как поясняли в министерстве, из-за запуска системы «Платон»"
        kind = "mixed" if "mixed" in (first.kind, second.kind) else "indirect"
        return replace(first, text=f"{first.text} … {second.text}", end=second.end, kind=kind)

    def _reports_another(self, start: int, end: int) -> bool:
        """ "По их словам, канцлер напомнила, что …": the words open with someone else's cue and
        its clause, and that cue gives the quote (its speaker is the one who said it)."""
        named = False  # "По ее словам, ей сообщили, что …": no one named, her words
        for token in self.body.tokens_in(start, end):
            if token.text in (",", ":", "«", '"') or token.pos == "PUNCT" and token.text not in ("-",):
                return False
            feats = token.feats or {}
            named = named or token.pos in ("NOUN", "PROPN") and feats.get("Case") == "Nom"
            # a speech verb only: "По мнению X, правительство понимает, что …" is X's opinion
            finite = token.pos == "VERB" and feats.get("VerbForm") == "Fin"
            if named and finite and (token.lemma or "") in self.lex.speech:
                return self._opens_clause(token, end)
        return False

    def according_to(self, noun: DocToken, tokens: list[DocToken], at: int) -> Found | None:
        """ "По словам министра, …", "…, по его мнению." """
        start, end = self._sentence_bounds(noun)
        text = self.body.text
        after = tokens[at + 1 :]
        stops = PHRASE_STOPS + ("(",)
        comma = next((i for i, t in enumerate(after) if t.text in stops and not _after_initial(after, i)), len(after))
        comma = _past_named_apposition(after, comma)
        bracketed: range = range(0)
        closing = _short_aside(after, comma)
        if closing is not None:
            # "по словам главного редактора «Рамблер-Новости» (news.rambler.ru) Максима Токарева, …"
            bracketed = range(comma, closing + 1)
            comma = next((i for i in range(closing + 1, len(after)) if after[i].text in PHRASE_STOPS), len(after))
        phrase = tuple(t for i, t in enumerate(after[:comma]) if t.pos != "PUNCT" and i not in bracketed)
        possessive = tuple(t for t in tokens[max(at - 2, 0) : at] if normal(t.text) in POSSESSIVES)
        speaker = possessive or phrase
        if not speaker:
            return None
        opening = tokens[at - 1 - len(possessive)] if at > len(possessive) else None
        before = text[start : opening.start if opening else noun.start]
        if before.rstrip().endswith("("):
            # "(по оценке аналитика БКС, на него приходится 70% займов)": the words end with the brackets
            closing = text.find(")", noun.stop, end)
            end = closing if closing > 0 else end
            before = ""
        if (
            not before.strip()
            or before.rstrip().endswith((",", ":"))
            or normal(before.split()[-1]) in ("а", "и", "но", "где")
        ):
            if possessive and after and after[0].text not in stops:
                # "По его словам тест начали разрабатывать …": no comma after the owner, the words follow it
                return self._found(noun.stop, end, noun, speaker, 0.75)
            if comma >= len(after):
                return None
            clause_start = after[comma].stop
            if after[comma].text == "(":
                # "по словам представителя Сбербанка (…), ставка …": the words go on after the brackets
                closing = next((i for i in range(comma, len(after)) if after[i].text == ")"), None)
                if closing is None:
                    return None
                clause_start = after[closing].stop
                if text[clause_start:end].lstrip().startswith(","):
                    clause_start = text.index(",", clause_start) + 1
            if self._reports_another(clause_start, end):
                return None
            if before.strip() and before.rstrip().endswith(","):
                return self._found(clause_start, end, noun, speaker, 0.8) or self._found(
                    start, start + len(before.rstrip()) - 1, noun, speaker, 0.7
                )
            return self._found(clause_start, end, noun, speaker, 0.8)
        stripped = before.rstrip()
        if stripped.endswith(","):
            return self._found(start, start + len(stripped) - 1, noun, speaker, 0.75)
        return None

    def before_verb(self, cue: DocToken, tokens: list[DocToken], at: int) -> Found | None:
        """ "Малайзия не хочет конфликтовать с Китаем, заявил её премьер-министр." """
        if at < 2 or tokens[at - 1].text != "," or not _finite_or_short(cue):
            return None
        if not _opinion_of_someone(cue, self.body):
            return None
        start, end = self._sentence_bounds(cue)
        if normal(tokens[0].text) in ("о", "об"):
            # "Об отказе Москвы …, в субботу, сообщил Песков": what he spoke about, not his words
            return None
        if normal(tokens[0].text) == "по" and not any(t.text == "," for t in tokens[1 : at - 1]) and at > 1 and (
            normal(tokens[1].lemma or tokens[1].text) in self.lex.according_nouns
        ):
            # "По словам экспертов, замечают люди …": the attribution of the words after the verb, not words
            return None
        rest = self._up_to_next_cue([t for t in tokens[at + 1 :] if t.start < end])
        if not any(t.pos in ("NOUN", "PROPN", "PRON") for t in rest) or any(t.text == ":" for t in rest):
            return None
        opening = next((i for i, t in enumerate(rest) if t.text == "«"), None)
        if opening is not None and not _title_after_speaker(rest, opening):
            # "…, заявил он «…»": words of his own follow
            return None
        if any(normal(t.text) in self.lex.complementisers for t in rest):
            return None
        subjects = [c for c in self.body.children(cue) if c.rel in ("nsubj", "nsubj:pass")]
        nominative = any(t.pos in ("NOUN", "PROPN") and t.feats and t.feats.get("Case") == "Nom" for t in rest)
        if any(c.start < cue.start for c in subjects) or not subjects and not nominative and not self._said_in(cue):
            return None
        start = self._after_passing_on(tokens, at, start)
        if self._passes_on_words_of_another(cue, subjects, tokens[:at]):
            return None
        found = self._found(start, tokens[at - 1].start, cue, confidence=0.7)
        return self._goes_on_after_aside(found, rest, end) if found is not None else None

    def _said_in(self, cue: DocToken) -> bool:
        """ "…, сообщили в мэрии": a plural cue with no subject, said in a body; "…, сообщили в пресс-службе"
        names a source, as "сообщает пресс-служба" does."""
        if (cue.feats or {}).get("Number") != "Plur":
            return False
        passing_on = (cue.lemma or "") in self.lex.passing_on
        return any(
            c.rel == "obl"
            and c.start > cue.start
            and any(normal(g.text) == "в" for g in self.body.children(c))
            and not (passing_on and normal(c.lemma or "") in self.lex.press_services)
            for c in self.body.children(cue)
        )

    def _passes_on_words_of_another(self, cue: DocToken, subjects: list[DocToken], words: list[DocToken]) -> bool:
        """ "По мнению предсказателя, Сирию ждет …, сообщают «Вести.ru»": an outlet, not a person, passes on
        words that carry their own speaker ("по мнению …", "по словам …"); "…, сообщил представитель" speaks."""
        if (cue.lemma or "") not in self.lex.passing_on:
            return False
        if any(normal(s.lemma or "") in self.lex.roles or (s.feats or {}).get("Animacy") == "Anim" for s in subjects):
            return False
        return any(
            i > 0 and normal(words[i - 1].text) == "по" and normal(t.lemma or t.text) in self.lex.according_nouns
            for i, t in enumerate(words)
        )

    def _after_passing_on(self, tokens: list[DocToken], at: int, start: int) -> int:
        """ "Как сообщал OBOZREVATEL, в Украине начнут …, отметил министр": the words begin after the
        outlet's clause, which is the writer's reporting."""
        if len(tokens) < 4 or normal(tokens[0].text) != "как" or tokens[0].start != start:
            return start
        if normal(tokens[1].lemma or tokens[1].text) not in self.lex.passing_on:
            return start
        comma = next((i for i in range(2, min(at - 1, 8)) if tokens[i].text == ","), None)
        return tokens[comma + 1].start if comma is not None else start

    def _up_to_next_cue(self, rest: list[DocToken]) -> list[DocToken]:
        """The words after a cue up to a second cue set off by a comma ("…, считает канцлер Ангела
        Меркель, пишут «Ведомости»": what follows "пишут" is not the speaker's phrase)."""
        for i in range(1, len(rest)):
            if rest[i - 1].text == "," and rest[i].pos == "VERB" and self._is_cue(rest[i]):
                return rest[: i - 1]
        return rest

    def _goes_on_after_aside(self, found: Found, rest: list[DocToken], end: int) -> Found:
        """ "Следственные органы западных стран, продолжает Навальный, должны расследовать …": the
        cue set off by commas mid-sentence; the words go on after it, joined with " … "."""
        comma = next((i for i, t in enumerate(rest) if t.text == ","), None)
        if comma is None or any(t.pos in ("VERB", "AUX") or normal(t.text) == "ли" for t in rest[:comma]):
            return found
        aside = rest[:comma]
        named = any(t.pos in ("NOUN", "PROPN", "PRON") and (t.feats or {}).get("Case") == "Nom" for t in aside)
        if len(aside) > MAX_ASIDE_WORDS or not named:
            return found
        head = self.body.tokens_in(found.start, found.end)
        if not head or head[0].text in OPENERS:
            return found
        if any(normal(t.text) in self.lex.complementisers or self._is_cue(t) for t in head):
            return found
        tail = [t for t in rest[comma + 1 :] if t.start < end]
        # the words end where the writer's own clause begins (", поэтому ЦБ повысил прогноз")
        joined_on = next(
            (i for i in range(1, len(tail)) if tail[i - 1].text == "," and normal(tail[i].text) in TAIL_CONJUNCTIONS),
            None,
        )
        tail = tail[: joined_on - 1] if joined_on else tail
        if len(tail) < 2 or not any(t.pos in ("VERB", "AUX") for t in tail):
            return found
        text = self.body.text
        tail_start, tail_end = tail[0].start, tail[-1].stop
        while tail_end > tail_start and text[tail_end - 1] in ".!?…":
            tail_end -= 1
        if any(tail_start < b and a < tail_end for a, b in self.taken):
            return found
        joined = f"{found.text} … {text[tail_start:tail_end]}"
        return replace(found, text=joined, end=tail_end, kind=self.kind_of(found.start, tail_end))

    def about_that(self, cue: DocToken, tokens: list[DocToken], at: int) -> Found | None:
        """ "О том, что Ремдесивир помогает …, накануне заявил Энтони Фаучи": the clause put first."""
        words = [normal(t.text) for t in tokens[:4]]
        if words != ["о", "том", ",", "что"] or not _finite_or_short(cue):
            return None
        comma = next((i for i in range(at - 1, 3, -1) if tokens[i].text == ","), None)
        if comma is None or any(t.pos in ("VERB", "AUX") for t in tokens[comma + 1 : at]):
            return None
        return self._found(tokens[3].stop, tokens[comma].start, cue, confidence=0.75)

    def about_this(self, cue: DocToken, tokens: list[DocToken], at: int) -> Found | None:
        """ "Об этом сообщил X", "Такой прогноз дал X": the sentence before is X's words."""
        aside = self._after_passing_on(tokens, at, tokens[0].start) if tokens else None
        if aside is not None and aside != tokens[0].start:
            # "Как передают «Известия», об этом сообщил вице-президент федерации …"
            skipped = next(i for i, t in enumerate(tokens) if t.start == aside)
            tokens, at = tokens[skipped:], at - skipped
        words = [normal(t.text) for t in tokens[:2]]
        # "Об этом", "О случившемся", "Такой прогноз", "Так считает": not "О росте цен уведомил"
        # (the words are the noun phrase) nor "Так, аналитик отметил" ("for one")
        about = words[:1] in (["об"], ["о"]) and len(words) > 1 and (
            words[1] in ABOUT_WHAT_WAS_SAID or words[1] in SUCH
        )
        # "В этом убеждена астролог Любовь Калиновская", "В этом уверен эксперт"
        about = about or words == ["в", "этом"] and (cue.lemma or "") in self.lex.opinion
        so = words[:1] == ["так"] and tokens[1].text != ","
        opens = about or so or bool(words[:1]) and words[0] in DEMONSTRATIVES and words[0] != "так"
        # "Так аналитик Сергей Либин отметил: «…»": the cue has words of its own
        if opens and _COLON_AFTER_CUE.match(self.body.text, cue.stop):
            return None
        # a finite verb, or a short adjective of belief ("уверен", "убеждена")
        first_cue = next(
            (t for t in tokens if self._is_cue(t) and ((t.feats or {}).get("VerbForm") == "Fin" or t.pos == "ADJ")),
            None,
        )
        if (
            not opens
            or at > MAX_ABOUT_THIS_WORDS
            or cue is not first_cue
            or cue.rel == "acl:relcl"
            or self.after_verb(cue)
        ):
            return None
        unit = self.body.unit_of(tokens[0].start)
        if unit == 0:
            return None
        prev_start, prev_end = self.body.units[unit - 1]
        here, before = self.body.paragraph_at(tokens[0].start), self.body.paragraph_at(prev_start)
        # The sentence before; or the last of the paragraph before, when "Об этом" opens its paragraph.
        opens_paragraph = self.body.paragraphs[here].start == self.body.units[unit][0]
        if self._is_taken(prev_start) or here - before > 1 or here != before and not opens_paragraph:
            return None
        return self._found(prev_start, prev_end, cue, confidence=0.7)

    def find(self, sentence_indices: list[int]) -> list[Found]:
        found: list[Found] = []
        for index in sentence_indices:
            tokens = self.body.doc.sents[index].tokens
            for at, token in enumerate(tokens):
                if self._is_taken(token.start):
                    continue
                quote = self._at(token, tokens, at)
                if quote is not None:
                    found.append(quote)
                    found.extend(self._and_in_their_words(quote))
        return found

    def _and_in_their_words(self, quote: Found) -> list[Found]:
        """The speaker's words quoted after the colon that ends a reported clause, as a direct quote
        of the same speaker (unless the quotes of the page already hold them)."""
        _, sentence_end = self._sentence_bounds(quote.cue) if quote.cue is not None else (0, quote.end)
        colon = _COLON_AFTER.match(self.body.text, quote.end, sentence_end)
        words = self._words_after_colon(quote.end, sentence_end) if colon else None
        if words is None or words.start != colon.end() or self._is_taken(words.start):
            return []
        a, b = words.inner
        text = self.body.text[a:b].strip()
        a += len(self.body.text[a:b]) - len(self.body.text[a:b].lstrip())
        return [replace(quote, kind="direct", text=text, start=a, end=a + len(text))]

    def _is_cue(self, token: DocToken) -> bool:
        """A verb of speech, or a light verb with a noun of speech ("дают прогноз", "сделал заявление")."""
        lemma = token.lemma or ""
        if lemma in self.lex.cues or lemma in self.lex.naming or lemma in self.lex.impersonal:
            return True
        return self.lex.speaks_through(lemma, lambda: self.body.object_lemmas(token))

    def _at(self, token: DocToken, tokens: list[DocToken], at: int) -> Found | None:
        lemma = token.lemma or ""
        if lemma in self.lex.according_nouns:
            before = [normal(t.text) for t in tokens[max(at - 2, 0) : at]]
            if before[-1:] in (["по"], ["согласно"]) or (before[:1] == ["по"] and before[-1] in POSSESSIVES):
                return self.according_to(token, tokens, at)
            return None
        if not self._is_cue(token):
            return None
        if _editorial(token, self.body) or token.feats and token.feats.get("VerbForm") == "Part":
            return None
        if lemma in self.lex.document_cues and any(normal(t.text) in ("где", "котором") for t in tokens[:at]):
            return None
        return (
            self.as_said(token, as_word(tokens, at))
            or self.about_that(token, tokens, at)
            or self.about_this(token, tokens, at)
            or self.after_verb(token)
            or self.before_verb(token, tokens, at)
        )
