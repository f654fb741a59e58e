"""A quote as a finder sees it, before its speaker is resolved."""

from __future__ import annotations

from dataclasses import dataclass

from natasha.doc import DocToken


@dataclass(frozen=True, slots=True)
class Found:
    """Quoted or reported words at `start:end` of the body; `text` is what the quote says.

    The speaker is `phrase` when the finder saw it ("по словам министра"), otherwise the
    subject of `cue`; `inherits` takes the speaker of the quote before (a dash paragraph with
    no attribution of its own).
    """

    kind: str
    text: str
    start: int
    end: int
    cue: DocToken | None = None
    phrase: tuple[DocToken, ...] = ()
    intro: DocToken | None = None
    inherits: bool = False
    confidence: float = 0.8
