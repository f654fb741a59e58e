"""The article body as quote finding sees it: paragraphs, sentences and tokens by offset."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from natasha import Doc
from natasha.doc import DocToken

from skazal.nlp import parse_sentences

_PARAGRAPH = re.compile(r"[^\n]+")
CLAUSE_RELATIONS = ("punct", "parataxis", "ccomp", "acl:relcl", "advcl", "acl", "csubj")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    text: str


class Body:
    """Offsets into the body mapped to paragraphs, sentences and tokens of natasha's `Doc`."""

    def __init__(self, text: str, doc: Doc) -> None:
        self.text = text
        self.doc = doc
        self.paragraphs = tuple(
            Paragraph(m.start(), m.end(), m.group()) for m in _PARAGRAPH.finditer(text) if m.group().strip()
        )
        self.tokens: list[DocToken] = list(doc.tokens)
        self._token_starts = [token.start for token in self.tokens]
        self._sentence_of_token = [i for i, sent in enumerate(doc.sents) for _ in sent.tokens]
        self._by_id: dict[str, DocToken] = {}
        self._parsed: set[int] = set()
        self.units = self._units()
        self._unit_starts = [start for start, _ in self.units]

    def _units(self) -> list[tuple[int, int]]:
        """natasha's sentences cut at paragraph breaks (it joins a line without a full stop to the next)."""
        units = []
        for sent in self.doc.sents:
            start = sent.start
            for line_break in [i for i in range(sent.start, sent.stop) if self.text[i] == "\n"]:
                if self.text[start:line_break].strip():
                    units.append((start, line_break))
                start = line_break + 1
            if self.text[start : sent.stop].strip():
                units.append((start, sent.stop))
        return units

    def unit_of(self, offset: int) -> int:
        """The sentence (within its paragraph) that holds `offset`."""
        return max(bisect.bisect_right(self._unit_starts, offset) - 1, 0)

    def tokens_in(self, start: int, end: int) -> list[DocToken]:
        first = bisect.bisect_left(self._token_starts, start)
        last = bisect.bisect_left(self._token_starts, end)
        return self.tokens[first:last]

    def token_index(self, token: DocToken) -> int:
        return bisect.bisect_left(self._token_starts, token.start)

    def sentence_of(self, token: DocToken) -> int:
        return self._sentence_of_token[self.token_index(token)]

    def sentence_span(self, index: int) -> tuple[int, int]:
        sent = self.doc.sents[index]
        return sent.start, sent.stop

    def parse(self, tokens: Iterable[DocToken]) -> None:
        """Run the syntax parser on the sentences holding `tokens` (and no others)."""
        indices = {self.sentence_of(token) for token in tokens} - self._parsed
        parse_sentences(self.doc, indices)
        for i in indices:
            for token in self.doc.sents[i].tokens:
                self._by_id[token.id] = token
        self._parsed |= indices

    def head(self, token: DocToken, parse: bool = True) -> DocToken | None:
        if parse:
            self.parse([token])
        return self._by_id.get(token.head_id) if token.head_id else None

    def children(self, token: DocToken) -> list[DocToken]:
        self.parse([token])
        sent = self.doc.sents[self.sentence_of(token)]
        return [child for child in sent.tokens if child.head_id == token.id and child is not token]

    def object_lemmas(self, token: DocToken) -> list[str]:
        """The lemmas of `token`'s direct objects ("дал прогноз" → ["прогноз"])."""
        return [c.lemma or "" for c in self.children(token) if c.rel == "obj"]

    def subtree(self, token: DocToken) -> list[DocToken]:
        """`token` and the words that depend on it within its clause, in text order."""
        found = {token.id: token}
        todo = [token]
        while todo:
            for child in self.children(todo.pop()):
                if child.id not in found and child.rel not in CLAUSE_RELATIONS:
                    found[child.id] = child
                    todo.append(child)
        return sorted(found.values(), key=lambda t: t.start)

    def paragraph_at(self, offset: int) -> int:
        starts = [p.start for p in self.paragraphs]
        return max(bisect.bisect_right(starts, offset) - 1, 0)
