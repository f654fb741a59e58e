"""`skazal extract`: pages in, who said what out (json, jsonl or text)."""
from __future__ import annotations

import json
import sys

from skazal.cli.inputs import read_inputs
from skazal.cli.render import page_as_text
from skazal.errors import SkazalError
from skazal.export import page_as_dict
from skazal.pipeline import extract


def register(subparsers) -> None:
    parser = subparsers.add_parser("extract", help="read pages and print who said what")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="text or HTML page; - reads standard input")
    parser.add_argument("--format", choices=("json", "jsonl", "text"), default="text")
    parser.add_argument("--url", help="the page's address, when a single page is read")
    parser.set_defaults(run=run)


def run(args) -> int:
    failures = 0
    pages = []
    for name, raw in read_inputs(args.paths):
        try:
            if isinstance(raw, SkazalError):
                raise raw
            page = extract(raw, url=args.url)
        except SkazalError as error:
            failures += 1
            print(f"skazal: {name}: {error}", file=sys.stderr)
            continue
        record = page_as_dict(page, source=name)
        if args.format == "jsonl":
            print(json.dumps(record, ensure_ascii=False), flush=True)
        elif args.format == "json":
            pages.append(record)
        else:
            print(page_as_text(page, name))
    if args.format == "json":
        print(json.dumps(pages, ensure_ascii=False, indent=2))
    return 1 if failures else 0
