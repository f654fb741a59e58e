"""`skazal links`, `stories` and `utterance`: stories and quotes across outlets, from article records
or from the corpus store."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from skazal.cli.corpus_commands import example, on_store, write_rows
from skazal.errors import SkazalError
from skazal.ingest.records import ArticleRecord, BadArticleRecord, read_records

DEFAULT_WORKERS = min(2, os.cpu_count() or 1)
STORY_COLUMNS = ("id", "first_published", "outlets", "articles", "utterances", "title")
DIFF_MARKS = {"same": "{}", "added": "{{+{}+}}", "dropped": "[-{}-]"}  # as wdiff and git diff --word-diff


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "links", help="link articles into stories and quotes across outlets",
        description="Link article records (files), or the corpus store's documents (no files; saved to the "
                    "store), into stories and utterances; print them as JSON Lines.",
        epilog=example("skazal links --db news.db --format jsonl > links.jsonl"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="ARTICLES", help="article records: .jsonl or .csv")
    _database_option(parser)
    parser.add_argument("--format", choices=("jsonl", "none"), default="jsonl",
                        help="jsonl: a story or utterance a line, as the linking scorer reads them")
    parser.add_argument("--cache", type=Path, help="JSON Lines file keeping each article's extracted quotes")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="extraction processes")
    parser.set_defaults(run=run)

    stories = subparsers.add_parser("stories", help="stories of the corpus, those most outlets printed first",
                                    epilog=example("skazal stories --db news.db --limit 20"),
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    _database_option(stories)
    stories.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    stories.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    stories.add_argument("--limit", type=int, default=100, help="at most this many rows (0: all; default 100)")
    stories.set_defaults(run=run_stories)

    utterance = subparsers.add_parser("utterance", help="one statement with every printing of it across outlets",
                                      epilog=example("skazal utterance --db news.db utt-3f2a9c1b"),
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
    utterance.add_argument("id", metavar="ID", help="an utterance id, as `skazal links` gives it (utt-…)")
    _database_option(utterance)
    utterance.add_argument("--format", choices=("text", "jsonl"), default="text")
    utterance.set_defaults(run=run_utterance)


def _database_option(parser) -> None:
    parser.add_argument("--db", metavar="URL", help="path or database URL (default: $SKAZAL_DB, else skazal.db)")


def run(args) -> int:
    if args.paths and args.db:
        print("skazal: give article files or --db, not both", file=sys.stderr)
        return 2
    if not args.paths:
        return on_store(args.db, lambda store: _link_store(store, args.format))
    return _link_files(args)


def _link_store(store, format: str) -> None:
    from skazal.linking import link

    found = link(store.articles_to_link())
    saved = store.save_linking(found.stories, found.utterances)
    print(f"skazal: {saved.stories} stories, {saved.utterances} utterances, {saved.occurrences} occurrences",
          file=sys.stderr)
    if format == "jsonl":
        _print_lines(*store.linking())


def _link_files(args) -> int:
    # imported here: scikit-learn and scipy would slow every other command's start
    from skazal.linking import link
    from skazal.linking.analysis import analysed_articles

    records, bad = [], 0
    for path in args.paths:
        try:
            for record in read_records(Path(path)):
                if isinstance(record, BadArticleRecord):
                    bad += 1
                    print(f"skazal: {record}", file=sys.stderr)
                else:
                    records.append(record)
        except (OSError, UnicodeDecodeError) as error:
            bad += 1
            print(f"skazal: {path}: {error}", file=sys.stderr)
    linking = link(analysed_articles(_unique(records), args.cache, args.workers))
    if args.format == "jsonl":
        _print_lines(linking.stories, linking.utterances)
    return 1 if bad else 0


def _print_lines(stories, utterances) -> None:
    from skazal.linking import story_line, utterance_line

    for story in stories:
        print(json.dumps(story_line(story), ensure_ascii=False))
    for utterance in utterances:
        print(json.dumps(utterance_line(utterance), ensure_ascii=False))


def _unique(records: list[ArticleRecord]) -> list[ArticleRecord]:
    """One record per URL (an article listed twice, as in two rubrics, is one article)."""
    seen: dict[str, ArticleRecord] = {}
    for record in records:
        seen.setdefault(record.url or record.page_text, record)
    return list(seen.values())


def run_stories(args) -> int:
    return on_store(args.db, lambda store: write_rows(store.stories(limit=args.limit or None), args.format,
                                                      args.output, STORY_COLUMNS))


def run_utterance(args) -> int:
    return on_store(args.db, lambda store: _show_utterance(store, args.id, args.format))


def _show_utterance(store, utterance_id: str, format: str) -> None:
    view = store.utterance(utterance_id)
    if view is None:
        raise SkazalError(f"no utterance {utterance_id} (`skazal links --db …` links the corpus)")
    if format == "jsonl":
        from skazal.linking import utterance_line

        print(json.dumps(utterance_line(view.utterance), ensure_ascii=False))
        return
    sys.stdout.write(utterance_as_text(view))


def utterance_as_text(view) -> str:
    """An utterance for a terminal: the reference wording, then each printing by time, its changed
    words marked {+added+} and [-dropped-]."""
    utterance = view.utterance
    lines = [f"== {utterance.id}", f"Speaker:   {utterance.speaker or '(unnamed)'}"]
    if view.story_title:
        lines.append(f"Story:     {view.story_title} ({utterance.story})")
    lines.append(f"Outlets:   {len(view.outlets)}, {len(view.occurrences)} printings")
    if view.origin:
        lines.append(f"Origin:    {view.origin} (the first printing cites it)")
    lines.append(f"Reference: «{utterance.reference}»")
    for stored in view.occurrences:
        o = stored.occurrence
        marks = ["first" + (" (tie)" if o.tied_first else "")] if o.first else []
        if o.cites:
            marks.append(f"cites {o.cites}")
        if o.meaning_altered:
            marks.append("meaning altered: " + "; ".join(o.changes))
        head = f"  {o.published or '(no date)'}  {o.outlet or o.url}  {o.relation}"
        lines.append(head + (f"  [{', '.join(marks)}]" if marks else ""))
        lines.append("    " + "".join(DIFF_MARKS[kind].format(words) for kind, words in stored.differing))
    return "\n".join(lines) + "\n"
