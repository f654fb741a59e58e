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
from skazal.quotes.direct import DirectFinder
from skazal.quotes.found import Found
from skazal.quotes.names import normal
from skazal.records import Article

# "Вопрос:", "— Корр.:", "В.:": the interviewer's turn; "Ответ:", "О.:": the interviewee's.
_QUESTION_LABEL = re.compile(
    r"^\s*(?:[—–-]\s*)?(?:вопрос|корр(?:еспондент)?|журналист|интервьюер|в)\s*\.?\s*:\s*", re.I
)
_ANSWER_LABEL = re.compile(r"^\s*(?:[—–-]\s*)?(?:ответ|о)\s*\.?\s*:\s*", re.I)
_DASH_OPENING = re.compile(r"^\s*[—–-]\s+")
# A paragraph of someone's words ends a sentence; a caption or a subheading left in the body does not.
_SENTENCE_END = re.compile(r"[.!?…][»\"”)]*\s*$")
# "Мединский: Голливуд не обеднеет …": the title names the interviewee before a colon.
_TITLE_NAME = re.compile(r"^\s*((?:[А-ЯЁ][а-яё-]+\s+){0,2}[А-ЯЁ][а-яё-]+)\s*:\s")
MIN_PAIRS = 2  # questions answered before a page reads as an interview
MIN_ANSWER_WORDS = 4
FIRST_PERSON = frozenset({"я", "мы", "мой", "наш", "меня", "нас", "мне", "нам", "мной", "нами"})
STYLED = ("bold", "italic")


