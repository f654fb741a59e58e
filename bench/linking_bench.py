"""Linking throughput on one core: articles/s for stories, quotes/s for utterances, peak memory.

Reads article records (the multi-outlet stream by default) and the extractor's quotes for each
from a cache (made on the first run: natasha over every article takes minutes; `--workers 2`).
Linking is then timed in this one process, on its CPU time (the machine may be shared: wall time
would count the other processes' turns), after analysis: one untimed pass fills the lemma caches,
as a running linker has them. Utterances are timed twice: the grouping alone, then the whole stage
(grouping, the verbatim search in each story, first sources, relations). `--copies N` repeats the
stream N times, each copy three days later and at other URLs, to see how the rates hold as the
corpus grows (about 9,200 quotes a copy).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/linking_bench.py
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/linking_bench.py --copies 4

Not a test: the figures are printed, and go to the README by hand.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

from skazal.ingest.records import ArticleRecord, read_records  # noqa: E402
from skazal.linking.analysis import analysed_articles  # noqa: E402
from skazal.linking.linker import LinkOptions, link_utterances  # noqa: E402
from skazal.linking.records import AnalysedArticle  # noqa: E402
from skazal.linking.reported import sentences  # noqa: E402
from skazal.linking.stories import link_stories  # noqa: E402
from skazal.linking.timeline import order_key  # noqa: E402
from skazal.linking.utterances import UtteranceLinker, printings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "corpus" / "multi-outlet" / "articles.jsonl"
CACHE = ROOT / "bench" / "out" / "linking_quotes.jsonl"
COPY_SHIFT = timedelta(days=3)


def shifted(article: AnalysedArticle, copy: int) -> AnalysedArticle:
    """The article as if printed `copy` times three days later, at another address."""
    record = article.record
    if copy == 0 or not record.published:
        published = record.published
    else:
        form = "%Y-%m-%dT%H:%MZ" if record.time_precision == "minute" else "%Y-%m-%d"
        published = (datetime.strptime(record.published, form) + copy * COPY_SHIFT).strftime(form)
    url = record.url if copy == 0 else f"{record.url}#copy{copy}"
    return replace(article, record=replace(record, url=url, published=published))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--workers", type=int, default=1, help="extraction processes for a cold cache")
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    records = {r.url: r for r in read_records(args.articles) if isinstance(r, ArticleRecord)}
    started = time.process_time()
    base = analysed_articles(list(records.values()), args.cache, args.workers)
    print(f"analysis (extractor or cache)  {time.process_time() - started:8.1f} s for {len(base)} articles")
    articles = sorted((shifted(a, k) for k in range(args.copies) for a in base), key=lambda a: order_key(a.record))
    options = LinkOptions()

    link_stories(articles[:2000], options.stories)  # fills the lemma caches: analysis, not linking
    started = time.process_time()
    stories = link_stories(articles, options.stories)
    story_seconds = time.process_time() - started
    story_of = {url: story.id for story in stories for url in story.urls}

    quotes = printings(articles, story_of, options.utterances)  # the quotes' lemmas: analysis
    started = time.process_time()
    for article in articles:  # the lemmas of every sentence, where reported speech is looked for: analysis
        sentences(article.record.text)
    sentence_seconds = time.process_time() - started
    started = time.process_time()
    linker = UtteranceLinker(options.utterances)
    for quote in quotes:
        linker.add(quote)
    groups = linker.groups()
    grouping_seconds = time.process_time() - started
    started = time.process_time()
    utterances = link_utterances(articles, stories, options.utterances)
    utterance_seconds = time.process_time() - started

    print(f"sentences   {len(articles):8d} articles {sentence_seconds:8.1f} s lemmatised (analysis, not timed below)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shared = sum(len(group) > 1 for group in groups)
    n_articles, n_quotes = len(articles), len(quotes)
    print(f"stories     {n_articles:8d} articles {story_seconds:8.1f} s {n_articles / story_seconds:8.0f} articles/s"
          f"  ({len(stories)} stories)")
    print(f"grouping    {n_quotes:8d} quotes   {grouping_seconds:8.1f} s {n_quotes / grouping_seconds:8.0f} quotes/s"
          f"  ({shared} groups in more than one article)")
    print(f"utterances  {n_quotes:8d} quotes   {utterance_seconds:8.1f} s {n_quotes / utterance_seconds:8.0f} quotes/s"
          f"  (grouping, verbatim search in the stories, first sources, relations: {len(utterances)} utterances)")
    print(f"peak memory {peak_mb:8.0f} MB (one process)")


if __name__ == "__main__":
    main()
