"""`skazal extract`: pages in, who said what out (json, jsonl or text)."""
from __future__ import annotations

import argparse
import json

from skazal.cli.corpus_commands import example
from skazal.cli.inputs import read_inputs
from skazal.cli.render import page_as_text
from skazal.errors import SkazalError
from skazal.export import page_as_dict
from skazal.ingest.inputs import failure
from skazal.ingest.progress import ProgressBar
from skazal.pipeline import extract


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "extract", help="read pages and print who said what", description="read pages and print who said what",
        epilog=example("skazal extract --format jsonl --url https://lenta.ru/news/2024/05/31/x/ saved.html"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="text or HTML page; - reads standard input")
    parser.add_argument("--format", choices=("json", "jsonl", "text"), default="text")
    parser.add_argument("--url", help="the page's address, when a single page is read")
    parser.set_defaults(run=run)


def run(args) -> int:
    pages = []
    progress = ProgressBar(total=len(args.paths))
    try:
        for name, raw in read_inputs(args.paths):
            try:
                if isinstance(raw, SkazalError):
                    raise raw
                progress.models_loading()  # the first page waits on them
                page = extract(raw, url=args.url)
                progress.models_ready()
                record = page_as_dict(page, source=name)
                shown = _shown(page, record, name, args.format)
            except SkazalError as error:
                progress.failed(failure(name, str(error)))
                continue
            except Exception as error:  # the CLI edge: one input's fault, named, and the others are still read
                progress.failed(failure(name, f"internal error: {type(error).__name__}: {error}"))
                continue
            if shown is None:
                pages.append(record)
            else:
                print(shown, flush=True)
            progress.advance("read")
    finally:
        progress.close()
    if args.format == "json":
        print(json.dumps(pages, ensure_ascii=False, indent=2))
    return 1 if progress.errors else 0


def _shown(page, record: dict, name: str, output: str) -> str | None:
    """What is printed for one page as it is read; None for json, printed whole at the end."""
    if output == "json":
        return None
    return json.dumps(record, ensure_ascii=False) if output == "jsonl" else page_as_text(page, name)