@dataclass(frozen=True, slots=True)
class _Turn:
    """Where someone's turn to speak begins: the paragraph, and who speaks (the name's tokens)."""

    paragraph: int
    speaker: tuple[DocToken, ...]
    labelled: bool  # a vox pop's label, not an interviewer's question


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
        questions = self.questions(found)
        interviewee = self.interviewee(questions[0]) if questions else ()
        turns = [_Turn(i, interviewee, False) for i in questions]
        turns += [_Turn(i, label, True) for i, label in self.labels()]
        turns.sort(key=lambda turn: turn.paragraph)
        answers: list[Found] = []
        for at, turn in enumerate(turns):
            end = turns[at + 1].paragraph if at + 1 < len(turns) else len(paragraphs)
            answers += self.answers(turn, end, found)
        asked = [paragraphs[i] for i in questions]
        kept = [f for f in found if not self._replaced(f, asked, answers)]
        return sorted(kept + answers, key=lambda f: f.start)

    def questions(self, found: list[Found]) -> list[int]:
        """The interviewer's paragraphs, when at least `MIN_PAIRS` of them are answered."""
        paragraphs = self.body.paragraphs
        attributed = {self.body.paragraph_at(f.start) for f in found if f.cue is not None or f.phrase}
        asks = [i for i in range(len(paragraphs)) if i not in attributed and self._asks(i)]
        answered = [i for i in asks if self._answered(i, set(asks))]
        return asks if len(answered) >= MIN_PAIRS else []

    def _asks(self, i: int) -> bool:
        text = self.body.paragraphs[i].text
        if _QUESTION_LABEL.match(text):
            return True
        dash = _DASH_OPENING.match(text) is not None
        asking = text.rstrip().endswith("?")
        if self.marks[i] in STYLED:
            return dash or asking
        return dash and asking

    def _answered(self, i: int, asks: set[int]) -> bool:
        """A question followed by its answer: the next paragraph of whole sentences is no question,
        stands in other type, and opens with a dash or a label (or follows a question mark)."""
        j = self._next_sentences(i + 1)
        if j is None or j in asks or self.marks[j] == self.marks[i] and self.marks[i] is not None:
            return False
        text = self.body.paragraphs[j].text
        if _DASH_OPENING.match(text) or _ANSWER_LABEL.match(text):
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

    def labels(self) -> list[tuple[int, tuple[DocToken, ...]]]:
        """ "Ольга, мама первоклассника:": a paragraph that only names who speaks next."""
        found = []
        for i, paragraph in enumerate(self.body.paragraphs[:-1]):
            if not paragraph.text.rstrip().endswith(":"):
                continue
            name = self.finder.speaker_label(paragraph, paragraph.start + len(paragraph.text.rstrip()))
            if name:
                found.append((i, name))
        return found

    def answers(self, turn: _Turn, end: int, found: list[Found]) -> list[Found]:
        """The paragraphs of one turn, from the one after the question or label up to `end`; after
        a vox pop's label, a paragraph with no dash is the speaker's only when it speaks as "я"."""
        answers: list[Found] = []
        question_mark = None if turn.labelled else self.marks[turn.paragraph]
        for j in range(turn.paragraph + 1, end):
            if self.marks[j] == "heading" or not answers and self._label_only(j):
                break
            if not self._sentences(j) or question_mark is not None and self.marks[j] == question_mark:
                continue
            paragraph = self.body.paragraphs[j]
            opens = _DASH_OPENING.match(paragraph.text) or _ANSWER_LABEL.match(paragraph.text)
            if turn.labelled and answers and not opens and not self._first_person(paragraph):
                break
            if self._attributed_within(paragraph, found):
                continue
            start = paragraph.start + (opens.end() if opens else 0)
            words = self.finder.direct([(start, paragraph.end)], None, 0.8)
            answers.append(replace(words, phrase=turn.speaker))
        return answers

    def _label_only(self, j: int) -> bool:
        return self.body.paragraphs[j].text.rstrip().endswith(":")

    def _first_person(self, paragraph: Paragraph) -> bool:
        return any(normal(t.text) in FIRST_PERSON for t in self.body.tokens_in(paragraph.start, paragraph.end))

    def _attributed_within(self, paragraph: Paragraph, found: list[Found]) -> bool:
        """Words of the paragraph already attributed to someone ("— …, — сказал он")."""
        return any(paragraph.start <= f.start < paragraph.end and (f.cue or f.phrase) for f in found)

    def _replaced(self, found: Found, questions: list[Paragraph], answers: list[Found]) -> bool:
        """A quote the interview reading replaces: an unattributed one in a question or an answer."""
        if found.cue is not None or found.phrase:
            return False
        if any(p.start <= found.start < p.end for p in questions):
            return True
        return any(a.start <= found.start < a.end or found.start <= a.start < found.end for a in answers)

    def interviewee(self, first_question: int) -> tuple[DocToken, ...]:
        """Who answers: the person the title names before a colon, else the subject of the lead's
        "рассказал в интервью" (the paragraphs before the first question)."""
        lead_end = self.body.paragraphs[first_question].start
        return self._named_in_title() or self._interviewed_in_lead(lead_end)

    def _named_in_title(self) -> tuple[DocToken, ...]:
        match = _TITLE_NAME.match(self.article.title or "")
        if not match:
            return ()
        surname = normal(match.group(1).split()[-1])
        for span in self.body.doc.spans:
            if span.type != "PER":
                continue
            tokens = self.body.tokens_in(span.start, span.stop)
            if any(normal(t.lemma) == surname or normal(t.text) == surname for t in tokens):
                return tuple(tokens)
        return ()

    def _interviewed_in_lead(self, lead_end: int) -> tuple[DocToken, ...]:
        lex = self.finder.lex
        tokens = self.body.tokens_in(0, lead_end)
        for token in tokens:
            if normal(token.lemma) not in lex.interviews:
                continue
            sentence = self.body.doc.sents[self.body.sentence_of(token)]
            self.body.parse([token])
            for cue in sentence.tokens:
                if (cue.lemma or "") not in lex.cues:
                    continue
                subject = next(
                    (t for t in self.body.children(cue) if t.rel in ("nsubj", "nsubj:pass")), None
                )
                if subject is not None:
                    return tuple(self.body.subtree(subject))
        return ()
