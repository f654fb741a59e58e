"""Stories: articles that report the same event (the narrowest one: same time, numbers, place).

Reprints and near-duplicates are collapsed first (MinHash over word shingles of the text). Any
other article is compared with the articles before it within a time window: lemma TF-IDF of the
title and the lead, plus shared named entities and shared numbers, less a penalty per hour apart.
It joins the story it scores best with, when that score passes the threshold and the story is not
full; else it starts a story. Each article is placed once, as it comes: nothing is reclustered.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from skazal.linking.records import AnalysedArticle, Story
from skazal.linking.timeline import hours, order_key
from skazal.linking.words import lemmas, normal

_DATELINE = re.compile(r"^[А-ЯЁA-Z][А-ЯЁA-Z\- ]+,\s*\d{1,2}\s+\w+\s*(?:/[^/]{1,40}/|[—–-]\s*[^.]{1,40})\.?\s*")
MIN_PROSE_WORDS = 5
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SHINGLE_WORDS = re.compile(r"\w+")
SHINGLE = 4
PERMUTATIONS = 64
FLUSH_ROWS = 64
SIMILARITY_FLOOR = 0.05
CANDIDATES = 40  # the most similar earlier articles scored in full


@dataclass(frozen=True, slots=True)
class StoryOptions:
    threshold: float = 0.45
    window_hours: float = 36.0
    hours_penalty: float = 0.004
    entity_weight: float = 0.15
    number_weight: float = 0.1
    mean_weight: float = 0.3  # the story's mean similarity beside its best member's: curbs chaining
    title_weight: int = 2  # the title's words counted this many times beside the lead's
    lead_chars: int = 400
    max_size: int = 300
    duplicate_threshold: float = 0.7


def lead_of(article: AnalysedArticle, options: StoryOptions) -> str:
    """The opening prose of the text: without the metadata lines a scraper left (addresses, times,
    logos: the same in every article of an outlet) and without the dateline ("МОСКВА, 3 мая /ПРАЙМ/.")."""
    prose = [line for line in article.record.text.split("\n") if _is_prose(line)]
    return _DATELINE.sub("", " ".join(prose))[: options.lead_chars]


def _is_prose(line: str) -> bool:
    return "http" not in line and len(line.split()) >= MIN_PROSE_WORDS


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a batch makes for one article: its TF-IDF vector, its MinHash, its earlier neighbours."""

    vector: sparse.csr_matrix
    signature: MinHash
    earlier: np.ndarray  # indices of earlier articles that share a term with it
    similarity: np.ndarray  # the cosine with each


class _Terms:
    """Lemmas of the title and the lead: what TF-IDF weighs."""

    def __init__(self, options: StoryOptions) -> None:
        self.options = options

    def __call__(self, article: AnalysedArticle) -> list[str]:
        title = lemmas(article.record.title)
        return title * self.options.title_weight + lemmas(lead_of(article, self.options))


def term_weights(articles: Iterable[AnalysedArticle], options: StoryOptions) -> TermWeights:
    """TF-IDF fitted on a stream of articles; a linker keeps it for the articles that come later."""
    terms = _Terms(options)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    vectorizer.fit([terms(article) for article in articles])
    return TermWeights(vectorizer, terms)


class TermWeights:
    """A fitted TF-IDF that takes articles (their terms made on the way)."""

    def __init__(self, vectorizer: TfidfVectorizer, terms: _Terms) -> None:
        self.vectorizer = vectorizer
        self.terms = terms
        self.vocabulary_ = vectorizer.vocabulary_

    def transform(self, articles: list[AnalysedArticle]) -> sparse.csr_matrix:
        return self.vectorizer.transform([self.terms(article) for article in articles]).tocsr()


