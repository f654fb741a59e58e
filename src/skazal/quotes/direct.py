"""Direct speech: dash paragraphs, words in quotation marks, paragraphs after a colon."""

from __future__ import annotations

import re
from dataclasses import replace

from natasha.doc import DocToken

from skazal.quotes.body import Body, Paragraph
from skazal.quotes.found import Found
from skazal.quotes.lexicon import Lexicon
from skazal.quotes.marks import CLOSERS, OPENERS, quoted_spans, straight_opens
from skazal.quotes.names import normal

DASH_OPENING = re.compile(r"^\s*[—–-]\s+")
# ", — рассказал Лукашенко": punctuation, a dash, then a word in lower case.
_ATTRIBUTION = re.compile(r"(?<=[,.!?…])\s*(?:[—–]\s*|\s-\s+)(?=[а-яёa-z])")
# ". — Боже, благослови всех!": the quote goes on after its attribution.
_CONTINUATION = re.compile(r"[,.:!?…](?:\s*[—–]|\s+-)\s+(?=\S)")
_AFTER_QUOTE = re.compile(r"\s*[,.!?…]?\s*(?:[—–]\s*|-\s+)(?=[а-яёa-z])")
_COLON_BEFORE = re.compile(r":\s*$")
# words in quotation marks left open go on over so many paragraphs at most
MAX_OPEN_PARAGRAPHS = 5
_FIRST_MARK = re.compile("[" + re.escape(OPENERS + CLOSERS) + "]")
_SENTENCE_BEFORE = re.compile(r"[.!?…»\"]\s+$")
_SENTENCE_AFTER_QUOTE = re.compile(r"[.!?…]?(?:\s*$|\s+(?=[А-ЯЁA-Z«\"]))")
_SENTENCE_AFTER = re.compile(r"[.!?…]\s+(?=[А-ЯЁA-Z«\"])")
# An attribution after a quote ends with its sentence, or where other quoted words begin.
_ATTRIBUTION_END = re.compile(r"[.!?…](?:\s|$)|[«\"„]|\s[—–]\s")
# A cue opens its attribution ("— сказал он", "— уверен эксперт", "— говорит министр Иванов").
CUE_WITHIN = 4
VERB_WITHIN = 2
# Any verb may attribute a whole utterance ("— плачет она"), not a two-word phrase in quotation marks.
MIN_UTTERANCE_WORDS = 4
# words in quotation marks after a bare colon: a title or a slogan is shorter than a statement
MIN_ANNOUNCED_WORDS = 12
MAX_INTRO_CHARS = 200
MAX_WRITTEN_WORD_DISTANCE = 4
_SENTENCE_INSIDE = re.compile(r"[.!?…]\s+[А-ЯЁA-Z]|[.!?…]$")
MAX_LABEL_WORDS = 10


def _clean(text: str) -> str:
    return text.strip().strip(",").strip()


def _tight(text: str, start: int, end: int) -> tuple[int, int]:
    """`start:end` narrowed to the words, without the spaces, commas and quotation marks around them."""
    words = _clean(_strip_marks(text[start:end]))
    if not words:
        return start, end
    start = text.index(words, start)
    return start, start + len(words)


def _strip_marks(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] in '«"„“' and text[-1] in '»"“”':
        return text[1:-1].strip()
    return text


