"""`skazal links`: article records in, stories and utterances across outlets out."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from skazal.ingest.records import ArticleRecord, BadArticleRecord, read_records

DEFAULT_WORKERS = min(2, os.cpu_count() or 1)


def register(subparsers) -> None:
    parser = subparsers.add_parser("links", help="link articles into stories and quotes across outlets")
    parser.add_argument("paths", nargs="+", metavar="ARTICLES", help="article records: .jsonl or .csv")
    parser.add_argument("--format", choices=("jsonl",), default="jsonl")
    parser.add_argument("--cache", type=Path, help="JSON Lines file keeping each article's extracted quotes")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="extraction processes")
    parser.set_defaults(run=run)


def run(args) -> int:
    # imported here: scikit-learn and scipy would slow every other command's start
    from skazal.linking import link, story_line, utterance_line
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
    for story in linking.stories:
        print(json.dumps(story_line(story), ensure_ascii=False))
    for utterance in linking.utterances:
        print(json.dumps(utterance_line(utterance), ensure_ascii=False))
    return 1 if bad else 0


def _unique(records: list[ArticleRecord]) -> list[ArticleRecord]:
    """One record per URL (an article listed twice, as in two rubrics, is one article)."""
    seen: dict[str, ArticleRecord] = {}
    for record in records:
        seen.setdefault(record.url or record.page_text, record)
    return list(seen.values())