class StoryLinker:
    """Places articles into stories one at a time, each against the articles placed before it."""

    def __init__(self, vectorizer: TermWeights, options: StoryOptions = StoryOptions()) -> None:
        self.vectorizer = vectorizer
        self.options = options
        self.story_of: list[int] = []
        self.members: list[list[int]] = []
        self.urls: list[str] = []
        self.titles: list[str] = []
        self._times = np.zeros(1024)
        self.entities: list[frozenset[str]] = []
        self.numbers: list[frozenset[str]] = []
        self.index_of_url: dict[str, int] = {}
        self.duplicates = MinHashLSH(threshold=options.duplicate_threshold, num_perm=PERMUTATIONS)
        self._matrix = sparse.csr_matrix((0, len(vectorizer.vocabulary_)))
        self._pending: list[sparse.csr_matrix] = []

    def add(self, article: AnalysedArticle, prepared: Prepared | None = None) -> int:
        """The story (index) the article joins or starts; `prepared` when its vector, signature and
        similarities to the earlier articles were made in a batch."""
        record = article.record
        if record.url in self.index_of_url:
            return self.story_of[self.index_of_url[record.url]]
        if prepared is None:
            vector = self.vectorizer.transform([article])
            prepared = Prepared(vector, signatures([article])[0], *self._similarities(vector))
        vector, signature = prepared.vector, prepared.signature
        story = self._duplicate_story(signature, hours(record) or 0.0)
        if story is None:
            story = self._best_story(article, prepared.earlier, prepared.similarity)
        if story is None:
            story = len(self.members)
            self.members.append([])
        index = len(self.urls)
        self.members[story].append(index)
        self.story_of.append(story)
        self.urls.append(record.url)
        self.titles.append(record.title)
        self._times = _appended(self._times, index, hours(record) or 0.0)
        self.entities.append(frozenset(article.entities))
        self.numbers.append(_numbers(record.title + " " + lead_of(article, self.options)))
        self.index_of_url[record.url] = index
        self.duplicates.insert(str(index), signature)
        self._remember(vector)
        return story

    def stories(self) -> list[Story]:
        """Every story, its articles by time; ids from the earliest member's URL (the same input, the same ids)."""
        found = []
        for members in self.members:
            urls = tuple(self.urls[i] for i in members)
            found.append(Story(id=story_id(urls[0]), urls=urls, title=self.titles[members[0]]))
        return found

    def _duplicate_story(self, signature: MinHash, when: float) -> int | None:
        """The story of a near copy within the window (a daily forecast is a near copy of yesterday's)."""
        near = [int(key) for key in self.duplicates.query(signature)]
        window = self.options.window_hours
        stories = [self.story_of[i] for i in sorted(near) if abs(self._times[i] - when) <= window]
        open_stories = [story for story in stories if len(self.members[story]) < self.options.max_size]
        return open_stories[0] if open_stories else None

    def _best_story(self, article: AnalysedArticle, earlier: np.ndarray, similarity: np.ndarray) -> int | None:
        options = self.options
        when = hours(article.record) or 0.0
        apart = np.abs(self._times[earlier] - when)
        keep = (similarity > SIMILARITY_FLOOR) & (apart <= options.window_hours)
        earlier, similarity, apart = earlier[keep], similarity[keep], apart[keep]
        if not len(earlier):
            return None
        base = similarity - options.hours_penalty * apart
        top = np.argsort(-base, kind="stable")[:CANDIDATES]
        near = dict(zip(earlier[top].tolist(), base[top].tolist()))
        entities = frozenset(article.entities)
        numbers = _numbers(article.record.title + " " + lead_of(article, options))
        scores: dict[int, list[float]] = {}
        for i in sorted(near):
            score = (
                near[i]
                + options.entity_weight * _overlap(entities, self.entities[i])
                + options.number_weight * _overlap(numbers, self.numbers[i])
            )
            scores.setdefault(self.story_of[i], []).append(float(score))
        best, best_score = None, options.threshold
        for story, member_scores in sorted(scores.items()):
            size = len(self.members[story])
            if size >= options.max_size:
                continue
            mean = sum(member_scores) / size
            score = (1 - options.mean_weight) * max(member_scores) + options.mean_weight * mean
            if score >= best_score:
                best, best_score = story, score
        return best

    def _similarities(self, vector: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """The earlier articles sharing a term with this one, and the cosine with each."""
        rows = sparse.vstack([self._matrix, *self._pending], format="csr") if self._pending else self._matrix
        column = (rows @ vector.T).tocsc()
        return column.indices.astype(np.int64), column.data

    def _remember(self, vector: sparse.csr_matrix) -> None:
        self._pending.append(vector)
        if len(self._pending) >= FLUSH_ROWS:
            self._matrix = sparse.vstack([self._matrix, *self._pending], format="csr")
            self._pending = []


def link_stories(articles: Iterable[AnalysedArticle], options: StoryOptions = StoryOptions()) -> list[Story]:
    """The stories of a batch of articles, placed in publication order (so any input order gives the same stories)."""
    ordered = _first_per_url(sorted(articles, key=lambda article: order_key(article.record)))
    terms = _Terms(options)
    term_lists = [terms(article) for article in ordered]
    if not any(term_lists):  # nothing to compare (no input, or no words): each article stands alone
        return [Story(story_id(a.record.url), (a.record.url,), a.record.title) for a in ordered]
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(term_lists).tocsr()
    # every article against every other in one product; each takes the row of the ones before it
    similarity = (matrix @ matrix.T).tocsr()
    linker = StoryLinker(TermWeights(vectorizer, terms), options)
    for i, (article, signature) in enumerate(zip(ordered, signatures(ordered))):
        start, stop = similarity.indptr[i], similarity.indptr[i + 1]
        columns, values = similarity.indices[start:stop], similarity.data[start:stop]
        before = columns < i
        linker.add(article, Prepared(matrix[i], signature, columns[before].astype(np.int64), values[before]))
    return linker.stories()


def _first_per_url(articles: list[AnalysedArticle]) -> list[AnalysedArticle]:
    seen: set[str] = set()
    kept = []
    for article in articles:
        if article.record.url not in seen:
            seen.add(article.record.url)
            kept.append(article)
    return kept


def story_id(first_url: str) -> str:
    return "story-" + hashlib.sha1(first_url.encode("utf-8")).hexdigest()[:12]


def signatures(articles: list[AnalysedArticle]) -> list[MinHash]:
    """MinHash signatures of each article's word shingles (title and text), made in one batch."""
    shingles = [_shingles(article.record.title + "\n" + article.record.text) for article in articles]
    return MinHash.bulk(shingles, num_perm=PERMUTATIONS, seed=1)


def _shingles(text: str) -> list[bytes]:
    tokens = [normal(word) for word in _SHINGLE_WORDS.findall(text)]
    return list({" ".join(tokens[i:i + SHINGLE]).encode("utf-8") for i in range(max(1, len(tokens) - SHINGLE + 1))})


def _appended(values: np.ndarray, at: int, value: float) -> np.ndarray:
    if at >= len(values):
        values = np.concatenate([values, np.zeros(len(values))])
    values[at] = value
    return values


def _numbers(text: str) -> frozenset[str]:
    return frozenset(number.replace(",", ".") for number in _NUMBER.findall(text))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