class DirectFinder:
    def __init__(self, body: Body, lex: Lexicon) -> None:
        self.body = body
        self.lex = lex
        self.attributions: list[tuple[int, int]] = []

    def attribution_cue(self, start: int, end: int, quote_start: int) -> DocToken | None:
        """The verb of an attribution at `start:end` ("рассказал Лукашенко") of words quoted from
        `quote_start`: a cue word, or any verb after a whole utterance."""
        words = [t for t in self.body.tokens_in(start, end) if t.pos != "PUNCT"]
        for token in words[:CUE_WITHIN]:
            if (token.lemma or "") in self.lex.cues:
                return token
        quoted_words = len(self.body.text[quote_start:start].split())
        for token in words[:VERB_WITHIN]:
            finite = token.pos == "VERB" and token.feats and token.feats.get("VerbForm") == "Fin"
            if finite and quoted_words >= MIN_UTTERANCE_WORDS:
                return token
        return None

    def _split(
        self, start: int, end: int, goes_on: bool = False
    ) -> tuple[list[tuple[int, int]], DocToken, tuple[int, int]] | None:
        """Quoted words at `start:end` cut by an attribution: their parts, the cue, the attribution span.
        With `goes_on` (a dash paragraph) the words after the attribution's sentence are the speaker's
        too, dash or no dash."""
        text = self.body.text
        for match in _ATTRIBUTION.finditer(text, start, end):
            rest = _CONTINUATION.search(text, match.end(), end)
            if rest is None and goes_on:
                rest = _SENTENCE_AFTER.search(text, match.end(), end)
            attribution_end = rest.start() + 1 if rest else end
            cue = self.attribution_cue(match.end(), attribution_end, start)
            if cue is None:
                continue
            parts = [(start, match.start())]
            if rest:
                parts.append((rest.end(), end))
            self.attributions.append((match.end(), attribution_end))
            return parts, cue, (match.end(), attribution_end)
        return None

    def _joined(self, parts: list[tuple[int, int]]) -> str:
        return " … ".join(_clean(_strip_marks(self.body.text[a:b])) for a, b in parts if _clean(self.body.text[a:b]))

    def direct(
        self,
        parts: list[tuple[int, int]],
        cue: DocToken | None,
        confidence: float,
        intro: DocToken | None = None,
        inherits: bool = False,
    ) -> Found:
        start, _ = _tight(self.body.text, *parts[0])
        _, end = _tight(self.body.text, *parts[-1])
        return Found(
            "direct", self._joined(parts), start, end, cue=cue, intro=intro, inherits=inherits, confidence=confidence
        )

    def dash_paragraph(self, paragraph: Paragraph) -> Found | None:
        opening = DASH_OPENING.match(paragraph.text)
        if not opening:
            return None
        start = paragraph.start + opening.end()
        split = self._split(start, paragraph.end, goes_on=True)
        if split is None:
            return self.direct([(start, paragraph.end)], None, 0.5, inherits=True)
        parts, cue, _ = split
        return self.direct(parts, cue, 0.9)

    def quoted(self, paragraph: Paragraph) -> tuple[list[Found], list[tuple[int, int]]]:
        """Quotes in quotation marks with an attribution; and unclosed quotations that open the paragraph."""
        found: list[Found] = []
        open_ones: list[tuple[int, int]] = []
        text = self.body.text
        for quoted in quoted_spans(text, paragraph.start, paragraph.end):
            inner_start, inner_end = quoted.inner
            if not quoted.closed:
                # A writer who forgot the closing mark still cut the quote with its attribution.
                split = self._split(inner_start, paragraph.end)
                if split is not None:
                    found.append(self.direct(split[0], split[1], 0.7))
                elif quoted.start == paragraph.start:
                    open_ones.append((inner_start, paragraph.end))
                continue
            split = self._split(inner_start, inner_end)
            if split is not None:
                parts, cue, _ = split
                found.append(self.direct(parts, cue, 0.9))
                continue
            after = _AFTER_QUOTE.match(text, quoted.end, paragraph.end)
            if after:
                stop = _ATTRIBUTION_END.search(text, after.end(), paragraph.end)
                stop_at = stop.start() if stop else paragraph.end
                cue = self.attribution_cue(after.end(), stop_at, inner_start)
                if cue is not None:
                    self.attributions.append((after.end(), stop_at))
                    found.append(self.direct([(inner_start, inner_end)], cue, 0.9))
                    continue
            intro = self.colon_intro(paragraph.start, quoted.start)
            label = self.speaker_label(paragraph, quoted.start) if intro is None else None
            if intro is not None:
                cue, root = intro
                found.append(self.direct([(inner_start, inner_end)], cue, 0.85, intro=root))
            elif label and not text[inner_start:inner_end].rstrip().endswith("?"):
                words = self.direct([(inner_start, inner_end)], None, 0.8)
                found.append(replace(words, phrase=label))
            elif self._stands_alone(paragraph, quoted.start, quoted.end):
                found.append(self.direct([(inner_start, inner_end)], None, 0.5, inherits=True))
            elif self._announced(paragraph, quoted.start, quoted.end):
                intro = self._verb_before_colon(paragraph.start, quoted.start)
                found.append(self.direct([(inner_start, inner_end)], None, 0.5, intro=intro))
        return found, open_ones

    def _stands_alone(self, paragraph: Paragraph, start: int, end: int) -> bool:
        """Quoted words that make whole sentences of their own, with no attribution: the words of
        whoever spoke just before ("Об этом заявил Песков. «Никакой информации нет»")."""
        text = self.body.text
        opens = start == paragraph.start or _SENTENCE_BEFORE.search(text, paragraph.start, start) is not None
        closes = _SENTENCE_AFTER_QUOTE.match(text, end, paragraph.end) is not None
        return opens and closes and len(text[start:end].split()) >= MIN_UTTERANCE_WORDS

    def _announced(self, paragraph: Paragraph, start: int, end: int) -> bool:
        """ "18 марта 2014 года, телевизионное обращение президента: «…»": whole sentences in
        quotation marks after a colon that names no cue: someone's words, whose speaker the ranking
        chooses among the people of the page."""
        text = self.body.text
        if not _COLON_BEFORE.search(text, paragraph.start, start):
            return False
        closes = _SENTENCE_AFTER_QUOTE.match(text, end, paragraph.end) is not None
        inner = text[start + 1 : end - 1]
        whole = len(inner.split()) >= MIN_ANNOUNCED_WORDS and _SENTENCE_INSIDE.search(inner)
        # "Калашников не разделил взглядов экспертов: «Должен сказать …»": a named person's clause
        # before the colon announces even one short sentence of theirs
        if not closes or not whole and not (
            len(inner.split()) >= MIN_UTTERANCE_WORDS
            and inner.lstrip()[:1].isupper()
            and self._named_subject_before(paragraph.start, start)
        ):
            return False
        # "плакат с надписью: «…»": written words, not someone's
        before = self.body.tokens_in(max(paragraph.start, start - MAX_INTRO_CHARS), start)
        return not any(normal(t.lemma or "") in self.lex.written_words for t in before[-MAX_WRITTEN_WORD_DISTANCE:])

    def _named_subject_before(self, paragraph_start: int, at: int) -> bool:
        """The verb of the clause before `at` has a person the tagger names as its subject."""
        verb = self._verb_before_colon(paragraph_start, at)
        if verb is None:
            return False
        people = [span for span in self.body.doc.spans if span.type == "PER" and paragraph_start <= span.start < at]
        subjects = [c for c in self.body.children(verb) if c.rel == "nsubj" and c.pos in ("PROPN", "NOUN")]
        return any(
            span.start <= c.start < span.stop or self._names_in_apposition(c, span) for c in subjects for span in people
        )

    def _names_in_apposition(self, noun: DocToken, span) -> bool:
        """ "заместитель председателя Госдумы Леонид Калашников": the name hangs on the role noun."""
        return any(span.start <= t.start < span.stop for t in self.body.subtree(noun))

    def _verb_before_colon(self, paragraph_start: int, at: int) -> DocToken | None:
        """ "Оптимизм Чилингарова разделил директор ИМЭМО РАН Александр Дынкин: «…»": the verb of
        the clause before the colon, whose subject speaks."""
        tokens = self.body.tokens_in(paragraph_start, at)
        if not tokens:
            return None
        sentence = self.body.sentence_of(tokens[-1])
        clause = [t for t in tokens if self.body.sentence_of(t) == sentence]
        finite = [t for t in clause if t.pos == "VERB" and (t.feats or {}).get("VerbForm") == "Fin"]
        # the root of the clause, not the first verb of a subordinate one
        root = next((t for t in finite if t.head_id and t.head_id.endswith("_0")), None)
        return root or (finite[0] if finite else None)

    def speaker_label(self, paragraph: Paragraph, at: int) -> tuple[DocToken, ...]:
        """ "Кристиан Вульф, президент Германии: «…»": an interview's speaker label, a name and
        perhaps a role before a colon, with no verb; the name's words (none if it is no label)."""
        if not _COLON_BEFORE.search(self.body.text, paragraph.start, at):
            return ()
        words = [t for t in self.body.tokens_in(paragraph.start, at) if t.pos != "PUNCT"]
        if not words or len(words) > MAX_LABEL_WORDS or any(t.pos in ("VERB", "AUX") for t in words):
            return ()
        names = [span for span in self.body.doc.spans if span.type == "PER" and words[0].start <= span.start < at]
        if not names:
            return ()
        # "Андрей и Елена Вилковы": names joined by "и", the tagger may miss the first one.
        before = [t for t in words if t.start < names[0].start]
        if len(before) > 2 or any(t.pos != "PROPN" and normal(t.text) != "и" for t in before):
            return ()
        end = names[0].stop
        for name in names[1:]:
            between = [t for t in words if end <= t.start < name.start]
            if [normal(t.text) for t in between] != ["и"]:
                break
            end = name.stop
        return tuple(t for t in words if t.stop <= end)

    def colon_intro(self, paragraph_start: int, at: int) -> tuple[DocToken, DocToken | None] | None:
        """A clause ending with a colon right before `at` that has a cue ("Он сказал:"): cue and root verb."""
        text = self.body.text
        if not _COLON_BEFORE.search(text, paragraph_start, at):
            return None
        tokens = self.body.tokens_in(paragraph_start, at)
        if not tokens:
            return None
        sentence = self.body.doc.sents[self.body.sentence_of(tokens[-1])]
        tokens = [t for t in tokens if t.start >= sentence.start]
        cue = next((t for t in reversed(tokens) if self._is_cue(t)), None)
        if cue is None or self._writers_own(cue):
            return None
        root = next((t for t in tokens if t.head_id and t.head_id.endswith("_0") and t.pos == "VERB"), None)
        return cue, root

    def _writers_own(self, cue: DocToken) -> bool:
        """ "Напоминаем:", "Уточним:": the outlet speaking in the first person plural, with no one named."""
        feats = cue.feats or {}
        if feats.get("Person") != "1" or feats.get("Number") != "Plur":
            return False
        return not any(c.rel in ("nsubj", "nsubj:pass") and c.pos in ("NOUN", "PROPN") for c in self.body.children(cue))

    def _is_cue(self, token: DocToken) -> bool:
        lemma = token.lemma or ""
        return lemma in self.lex.cues or self.lex.speaks_through(lemma, lambda: self.body.object_lemmas(token))

    def find(self) -> list[Found]:
        found: list[Found] = []
        paragraphs = self.body.paragraphs
        pending: list[tuple[int, int]] = []
        pending_cue: DocToken | None = None
        announced: Found | None = None  # the last paragraph a colon introduced, while its words go on
        for i, paragraph in enumerate(paragraphs):
            before = paragraphs[i - 1] if i > 0 else None
            follows = self._after_colon(before, paragraph) if before else None
            if follows is None and announced is not None and self._goes_on(announced, paragraph):
                # a paragraph that goes on carries no "…" over to the next one (intro None)
                follows = replace(announced, start=paragraph.start, end=paragraph.end, intro=None,
                                  text=self.body.text[paragraph.start : paragraph.end])
            announced = follows
            if follows is not None:
                found.append(follows)
                pending = []
                continue
            dash = self.dash_paragraph(paragraph)
            if dash is not None:
                found.append(self._introduced(dash, paragraph, before))
                pending = []
                continue
            ending = self._dash_words_end(paragraph, found[-1] if found else None, before)
            if ending is not None:
                # "– Когда пришел в 2005 году, …\n\nСейчас все раздумывают …, – сказал Мутко.": the
                # answer goes on without a dash and its attribution closes it; it names both paragraphs
                found[-1] = replace(found[-1], cue=ending.cue, inherits=False, confidence=ending.confidence)
                found.append(ending)
                pending = []
                continue
            closing = self._closes_pending(paragraph) if pending else None
            if closing is not None:
                # "«Есть креативные идеи …\n\nЭто важно понимать», - отметил экс-премьер": words in
                # quotation marks over paragraphs, closed and attributed in this one
                end, cue = closing
                found.extend(self.direct([span], cue, 0.8) for span in pending)
                found.append(self.direct([(paragraph.start, end)], cue, 0.8))
                pending = []
                continue
            if pending and self._goes_on_unmarked(i, pending):
                # a paragraph with no mark at all inside words left open above: theirs until they close
                pending = [*pending, (paragraph.start, paragraph.end)]
                continue
            quoted, open_ones = self.quoted(paragraph)
            quoted = [self._introduced(f, paragraph, before) for f in quoted]
            if quoted and pending and quoted[0].start == paragraph.start + 1:
                cue = quoted[0].cue or pending_cue
                found.extend(self.direct([span], cue, 0.8) for span in pending)
            found.extend(quoted)
            if open_ones and not pending:
                pending_cue = self._introduction(before) if before and open_ones[0][0] == paragraph.start + 1 else None
            pending = pending + open_ones if open_ones else []
        return found

    def _goes_on_unmarked(self, at: int, pending: list[tuple[int, int]]) -> bool:
        """A paragraph with no quotation mark or dash, right after words left open, while a paragraph
        within reach closes them."""
        paragraphs = self.body.paragraphs
        paragraph = paragraphs[at]
        if len(pending) >= MAX_OPEN_PARAGRAPHS or _FIRST_MARK.search(self.body.text, paragraph.start, paragraph.end):
            return False
        if DASH_OPENING.match(paragraph.text):
            return False
        for later in paragraphs[at + 1 : at + MAX_OPEN_PARAGRAPHS - len(pending) + 1]:
            if _FIRST_MARK.search(self.body.text, later.start, later.end):
                return self._closes_pending(later) is not None
        return False

    def _closes_pending(self, paragraph: Paragraph) -> tuple[int, DocToken] | None:
        """A paragraph with no opening mark of its own whose first mark closes the quotation left open
        above, an attribution right after it: where the words end, and the cue."""
        text = self.body.text
        if paragraph.text.lstrip()[:1] in OPENERS:
            return None
        mark = _FIRST_MARK.search(text, paragraph.start, paragraph.end)
        if mark is None or mark.group() not in CLOSERS or mark.group() == '"' and straight_opens(text, mark.start()):
            return None
        after = _AFTER_QUOTE.match(text, mark.end(), paragraph.end)
        if after is None:
            return None
        stop = _ATTRIBUTION_END.search(text, after.end(), paragraph.end)
        cue = self.attribution_cue(after.end(), stop.start() if stop else paragraph.end, paragraph.start)
        return (mark.start(), cue) if cue is not None else None

    def _dash_words_end(self, paragraph: Paragraph, last: Found | None, before: Paragraph | None) -> Found | None:
        """A paragraph with no dash or mark of its own, right after a dash paragraph that named no
        speaker, ending with an attribution after a dash: the end of those words."""
        if last is None or before is None or not last.inherits or last.cue is not None:
            return None
        if not before.start <= last.start < before.end or paragraph.text.lstrip()[:1] in OPENERS:
            return None
        split = self._split(paragraph.start, paragraph.end)
        return self.direct(split[0], split[1], 0.8) if split is not None else None

    def _introduced(self, words: Found, paragraph: Paragraph, before: Paragraph | None) -> Found:
        """A paragraph of unattributed words after a sentence that introduces their speaker
        ("Житель Мурома рассказал о первых минутах теракта." then "«Когда в зал вошел …»"): the
        speaker of that sentence's cue."""
        if not words.inherits or before is None or words.start > paragraph.start + 2:
            return words
        cue = self._introduction(before)
        return replace(words, cue=cue, intro=cue, inherits=False, confidence=0.7) if cue else words

    def _introduction(self, paragraph: Paragraph) -> DocToken | None:
        """The cue of the sentence that ends `paragraph`, when it has a subject of its own and
        reports no words itself ("рассказал о …", "вспоминает Елена.", not "заявил, что …")."""
        if not paragraph.text.rstrip().endswith((".", "!")):
            return None
        tokens = self.body.tokens_in(paragraph.start, paragraph.end)
        if not tokens:
            return None
        last = self.body.sentence_of(tokens[-1])
        sentence = [t for t in tokens if self.body.sentence_of(t) == last]
        if any(t.text in OPENERS + CLOSERS or normal(t.text) in self.lex.complementisers for t in sentence):
            return None
        for token in sentence:
            finite = token.pos == "VERB" and (token.feats or {}).get("VerbForm") == "Fin"
            if finite and (token.lemma or "") in self.lex.cues:
                if any(c.rel in ("nsubj", "nsubj:pass") for c in self.body.children(token)):
                    return token
        return None

    def _after_colon(self, intro: Paragraph, paragraph: Paragraph) -> Found | None:
        """A paragraph introduced by a colon ("Он сказал:") is the speaker's words."""
        if not intro.text.rstrip().endswith(":"):
            return None
        found = self.colon_intro(intro.start, intro.end)
        if found is None:
            return None
        cue, root = found
        if self._tells_of_someone(paragraph):
            return None
        return self.direct([(paragraph.start, paragraph.end)], cue, 0.8, intro=root)

    def _goes_on(self, announced: Found, paragraph: Paragraph) -> bool:
        """ "Он сказал:" then paragraphs of his words: a paragraph after one a colon introduced goes
        on with the same words while the one before breaks off ("…") or it speaks in the first
        person, and it reports nobody ("Также телеведущий упомянул, что …" ends them)."""
        text = self.body.text
        previous = text[announced.start : announced.end].rstrip()
        tokens = self.body.tokens_in(paragraph.start, paragraph.end)
        if not tokens or paragraph.text.lstrip().startswith(("—", "–", "-", "«", '"')):
            return False
        if any((t.lemma or "") in self.lex.cues or t.text in OPENERS for t in tokens):
            return False
        if self._tells_of_someone(paragraph):
            return False
        # the journalist's "мы" is no speaker's: the speaker's words have a verb in the first person
        first_person = any(
            t.pos == "VERB" and (t.feats or {}).get("Person") == "1" or normal(t.text) == "я" for t in tokens
        )
        broke_off = previous.endswith(("…", "...")) and announced.intro is not None
        return broke_off or first_person

    def _tells_of_someone(self, paragraph: Paragraph) -> bool:
        """A paragraph whose first sentence has a cue with a named subject ("Миллер добавил, что …")
        is the article going on, not the words the colon announced."""
        tokens = self.body.tokens_in(paragraph.start, paragraph.end)
        if not tokens:
            return False
        first = self.body.sentence_of(tokens[0])
        for token in tokens:
            if self.body.sentence_of(token) != first:
                break
            if token.rel in ("nsubj", "nsubj:pass") and token.pos == "PROPN":
                head = self.body.head(token)
                if head is not None and (head.lemma or "") in self.lex.cues:
                    return True
        return False
