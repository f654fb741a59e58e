"""`skazal ingest`, `skazal watch` and `skazal failures`: filling the corpus and seeing what would not go in."""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from sqlalchemy.exc import OperationalError

from skazal.cli.corpus_commands import example, missing_database, on_store, reading_store
from skazal.errors import SkazalError
from skazal.ingest import FetchOptions, IngestOptions, ingest, watch
from skazal.ingest.count import count_pages
from skazal.ingest.progress import ProgressBar
from skazal.ingest.run import IngestReport, reason
from skazal.store import open_store
from skazal.store.write import DUPLICATE, NEW, REVISION, UNCHANGED

EXAMPLES = {
    "ingest": "skazal ingest --db news.db saved-pages/ https://lenta.ru/rss/news",
    "watch": "skazal watch --db news.db --interval 900 https://lenta.ru/rss/news https://tass.ru/rss/v2.xml",
    "failures": "skazal failures --db news.db --limit 20",
}
# The summary's outcomes, in its order: the first, the unchanged and the failed always, the others when any.
# An input skipped because the store holds it ("stored") is unchanged too.
SUMMARY = (NEW, REVISION, DUPLICATE, UNCHANGED, "failed")
ALWAYS_SAID = (NEW, UNCHANGED, "failed")


def register(subparsers) -> None:
    parser = _command(subparsers, "ingest", "read pages, WARC archives, feeds or URLs into the corpus")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="a page, a folder, a .warc(.gz), an RSS/Atom feed (file or URL), a list of URLs, a URL")
    _add_run_options(parser)
    parser.set_defaults(run=run_ingest)

    parser = _command(subparsers, "watch", "poll feeds and ingest their new items")
    parser.add_argument("feeds", nargs="+", metavar="FEED", help="an RSS/Atom feed URL or file")
    parser.add_argument("--interval", type=float, default=600.0, help="seconds between polls (default 600)")
    parser.add_argument("--once", action="store_true", help="poll once and stop")
    parser.add_argument("--max-polls", type=int, help="stop after this many polls")
    _add_run_options(parser)
    parser.set_defaults(run=run_watch)

    parser = _command(subparsers, "failures", "list the inputs that could not be ingested, and why")
    parser.add_argument("--db", help="database URL or SQLite path (default: $SKAZAL_DB or skazal.db)")
    parser.add_argument("--limit", type=int, help="show at most this many")
    parser.set_defaults(run=run_failures)


def _command(subparsers, name: str, summary: str):
    return subparsers.add_parser(name, help=summary, description=summary, epilog=example(EXAMPLES[name]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_run_options(parser) -> None:
    parser.add_argument("--db", help="database URL or SQLite path (default: $SKAZAL_DB or skazal.db)")
    parser.add_argument("--workers", type=int,
                        help="processes for reading and NLP (default: one per core; 0: this process)")
    parser.add_argument("--batch-size", type=int, default=50, help="pages written in one transaction (default 50)")
    parser.add_argument("--allow-private", action="store_true",
                        help="fetch from private and loopback addresses too (tests, an intranet); "
                             "a redirect to another host is checked all the same")
    parser.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                        help="fetch from this host even on a private address: on PORT only, or on 80 and 443 "
                             "when none is given (repeatable)")
    parser.add_argument("--timeout", type=float, default=20.0, help="network timeout in seconds (default 20)")
    parser.add_argument("--host-delay", type=float, default=1.0,
                        help="seconds between two requests to one host (default 1; robots.txt may ask for more)")


def _options(args) -> IngestOptions:
    fetch = FetchOptions(timeout=args.timeout, deadline=max(3 * args.timeout, 60.0),
                         host_delay=args.host_delay, allow_private=args.allow_private,
                         private_hosts=tuple(args.allow_host))
    return IngestOptions(workers=args.workers, batch_size=args.batch_size, fetch=fetch)


def run_ingest(args) -> int:
    return _run(args, lambda store, progress: ingest(args.sources, store, _options(args), progress),
                count_pages(args.sources))


def run_watch(args) -> int:
    polls = 1 if args.once else args.max_polls
    return _run(args, lambda store, progress: watch(args.feeds, store, args.interval, polls, _options(args), progress))


def _open(url: str | None):
    """The store, upgraded; None (the reason said on stderr) when it cannot be opened."""
    try:
        store = open_store(url)
        store.upgrade()
    except (SkazalError, OperationalError) as error:
        _say(error, url)
        return None
    return store


def _run(args, work, total: int | None = None) -> int:
    store = _open(args.db)
    if store is None:
        return 2
    started = time.monotonic()
    progress = ProgressBar(total)
    try:
        report = work(store, progress)
    except (SkazalError, OperationalError) as error:
        _say(error, args.db)
        return 2
    finally:
        progress.close()
        store.close()
    print(f"skazal: {summary(report, time.monotonic() - started)}", file=sys.stderr)
    return 1 if report.failed else 0


def summary(report: IngestReport, seconds: float) -> str:
    """How the inputs ended, in one line: "74 pages in 3.2 s (23.1 pages/s): 3 new, 71 unchanged, 0 failed";
    revisions and duplicates are named when there are any."""
    counts: Counter[str] = Counter()
    for outcome, count in report.outcomes.items():
        counts[UNCHANGED if outcome == "stored" else outcome] += count
    pages = sum(counts.values())
    if not pages:
        return "nothing to ingest"
    said = ", ".join(f"{counts[outcome]} {outcome}" for outcome in SUMMARY if counts[outcome] or outcome in ALWAYS_SAID)
    plural = "" if pages == 1 else "s"
    return f"{pages:,} page{plural} in {seconds:.1f} s ({pages / max(seconds, 1e-9):.1f} pages/s): {said}"


def _say(error: Exception, url: str | None) -> None:
    """One line on stderr: a database that cannot be reached or is locked past the wait, or another
    error a user can act on."""
    if isinstance(error, OperationalError):
        said = missing_database(error, url) or f"cannot use the database: {reason(error)}"
    else:
        said = str(error)
    print(f"skazal: {said}", file=sys.stderr)


def run_failures(args) -> int:
    def listed(store) -> None:
        for failure in store.failures(limit=args.limit):
            print(f"{failure.at}\t{failure.location}\t{failure.reason}")

    return on_store(args.db, listed, opener=reading_store)
