"""The linking stage: stories, then utterances within and across them, first sources, alterations."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

from skazal.linking.alterations import relate
from skazal.linking.first_source import cited_outlet, origin, rank_first
from skazal.linking.joined import split_joined
from skazal.linking.records import AnalysedArticle, Occurrence, SpokenWords, Story, Utterance
from skazal.linking.reported import Said, reports
from skazal.linking.search import found_again
from skazal.linking.stories import StoryOptions, link_stories
from skazal.linking.timeline import order_key
from skazal.linking.utterances import Printing, UtteranceLinker, UtteranceOptions, printings, rehomed_reports
from skazal.linking.words import lemmas

REFERENCE_KINDS = ("direct", "mixed", "indirect")
REPORT_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class LinkOptions:
    stories: StoryOptions = field(default_factory=StoryOptions)
    utterances: UtteranceOptions = field(default_factory=UtteranceOptions)


@dataclass(frozen=True, slots=True)
class Linking:
    stories: tuple[Story, ...]
    utterances: tuple[Utterance, ...]


def link(articles: Iterable[AnalysedArticle], options: LinkOptions = LinkOptions()) -> Linking:
    """Stories and utterances of a batch of articles; the same for any order of the input."""
    ordered = sorted(articles, key=lambda article: order_key(article.record))
    stories = link_stories(ordered, options.stories)
    return Linking(tuple(stories), tuple(link_utterances(ordered, stories, options.utterances)))


def link_utterances(
    articles: Iterable[AnalysedArticle], stories: Iterable[Story], options: UtteranceOptions | None = None
) -> list[Utterance]:
    """The utterances of a batch of articles already placed in stories, in time order."""
    options = options or UtteranceOptions()
    ordered = sorted(articles, key=lambda article: order_key(article.record))
    story_of = {url: story.id for story in stories for url in story.urls}
    outlets = tuple(sorted({a.record.outlet for a in ordered if a.record.outlet}))
    linker = UtteranceLinker(options)
    for printing in split_joined(printings(ordered, story_of, options)):
        linker.add(printing)
    groups = _with_printings_found_again(rehomed_reports(linker.groups(), options), ordered, story_of)
    groups = _with_reports_found(groups, ordered, story_of, options)
    utterances = _with_unique_ids([_utterance(group, outlets) for group in groups], groups)
    utterances.sort(key=lambda u: (u.occurrences[0].published or "", u.id))
    return utterances


def _with_unique_ids(utterances: list[Utterance], groups: list[list[Printing]]) -> list[Utterance]:
    """Two utterances whose references are the same words of one article (printed there twice, or a
    report of them found beside them) keep apart: all but the first printing get its rank in the id."""
    by_id: dict[str, list[int]] = {}
    for k, utterance in enumerate(utterances):
        by_id.setdefault(utterance.id, []).append(k)
    unique = list(utterances)
    for same in by_id.values():
        quotes = {k: _reference(groups[k]).quote for k in same}
        ranked = sorted(same, key=lambda k: (quotes[k].start, quotes[k].end, quotes[k].kind))
        for rank, k in enumerate(ranked[1:], start=1):
            reference = _reference(groups[k])
            unique[k] = replace(unique[k], id=utterance_id(reference.article.record.url, reference.quote, rank))
    return unique


def utterance_id(url: str, reference: SpokenWords, rank: int = 0) -> str:
    """From the reference's article and words: linking the same corpus again gives the same ids."""
    key = f"{url}\n{reference.text}" + (f"\n{rank}" if rank else "")
    return "utt-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _utterance(group: list[Printing], outlets: tuple[str, ...]) -> Utterance:
    reference = _reference(group)
    occurrences = []
    for printing in group:
        record, quote = printing.article.record, printing.quote
        if printing is reference:
            # reported words are never verbatim, even when no outlet printed the statement verbatim
            relation, altered, changes = ("indirect" if quote.kind == "indirect" else "identical"), False, ()
        else:
            found = relate(reference.quote.text, reference.quote.kind, quote.text, quote.kind,
                           _after(reference), _after(printing))
            relation, altered, changes = found.relation, found.meaning_altered, found.changes
        occurrences.append(
            Occurrence(
                url=record.url,
                outlet=record.outlet,
                published=record.published,
                time_precision=record.time_precision,
                kind=quote.kind,
                text=quote.text,
                relation=relation,
                meaning_altered=altered,
                cites=cited_outlet(record.text, record.outlet, outlets),
                changes=changes,
            )
        )
    return Utterance(
        id=utterance_id(reference.article.record.url, reference.quote),
        speaker=reference.quote.speaker or "",
        story=reference.story,
        reference=reference.quote.text,
        occurrences=tuple(rank_first(occurrences)),
    )


