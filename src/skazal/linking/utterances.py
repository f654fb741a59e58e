"""Utterances: one statement of one speaker, found in every outlet that printed it.

Quotes are indexed sentence by sentence (MinHash LSH over lemma shingles), so a cut or extended
printing still meets the sentences it shares. A candidate pair is kept when the speakers are the
same person (compared as the quote scorer compares names), the words align (rapidfuzz, lemma by
lemma) over most of the shorter wording, and the articles are of the same story, or close in time
with a stricter alignment. Each quote is placed once, as it comes; kept pairs join their groups.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import Levenshtein

from skazal.linking.alterations import speakers_words
from skazal.linking.records import AnalysedArticle, SpokenWords
from skazal.linking.timeline import hours
from skazal.linking.words import is_content, is_vague, lemmas, same_speaker

_SENTENCES = re.compile(r"(?<=[.!?…])\s+")
PERMUTATIONS = 64
STORY_CANDIDATES = 300
MIN_QUOTED = 6  # lemmas in quotation marks that are a statement, not a phrase borrowed
LONG_WORDING = 8  # lemmas: shorter words may well be said by two speakers
SCHEME = "affine32"  # datasketch's default hashing scheme, named when its permutations are reused


@dataclass(frozen=True, slots=True)
class UtteranceOptions:
    min_words: int = 4
    shingle: int = 2
    lsh_threshold: float = 0.3
    same_story_overlap: float = 0.5  # share of the shorter wording's lemmas aligned with the other's
    other_story_overlap: float = 0.7
    vague_speaker_overlap: float = 0.8  # a quote of no named speaker joins only a near copy
    other_speaker_overlap: float = 0.9  # nor does one whose speaker is named otherwise
    reported_overlap: float = 0.6  # reported speech: the shorter's content lemmas found in the other, same story only
    group_overlap: float = 0.4  # the mean over the group's printings: one quote joining two statements links neither
    window_hours: float = 48.0
    rehome_overlap: float = 0.3  # reported speech moves to the statement of its story it shares most with
    report_overlap: float = 0.35  # a sentence the extractor did not give reports a statement it shares this with


@dataclass(frozen=True, slots=True)
class Printing:
    """One quote of one article, as the linker compares it."""

    article: AnalysedArticle
    quote: SpokenWords
    story: str | None
    lemmas: tuple[str, ...]
    sentences: tuple[tuple[str, ...], ...]
    content: frozenset[str] = field(init=False)  # the lemmas that tell statements apart: no short words

    def __post_init__(self) -> None:
        object.__setattr__(self, "content", frozenset(filter(is_content, self.lemmas)))


def printings(
    articles: Iterable[AnalysedArticle], story_of: dict[str, str], options: UtteranceOptions
) -> list[Printing]:
    """Every quote with enough words to be told apart, prepared for linking; words a page prints twice
    (a lead repeated under the title, a caption saved twice) are one printing, the first."""
    found = []
    for article in articles:
        seen: set[tuple[bool, tuple[str, ...]]] = set()
        for quote in article.quotes:
            said = _compared_words(quote)
            words = tuple(lemmas(said))
            if len(words) < options.min_words or (quote.kind == "indirect", words) in seen:
                continue
            seen.add((quote.kind == "indirect", words))
            sentences = tuple(tuple(lemmas(part)) for part in _SENTENCES.split(said))
            found.append(Printing(article, quote, story_of.get(article.record.url), words, sentences))
    return found


def _compared_words(quote: SpokenWords) -> str:
    """What a quote is linked by: a mixed quote's quoted words when they make a statement of their own
    ("россияне проявляют большой интерес к этой программе: «Уже тысячи заявок …»")."""
    if quote.kind != "mixed":
        return quote.text
    quoted = speakers_words(quote.text, quote.kind)
    return quoted if quoted != quote.text and len(lemmas(quoted)) >= MIN_QUOTED else quote.text


class UtteranceLinker:
    """Groups printings into utterances, each printing against those placed before it."""

    def __init__(self, options: UtteranceOptions = UtteranceOptions()) -> None:
        self.options = options
        self.placed: list[Printing] = []
        self.times: list[float | None] = []
        self.group_of: list[int] = []
        self.by_story: dict[str, list[int]] = {}
        self.groups_of_url: dict[tuple[str, bool], set[int]] = {}
        self.members: list[list[int]] = []
        self.index = MinHashLSH(threshold=options.lsh_threshold, num_perm=PERMUTATIONS)

    def add(self, printing: Printing) -> None:
        at = len(self.placed)
        self.placed.append(printing)
        self.times.append(hours(printing.article.record))
        signatures = self._signatures(printing)
        candidates = {int(key.split(":")[0]) for s in signatures for key in self.index.query(s)}
        # reported speech shares few shingles with the words it reports: within a story, all are candidates
        in_story = self.by_story.setdefault(printing.story, []) if printing.story is not None else []
        candidates = sorted(candidates.union(in_story[-STORY_CANDIDATES:]))
        overlaps = {other: self._overlap(self.placed[other], printing, self.times[other], self.times[at])
                    for other in candidates}
        group = self._best_group({other: share for other, share in overlaps.items() if share is not None})
        if group is None:
            group = len(self.members)
            self.members.append([])
        self.members[group].append(at)
        self.group_of.append(group)
        self.groups_of_url.setdefault(_printed_as(printing), set()).add(group)
        in_story.append(at)
        for k, signature in enumerate(signatures):
            self.index.insert(f"{at}:{k}", signature)

    def groups(self) -> list[list[Printing]]:
        """The utterances, each its printings in the order they were placed."""
        return [[self.placed[at] for at in members] for members in self.members]

    def _best_group(self, overlaps: dict[int, float]) -> int | None:
        """The group the printing aligns with best, on average over its printings of the same mode
        (verbatim words are measured against verbatim ones; reported speech against all), if well enough."""
        newcomer = self.placed[-1]
        totals: dict[int, float] = {}
        for other, share in overlaps.items():
            totals[self.group_of[other]] = totals.get(self.group_of[other], 0.0) + share
        # an article prints a statement once verbatim (and may sum it up once in its lead): its second
        # mention is another statement, or a repeat
        taken = self.groups_of_url.get(_printed_as(newcomer), set())
        best, best_mean = None, self.options.group_overlap
        for group, total in sorted(totals.items()):
            if group in taken:
                continue
            peers = [at for at in self.members[group] if _comparable(newcomer, self.placed[at])]
            count = sum(1 for at in peers if at in overlaps) if not peers else len(peers)
            total = sum(overlaps.get(at, 0.0) for at in peers) if peers else total
            mean = total / max(count, 1)
            if mean >= best_mean and (best is None or mean > best_mean):
                best, best_mean = group, mean
        return best

    def _signatures(self, printing: Printing) -> list[MinHash]:
        n = self.options.shingle
        shingle_sets = []
        for sentence in printing.sentences:
            if len(sentence) < n:
                continue
            shingle_sets.append([" ".join(sentence[i:i + n]).encode("utf-8") for i in range(len(sentence) - n + 1)])
        if not shingle_sets:
            return []
        return MinHash.bulk(shingle_sets, num_perm=PERMUTATIONS, permutations=_permutations(), scheme=SCHEME)

    def _overlap(self, a: Printing, b: Printing, a_time: float | None, b_time: float | None) -> float | None:
        """How much of the shorter wording the other holds, when they may be one utterance; else None."""
        if a.article.record.url == b.article.record.url:
            return None
        options = self.options
        reported = a.quote.kind == "indirect" or b.quote.kind == "indirect"
        same_story = a.story is not None and a.story == b.story
        vague = is_vague(a.quote.speaker) or is_vague(b.quote.speaker)
        named_apart = not vague and not same_speaker(a.quote.speaker, b.quote.speaker)
        # the same long words under two names: one statement the extractor named two ways ("ФНС",
        # "Налоговая служба"), kept only verbatim and within a story
        if named_apart and (reported or not same_story or min(len(a.lemmas), len(b.lemmas)) < LONG_WORDING):
            return None
        overlap = shared_share(a.content, b.content) if reported else aligned_share(a.lemmas, b.lemmas)
        close = a_time is not None and b_time is not None and abs(a_time - b_time) <= options.window_hours
        needed = options.same_story_overlap if same_story else options.other_story_overlap
        if reported:
            needed = options.reported_overlap if same_story else 1.1
        if vague:
            needed = max(needed, options.vague_speaker_overlap)
        if named_apart:
            needed = max(needed, options.other_speaker_overlap)
        return overlap if (same_story or close) and overlap >= needed else None


MIN_SHARED = 3  # content lemmas a report must share with a printing to be its report


def rehomed_reports(groups: list[list[Printing]], options: UtteranceOptions) -> list[list[Printing]]:
    """Each reported printing moved to the utterance of its story whose printings it shares most
    words with, when that is more than with its own (it may have come before any of them); in
    placed order, so that each move sees the ones before it."""
    groups = [list(group) for group in groups]
    home_of = {id(p): k for k, group in enumerate(groups) for p in group}
    by_id = {id(p): p for group in groups for p in group}
    in_story: dict[tuple[str, str], list[int]] = {}  # (story, lemma): the printings of the story holding it
    for printing in by_id.values():
        if printing.story is not None:
            for word in printing.content:
                in_story.setdefault((printing.story, word), []).append(id(printing))
    for printing in [p for group in groups for p in group if p.quote.kind == "indirect" and p.story is not None]:
        home = home_of[id(printing)]
        shared = Counter(at for word in printing.content for at in in_story.get((printing.story, word), ()))
        shares: dict[int, float] = {}
        for at, count in shared.items():
            other = by_id[at]
            if count < MIN_SHARED or not _may_report(printing, other):
                continue
            share = shared_share(printing.content, other.content)
            shares[home_of[at]] = max(shares.get(home_of[at], 0.0), share)
        own = shares.pop(home, 0.0)
        if not shares:
            continue
        best = max(sorted(shares), key=lambda g: shares[g])
        if shares[best] < options.rehome_overlap or shares[best] <= own:
            continue
        if any(_printed_as(p) == _printed_as(printing) for p in groups[best]):
            continue
        groups[home] = [p for p in groups[home] if p is not printing]
        groups[best].append(printing)
        home_of[id(printing)] = best
    return [group for group in groups if group]


def _may_report(report: Printing, other: Printing) -> bool:
    """Another article's printing, by a speaker who may be the report's own."""
    if other is report or other.article.record.url == report.article.record.url:
        return False
    return (is_vague(report.quote.speaker) or is_vague(other.quote.speaker)
            or same_speaker(report.quote.speaker, other.quote.speaker))


def _printed_as(printing: Printing) -> tuple[str, bool]:
    return printing.article.record.url, printing.quote.kind == "indirect"


def _comparable(newcomer: Printing, member: Printing) -> bool:
    return newcomer.quote.kind == "indirect" or member.quote.kind != "indirect"


@cache
def _permutations() -> tuple:
    """MinHash's random permutations, made once (datasketch makes them anew for every batch)."""
    return MinHash(num_perm=PERMUTATIONS, seed=1, scheme=SCHEME).permutations


def shared_share(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set of content lemmas found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def aligned_share(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The share of the shorter wording's words that align, in order, with the other's."""
    if not a or not b:
        return 0.0
    matched = sum(block.size for block in Levenshtein.opcodes(a, b).as_matching_blocks())
    return matched / min(len(a), len(b))
