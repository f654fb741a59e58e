"""Interviews and vox pops: every answer is the interviewee's words, the questions are no quotes.

An interview shows in its layout: questions set apart from the answers (in bold or italic type,
or with a label such as "Вопрос:"), each followed by an answer, often opened by a dash. A vox pop
names each speaker in a label before their words ("Ольга, мама первоклассника:"). The paragraph
marks an HTML page keeps (`Article.paragraph_marks`) show the type; a text scrape has only its
words, so every rule here also works from the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from natasha.doc import DocToken

from skazal.quotes.body import Paragraph
from skazal.quotes.direct import DASH_OPENING, DirectFinder
from skazal.quotes.found import Found
from skazal.quotes.names import normal
from skazal.records import Article

# "Вопрос:", "— Корр.:", "В.:": the interviewer's turn; "Ответ:", "О.:": the interviewee's.
_QUESTION_LABEL = re.compile(
    r"^\s*(?:[—–-]\s*)?(?:вопрос|корр(?:еспондент)?|журналист|интервьюер|в)\s*\.?\s*:\s*", re.I
)
_ANSWER_LABEL = re.compile(r"^\s*(?:[—–-]\s*)?(?:ответ|о)\s*\.?\s*:\s*", re.I)
# "Ольга, мама первоклассника:", "Иван, 34 года: …": up to a colon with no quotation marks before it.
_LABEL = re.compile(r"^\s*[^:«»\"„“—–]{2,120}?:(?:\s+|$)")
# A paragraph of someone's words ends a sentence; a caption or a subheading left in the body does not.
_SENTENCE_END = re.compile(r"[.!?…][»\"”)]*\s*$")
# The title names the interviewee: "Мединский: Голливуд не обеднеет …", "Дмитрий Полонский — о …".
_NAME = r"((?:[А-ЯЁ][а-яё-]+\s+){0,2}[А-ЯЁ][а-яё-]+)"
_TITLE_NAMES = (re.compile(r"^\s*" + _NAME + r"\s*:\s"), re.compile(_NAME + r"\s+[—–]\s+об?\s"))
# "побеседовала с вице-премьером Дмитрием Полонским": whoever the interviewer talks with answers.
CONVERSATION_VERBS = frozenset({"беседовать", "побеседовать", "поговорить", "пообщаться", "расспросить"})
MIN_PAIRS = 2  # questions answered before a page reads as an interview
MIN_ANSWER_WORDS = 4
ALTERNATION_AGREEMENT = 0.8  # share of the dash paragraphs ending with "?" that must fall on questions' turns
FIRST_PERSON = frozenset({"я", "мы", "мой", "наш", "меня", "нас", "мне", "нам", "мной", "нами"})
STYLED = ("bold", "italic")


@dataclass(frozen=True, slots=True)
class _Turn:
    """Where someone's turn to speak begins: the paragraph, and who speaks (the name's tokens)."""

    paragraph: int
    speaker: tuple[DocToken, ...]
    labelled: bool  # a vox pop's label, not an interviewer's question
    words_at: int | None = None  # "Ходорковский: Я не скажу …": where the words go on in the label's paragraph


class InterviewFinder:
    """Answer paragraphs of interviews and vox pops, as direct quotes of their speakers; takes the
    `DirectFinder`'s quotes and returns them with the questions' words left out."""

    def __init__(self, finder: DirectFinder, article: Article) -> None:
        self.finder = finder
        self.body = finder.body
        self.article = article
        paragraphs = self.body.paragraphs
        marks = article.paragraph_marks
        self.marks = marks if len(marks) == len(paragraphs) else (None,) * len(paragraphs)

    def find(self, found: list[Found]) -> list[Found]:
        paragraphs = self.body.paragraphs
        questions, interviewee = self.questions(found)
        turns = [_Turn(i, interviewee, False) for i in questions]
        turns += self.labels()
        turns.sort(key=lambda turn: turn.paragraph)
        answers: list[Found] = []
        for at, turn in enumerate(turns):
            end = turns[at + 1].paragraph if at + 1 < len(turns) else len(paragraphs)
            answers += self.answers(turn, end, found)
        # Subheadings are no quotes (their quoted words stand in the answers).
        asked = [paragraphs[i] for i in questions]
        asked += [p for i, p in enumerate(paragraphs) if self.marks[i] == "heading"]
        kept = [f for f in found if not self._replaced(f, asked, answers)]
        return sorted(kept + answers, key=lambda f: f.start)

    def questions(self, found: list[Found]) -> tuple[list[int], tuple[DocToken, ...]]:
        """The interviewer's paragraphs and the interviewee's name: at least `MIN_PAIRS` questions
        answered, or one where the title or the lead names who was interviewed. Where the questions
        stand in their own type, a plain paragraph that ends with "?" is an answer."""
        paragraphs = self.body.paragraphs
        attributed = {self.body.paragraph_at(f.start) for f in found if self._attributed(f)}
        candidates = [i for i in range(len(paragraphs)) if i not in attributed]
        for styled in (True, False):
            asks = [i for i in candidates if self._asks(i, styled)]
            answered = [i for i in asks if self._answered(i, set(asks))]
            if not answered:
                continue
            interviewee = self.interviewee(asks[0])
            if len(answered) >= MIN_PAIRS or interviewee:
                return (asks if styled else self._alternating(candidates, asks)), interviewee
        return [], ()

    def _alternating(self, candidates: list[int], asks: list[int]) -> list[int]:
        """Where each turn opens with a dash, the dash paragraphs take turns: question, answer,
        question. That finds the questions without a question mark, as long as nearly all those
        with one fall on a question's turn."""
        dashes = [i for i in candidates if DASH_OPENING.match(self.body.paragraphs[i].text)]
        asking = [i for i in dashes if self.body.paragraphs[i].text.rstrip().endswith("?")]
        # The interview opens with a question, perhaps one without a question mark.
        for first in (dashes[0], asks[0]):
            turns = [i for i in dashes if i >= first][::2]
            if sum(1 for i in asking if i in turns) >= ALTERNATION_AGREEMENT * len(asking):
                return turns
        return asks

    def _asks(self, i: int, styled: bool) -> bool:
        """A question by its label, or by its type (`styled`), or by a dash and a question mark."""
        text = self.body.paragraphs[i].text
        if _QUESTION_LABEL.match(text):
            return True
        dash = DASH_OPENING.match(text) is not None
        if styled:
            return self.marks[i] in STYLED and (dash or text.rstrip().endswith("?"))
        return dash and text.rstrip().endswith("?")

    def _answered(self, i: int, asks: set[int]) -> bool:
        """A question followed by its answer: the next paragraph of whole sentences is no question,
        stands in other type, and opens with a dash or a label (or follows a question mark)."""
        j = self._next_sentences(i + 1)
        if j is None or j in asks or self.marks[j] == self.marks[i] and self.marks[i] is not None:
            return False
        text = self.body.paragraphs[j].text
        if DASH_OPENING.match(text) or _ANSWER_LABEL.match(text):
            return True
        return self.marks[i] in STYLED and self.body.paragraphs[i].text.rstrip().endswith("?")

    def _next_sentences(self, start: int) -> int | None:
        for j in range(start, len(self.body.paragraphs)):
            if self._sentences(j):
                return j
            if self.marks[j] == "heading":
                return None
        return None

    def _sentences(self, i: int) -> bool:
        """Whole sentences, not a caption or a subheading left in the body."""
        text = self.body.paragraphs[i].text
        return (
            self.marks[i] not in ("heading", "blockquote")
            and _SENTENCE_END.search(text) is not None
            and len(text.split()) >= MIN_ANSWER_WORDS
        )

    def labels(self) -> list[_Turn]:
        """ "Ольга, мама первоклассника:" (a paragraph that only names who speaks next) and
        "Ходорковский: Я не скажу …" (a name and the words): each speaker's turn."""
        turns = []
        for i, paragraph in enumerate(self.body.paragraphs):
            label = _LABEL.match(paragraph.text)
            if not label:
                continue
            name = self.finder.speaker_label(paragraph, paragraph.start + label.end())
            if not name:
                continue
            alone = label.end() >= len(paragraph.text.rstrip())
            if alone and i + 1 < len(self.body.paragraphs):
                turns.append(_Turn(i, name, True))
            elif not alone and self._says_something(paragraph.start + label.end(), paragraph.end):
                turns.append(_Turn(i, name, True, words_at=paragraph.start + label.end()))
        return turns

    def answers(self, turn: _Turn, end: int, found: list[Found]) -> list[Found]:
        """The paragraphs of one turn, from the one after the question or label up to `end`; after
        a vox pop's label, a paragraph with no dash is the speaker's only when it speaks as "я"."""
        answers: list[Found] = []
        question_mark = None if turn.labelled else self.marks[turn.paragraph]
        if turn.words_at is not None:
            paragraph = self.body.paragraphs[turn.paragraph]
            if paragraph.text.rstrip(" »\"”").endswith("?") or self._attributed_within(paragraph, found):
                return []  # the interviewer's turn, or words the direct finder attributed already
            words = self.finder.direct([(turn.words_at, paragraph.end)], None, 0.8)
            answers.append(replace(words, phrase=turn.speaker))
        for j in range(turn.paragraph + 1, end):
            if self.marks[j] == "heading" or not answers and self._label_only(j):
                break
            if not self._sentences(j) or question_mark is not None and self.marks[j] == question_mark:
                continue
            paragraph = self.body.paragraphs[j]
            opens = DASH_OPENING.match(paragraph.text) or _ANSWER_LABEL.match(paragraph.text)
            if turn.labelled and answers and not opens and not self._first_person(paragraph):
                break
            if self._attributed_within(paragraph, found):
                continue
            start = paragraph.start + (opens.end() if opens else 0)
            words = self.finder.direct([(start, paragraph.end)], None, 0.8)
            answers.append(replace(words, phrase=turn.speaker))
        return answers

    def _says_something(self, start: int, end: int) -> bool:
        """Words with a verb: not a list after a name and a colon ("Ислочь: Хаткевич — Карпович, …",
        a team's line-up)."""
        return any(t.pos in ("VERB", "AUX") for t in self.body.tokens_in(start, end))

    def _label_only(self, j: int) -> bool:
        return self.body.paragraphs[j].text.rstrip().endswith(":")

    def _first_person(self, paragraph: Paragraph) -> bool:
        return any(normal(t.text) in FIRST_PERSON for t in self.body.tokens_in(paragraph.start, paragraph.end))

    def _attributed_within(self, paragraph: Paragraph, found: list[Found]) -> bool:
        """Words of the paragraph already attributed to someone ("— …, — сказал он")."""
        return any(paragraph.start <= f.start < paragraph.end and self._attributed(f) for f in found)

    def _attributed(self, found: Found) -> bool:
        """Words with a speaker of their own paragraph ("— …, — сказал он"), not one the sentence
        before introduced (in an interview that is the question before the answer)."""
        if found.phrase:
            return True
        return found.cue is not None and self.body.paragraph_at(found.cue.start) == self.body.paragraph_at(found.start)

    def _replaced(self, found: Found, questions: list[Paragraph], answers: list[Found]) -> bool:
        """A quote the interview reading replaces: an unattributed one in a question or an answer."""
        in_question = any(p.start <= found.start < p.end for p in questions)
        if self._attributed(found):
            return False
        return in_question or any(a.start <= found.start < a.end or found.start <= a.start < found.end for a in answers)

    def interviewee(self, first_question: int) -> tuple[DocToken, ...]:
        """Who answers: the person the title names before a colon, else the subject of the lead's
        "рассказал в интервью" (the paragraphs before the first question)."""
        lead_end = self.body.paragraphs[first_question].start
        return self._named_in_title() or self._interviewed_in_lead(lead_end)

    def _named_in_title(self) -> tuple[DocToken, ...]:
        # A text scrape may keep its title as the first line of the body.
        title = self.article.title or self.body.paragraphs[0].text
        for pattern in _TITLE_NAMES:
            match = pattern.search(title)
            if match:
                return self._person(normal(match.group(1).split()[-1]))
        return ()

    def _person(self, surname: str) -> tuple[DocToken, ...]:
        """The first name in the body that holds the word `surname` (in any case form)."""
        for span in self.body.doc.spans:
            if span.type != "PER":
                continue
            tokens = self.body.tokens_in(span.start, span.stop)
            if any(normal(t.lemma) == surname or normal(t.text) == surname for t in tokens):
                return tuple(tokens)
        return ()

    def _interviewed_in_lead(self, lead_end: int) -> tuple[DocToken, ...]:
        """ "В интервью РИА Новости он рассказал": the subject of the cue; "побеседовала с X": X."""
        lex = self.finder.lex
        for token in self.body.tokens_in(0, lead_end):
            lemma = normal(token.lemma)
            if lemma in CONVERSATION_VERBS:
                partner = next((t for t in self.body.children(token) if self._talked_with(t)), None)
                if partner is not None:
                    return self._name_in(self.body.subtree(partner))
            elif lemma in lex.interviews:
                sentence = self.body.doc.sents[self.body.sentence_of(token)]
                self.body.parse([token])
                for cue in sentence.tokens:
                    if (cue.lemma or "") not in lex.cues:
                        continue
                    subject = next((t for t in self.body.children(cue) if t.rel in ("nsubj", "nsubj:pass")), None)
                    if subject is not None:
                        return self._name_in(self.body.subtree(subject))
        return ()

    def _talked_with(self, token: DocToken) -> bool:
        """ "с министром" after "побеседовала", or the object of "расспросил"."""
        if token.rel == "obj":
            return True
        return token.rel == "obl" and any(normal(c.text) == "с" for c in self.body.children(token))

    def _name_in(self, phrase: list[DocToken]) -> tuple[DocToken, ...]:
        """The person's name in a phrase ("вице-премьером … Дмитрием Полонским"), else the phrase."""
        for span in self.body.doc.spans:
            if span.type == "PER" and phrase and phrase[0].start <= span.start < phrase[-1].stop:
                return tuple(self.body.tokens_in(span.start, span.stop))
        return tuple(phrase)