# the rest of a quote's sentence (after the full stop of an abbreviation the quote ends on) and the next one
_FOLLOWING = re.compile(r"[.!?…]?[^.!?…\n]*[.!?…]*[^\S\n]*[^.!?…\n]*[.!?…]?")
FOLLOWING_CHARS = 400


def _after(printing: Printing) -> str:
    """What the article prints after the quote, to the end of the next sentence ("" when the quote
    is not found in the article's text)."""
    text, quote = printing.article.record.text, printing.quote
    at = text.find(quote.text) if quote.text else -1
    if at < 0:
        return ""
    end = at + len(quote.text)
    return _FOLLOWING.match(text, end, end + FOLLOWING_CHARS).group()


def _with_printings_found_again(
    groups: list[list[Printing]], articles: list[AnalysedArticle], story_of: dict[str, str]
) -> list[list[Printing]]:
    """Each utterance with the printings of its verbatim words that the extractor missed in its story."""
    members: dict[str, list[AnalysedArticle]] = {}
    for article in articles:
        if article.record.url in story_of:
            members.setdefault(story_of[article.record.url], []).append(article)
    quoted = {(p.article.record.url, w) for group in groups for p in group for w in p.lemmas}
    grown = []
    for group in groups:
        reference = _reference(group)
        found = []
        if reference.quote.kind != "indirect" and reference.story is not None:
            printed = {p.article.record.url for p in group if p.quote.kind != "indirect"}
            for article in members.get(reference.story, []):
                if article.record.url in printed:
                    continue
                words = found_again(reference.quote.text, article, reference.quote.speaker)
                if words is not None and not _already_quoted(words, article.record.url, quoted):
                    found.append(Printing(article, words, reference.story, tuple(lemmas(words.text)), ()))
        grown.append(group + found)
    return grown


def _with_reports_found(
    groups: list[list[Printing]], articles: list[AnalysedArticle], story_of: dict[str, str], options: UtteranceOptions
) -> list[list[Printing]]:
    """Each utterance with the reports of it, in the articles of its story, that the extractor missed."""
    members: dict[str, list[AnalysedArticle]] = {}
    for article in articles:
        if article.record.url in story_of:
            members.setdefault(story_of[article.record.url], []).append(article)
    of_story: dict[str, list[int]] = {}
    for k, group in enumerate(groups):
        story = _reference(group).story
        if story is not None:
            of_story.setdefault(story, []).append(k)
    grown = [list(group) for group in groups]
    for story, ks in sorted(of_story.items()):
        if len(members.get(story, ())) < 2:  # an article of its own: every utterance is printed there
            continue
        # a report found is a printing like the others: the next round looks for reports of it (and
        # of it only: the sentences were compared with the rest already)
        speakers = [_reference(grown[k]).quote.speaker for k in ks]
        latest = [grown[k] for k in ks]
        for _ in range(REPORT_ROUNDS):
            said = [Said(speaker, tuple(p.content for p in new)) for speaker, new in zip(speakers, latest)]
            printed = {(n, p.article.record.url) for n, k in enumerate(ks) for p in grown[k]}
            latest = [[] for _ in ks]
            for report in reports(said, members[story], printed, options.report_overlap):
                found = Printing(report.article, report.words, story, tuple(lemmas(report.words.text)), ())
                grown[ks[report.utterance]].append(found)
                latest[report.utterance].append(found)
            if not any(latest):
                break
    return grown


def _already_quoted(words: SpokenWords, url: str, quoted: set[tuple[str, str]]) -> bool:
    """Most of the words are in a printing the extractor gave for this article (of another utterance)."""
    found = lemmas(words.text)
    return sum((url, w) in quoted for w in found) > len(found) / 2


def _reference(group: list[Printing]) -> Printing:
    """The earliest direct printing with a minute time; else the earliest mixed; else indirect."""
    def key(printing: Printing) -> tuple:
        record = printing.article.record
        return (
            REFERENCE_KINDS.index(printing.quote.kind) if printing.quote.kind in REFERENCE_KINDS else 3,
            record.time_precision != "minute",
            order_key(record),
            printing.quote.start,
        )

    return min(group, key=key)


def story_line(story: Story) -> dict:
    """A story as the linking scorer reads it (and more)."""
    return {"type": "story", "id": story.id, "title": story.title, "articles": list(story.urls)}


def utterance_line(utterance: Utterance) -> dict:
    """An utterance as the linking scorer reads it, its origin named when the first printing cites one."""
    return {
        "type": "utterance",
        "id": utterance.id,
        "speaker": utterance.speaker,
        "story": utterance.story,
        "origin": origin(list(utterance.occurrences)),
        "occurrences": [_occurrence_line(o) for o in utterance.occurrences],
    }


def _occurrence_line(occurrence: Occurrence) -> dict:
    line = asdict(occurrence)
    line["changes"] = list(occurrence.changes)
    return line
