"""Who printed an utterance first, and whom an article says it took the words from.

The earliest occurrence by publication time ranks first; occurrences of the same minute are a tie;
a date without a time is never ranked first (it could be any minute of the day). An article that
names another outlet as its source ("передает ТАСС", "цитата по ТАСС") may be the first here
without being the origin: the outlet it names is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from skazal.linking.records import Occurrence

CITING = (
    r"(?:передает|передаёт|сообщает|сообщают|пишет|цитирует|информирует|уточняет|"
    r"цитата по|по данным|по информации|со ссылкой на|как сообщает|как передает|как пишет|"
    r"сообщили|рассказали|заявили)"
)
# news agencies a reprint names most; the batch's own outlets are added to these
AGENCIES = ("ТАСС", "РИА Новости", "Интерфакс", "РБК", "ПРАЙМ", "Известия", "Коммерсантъ", "Ведомости", "RT")


def citing_pattern(outlets: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding "<citing phrase> <outlet>" for any of these outlets (longest names first)."""
    names = sorted({name for name in (*AGENCIES, *outlets) if len(name) >= 2}, key=lambda n: (-len(n), n))
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"{CITING}\s+(?:агентств[оау]\s+|издани[еяю]\s+)?«?(?P<outlet>{alternatives})(?![\w-])")


@lru_cache(maxsize=8)
def _compiled(outlets: tuple[str, ...]) -> re.Pattern[str]:
    return citing_pattern(outlets)


def cited_outlet(text: str, own_outlet: str | None, outlets: tuple[str, ...]) -> str | None:
    """The first other outlet the article names as its source, or None."""
    for match in _compiled(outlets).finditer(text):
        name = match.group("outlet")
        if own_outlet is None or name.lower() != own_outlet.lower():
            return name
    return None


def rank_first(occurrences: list[Occurrence]) -> list[Occurrence]:
    """The occurrences by time, the earliest minute (and any tie in that minute) marked first."""
    timed = [o for o in occurrences if o.time_precision == "minute" and o.published]
    ordered = sorted(occurrences, key=lambda o: (o.time_precision != "minute", o.published or "", o.url, o.text))
    if not timed:
        return ordered
    earliest = min(o.published for o in timed)
    ties = [o for o in timed if o.published == earliest]
    marked = []
    for o in ordered:
        if o in ties:
            o = replace(o, first=True, tied_first=len(ties) > 1)
        marked.append(o)
    return marked


def origin(occurrences: list[Occurrence]) -> str | None:
    """The outlet the first occurrence names as its source, when it names one."""
    firsts = [o for o in occurrences if o.first]
    cited = [o.cites for o in firsts if o.cites]
    if firsts and len(cited) == len(firsts):
        return cited[0]
    return None

