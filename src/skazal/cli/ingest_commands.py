"""`skazal ingest`, `skazal watch` and `skazal failures`: filling the corpus and seeing what would not go in."""
from __future__ import annotations

import sys

from sqlalchemy.exc import OperationalError

from skazal.errors import SkazalError
from skazal.ingest import FetchOptions, IngestOptions, ingest, watch
from skazal.ingest.progress import ProgressBar
from skazal.ingest.run import reason
from skazal.store import open_store


def register(subparsers) -> None:
    parser = subparsers.add_parser("ingest", help="read pages, WARC archives, feeds or URLs into the corpus")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="a page, a folder, a .warc(.gz), an RSS/Atom feed (file or URL), a list of URLs, a URL")
    _add_run_options(parser)
    parser.set_defaults(run=run_ingest)

    parser = subparsers.add_parser("watch", help="poll feeds and ingest their new items")
    parser.add_argument("feeds", nargs="+", metavar="FEED", help="an RSS/Atom feed URL or file")
    parser.add_argument("--interval", type=float, default=600.0, help="seconds between polls (default 600)")
    parser.add_argument("--once", action="store_true", help="poll once and stop")
    parser.add_argument("--max-polls", type=int, help="stop after this many polls")
    _add_run_options(parser)
    parser.set_defaults(run=run_watch)

    parser = subparsers.add_parser("failures", help="list the inputs that could not be ingested, and why")
    parser.add_argument("--db", help="database URL or SQLite path (default: $SKAZAL_DB or skazal.db)")
    parser.add_argument("--limit", type=int, help="show at most this many")
    parser.set_defaults(run=run_failures)


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
    return _run(args, lambda store, progress: ingest(args.sources, store, _options(args), progress))


def run_watch(args) -> int:
    polls = 1 if args.once else args.max_polls
    return _run(args, lambda store, progress: watch(args.feeds, store, args.interval, polls, _options(args), progress))


def _open(url: str | None):
    """The store, upgraded; None (the reason said on stderr) when it cannot be opened."""
    try:
        store = open_store(url)
        store.upgrade()
    except (SkazalError, OperationalError) as error:
        _say(error)
        return None
    return store


def _run(args, work) -> int:
    store = _open(args.db)
    if store is None:
        return 2
    progress = ProgressBar()
    try:
        report = work(store, progress)
    except (SkazalError, OperationalError) as error:
        _say(error)
        return 2
    finally:
        progress.close()
        store.close()
    print(f"skazal: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0


def _say(error: Exception) -> None:
    """One line on stderr: a database that cannot be reached or is locked past the wait, or another
    error a user can act on."""
    said = f"cannot use the database: {reason(error)}" if isinstance(error, OperationalError) else str(error)
    print(f"skazal: {said}", file=sys.stderr)


def run_failures(args) -> int:
    store = _open(args.db)
    if store is None:
        return 2
    with store:
        for failure in store.failures(limit=args.limit):
            print(f"{failure.at}\t{failure.location}\t{failure.reason}")
    return 0
