"""`skazal quotes`, `speakers`, `search`, `stats` and `db upgrade`: the corpus store from the command line."""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from sqlalchemy.exc import OperationalError

from skazal.errors import SkazalError
from skazal.export import csv_table
from skazal.search_syntax import check_search
from skazal.store import Scope, Store, open_store
from skazal.store.connect import create_store_engine, database_url

FORMATS = ("table", "csv", "jsonl", "parquet")
CELL_WIDTH = 70
KINDS = ("direct", "mixed", "indirect")
# How many outlets an --outlet that matches none suggests.
OUTLETS_SUGGESTED = 5
MISSING_DATABASE = re.compile(r'database "([^"]+)" does not exist')

# What a person reads in a table; csv, jsonl and parquet carry every field.
TABLE_COLUMNS = {
    "quotes": ("day", "outlet", "speaker", "kind", "text"),
    "speakers": ("speaker", "type", "outlet", "period", "quotes", "documents", "first", "last"),
    "search": ("kind", "day", "outlet", "speaker", "snippet"),
}


def register(subparsers) -> None:
    quotes = _query_parser(subparsers, "quotes", "quotes from the corpus, the newest first",
                           'skazal quotes --speaker "Д. Песков" --kind direct --q санкции --since 2024-01-01')
    quotes.add_argument("--speaker", metavar="NAME", help='any form of a name: "Лукашенко А.Г.", "Лукашенко"')
    quotes.add_argument("--kind", choices=KINDS, help="direct, mixed or indirect speech only")
    quotes.add_argument("--q", metavar="WORDS", help="quotes holding every one of these words, in any form")
    quotes.set_defaults(run=run_quotes)

    speakers = _query_parser(subparsers, "speakers", "who is quoted most",
                             "skazal speakers --by outlet --by month --since 2024-01-01 --format csv")
    speakers.add_argument(
        "--by", action="append", default=[], choices=("outlet", "day", "month", "year"),
        help="count per outlet and/or per period (repeatable)",
    )
    speakers.set_defaults(run=run_speakers)

    search = _query_parser(subparsers, "search", "full-text search of quotes and bodies, any grammatical form",
                           "skazal search --outlet lenta.ru --speaker Песков санкциями")
    search.add_argument("text", help="the words to find: all of them, in any form and order (no phrases in quotes, "
                                     "OR or NOT)")
    search.add_argument("--speaker", metavar="NAME",
                        help="this person's quotes holding the words (as quotes --speaker NAME --q WORDS)")
    search.set_defaults(run=run_search)

    stats = _query_parser(subparsers, "stats", "counts of documents, quotes, speakers, outlets, failures",
                          "skazal stats --db postgresql://postgres@127.0.0.1:5432/news --since 2024-01-01")
    stats.set_defaults(run=run_stats)

    db = subparsers.add_parser("db", help="manage the corpus database")
    actions = db.add_subparsers(dest="action", required=True)
    upgrade = actions.add_parser("upgrade", help="create or update the schema (migrations to the newest)",
                                 epilog=example("skazal db upgrade --db postgresql://postgres@127.0.0.1:5432/news"),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    _database_option(upgrade)
    upgrade.set_defaults(run=run_upgrade)


def _database_option(parser) -> None:
    parser.add_argument("--db", metavar="URL", help="path or database URL (default: $SKAZAL_DB, else skazal.db)")


def example(command: str) -> str:
    """The line of a command's --help that shows it at work."""
    return f"example:\n  {command}\n"


def _query_parser(subparsers, name: str, summary: str, shown: str):
    parser = subparsers.add_parser(name, help=summary, description=summary, epilog=example(shown),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    _database_option(parser)
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--since", metavar="YYYY-MM-DD", type=_day, help="from this day on")
    parser.add_argument("--until", metavar="YYYY-MM-DD", type=_day, help="up to and including this day")
    parser.add_argument("--outlet", metavar="HOST", help='one outlet only ("lenta.ru")')
    parser.add_argument("--limit", type=int, default=100, help="at most this many rows (0: all; default 100)")
    return parser


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a day: {text!r} (write it as 2024-05-31)") from error


def _scope(args) -> Scope:
    return Scope(since=args.since, until=args.until, outlet=args.outlet, limit=args.limit or None)


def reading_store(url: str | None) -> Store:
    """The store at `url` opened for reading alone: a missing SQLite file is an error, never created."""
    return Store(create_store_engine(database_url(url), read_only=True))


def on_store(url: str | None, action, checked: bool = True, opener=open_store) -> int:
    """Open the store at `url` (with `opener`), check its schema (if `checked`) and run `action` on it;
    a failure is reported once, here at the edge. Returns the exit status."""
    try:
        with opener(url) as store:
            if checked:
                store.check_schema()
            return action(store) or 0
    except SkazalError as error:
        print(f"skazal: {error}", file=sys.stderr)
    except OperationalError as error:
        print(f"skazal: {database_trouble(error, url)}", file=sys.stderr)
    return 1


def database_trouble(error: OperationalError, url: str | None) -> str:
    """What is wrong with the database, in one line."""
    said = str(error.orig).strip().splitlines()
    return missing_database(error, url) or f"cannot use the database: {said[0] if said else type(error.orig).__name__}"


def missing_database(error: OperationalError, url: str | None) -> str | None:
    """For a PostgreSQL database that does not exist, the line saying so with the command that creates it."""
    missing = MISSING_DATABASE.search(str(error.orig))
    if missing is None:
        return None
    where = database_url(url)
    host, port, user = where.host or "localhost", where.port or 5432, where.username or "postgres"
    return (f'no PostgreSQL database "{missing.group(1)}" on {host}:{port}: create it with '
            f"`createdb -h {host} -p {port} -U {user} {missing.group(1)}`, then run the command again")


def _rows(args, query, shown_as: str | None = None) -> int:
    """Write the rows `query` finds as `args` ask, in the table columns of `shown_as` (the command's own)."""
    if args.format == "parquet" and not args.output and sys.stdout.isatty():
        print(f"skazal: Parquet is binary, not for a terminal: add --output {args.command}.parquet "
              f"(or redirect: > {args.command}.parquet)", file=sys.stderr)
        return 2
    columns = TABLE_COLUMNS.get(shown_as or args.command)

    def answer(store: Store) -> int:
        rows = query(store)
        if not rows and args.outlet and not _knows_outlet(store, args.outlet):
            return 1
        write_rows(rows, args.format, args.output, columns)
        return 0

    return on_store(args.db, answer, opener=reading_store)


def _knows_outlet(store: Store, outlet: str) -> bool:
    """Whether the corpus has an outlet of this name; when not, the outlets it has are suggested."""
    names = [listed.name for listed in store.outlets()]
    if outlet in names:
        return True
    close = difflib.get_close_matches(outlet, names, n=OUTLETS_SUGGESTED, cutoff=0.75)
    if close:
        print(f'skazal: no outlet "{outlet}" in the corpus; did you mean {", ".join(close)}?', file=sys.stderr)
    elif names:
        more = f" (the {OUTLETS_SUGGESTED} most quoted of {len(names)})" if len(names) > OUTLETS_SUGGESTED else ""
        print(f'skazal: no outlet "{outlet}" in the corpus; it has {", ".join(names[:OUTLETS_SUGGESTED])}{more}',
              file=sys.stderr)
    else:
        print(f'skazal: no outlet "{outlet}": the corpus holds no outlets yet', file=sys.stderr)
    return False


def run_quotes(args) -> int:
    return _rows(args, lambda store: store.quotes(speaker=args.speaker, scope=_scope(args), kind=args.kind,
                                                  words=check_search(args.q)))


def run_speakers(args) -> int:
    return _rows(args, lambda store: store.speakers(scope=_scope(args), by=tuple(args.by)))


def run_search(args) -> int:
    if args.speaker:
        return _rows(args, lambda store: store.quotes(speaker=args.speaker, scope=_scope(args),
                                                      words=check_search(args.text)), shown_as="quotes")
    return _rows(args, lambda store: store.search(check_search(args.text), scope=_scope(args)))


def run_stats(args) -> int:
    return _rows(args, lambda store: [store.stats(scope=_scope(args))])


def run_upgrade(args) -> int:
    status = on_store(args.db, lambda store: store.upgrade(), checked=False)
    if status == 0:
        print("skazal: the corpus schema is up to date", file=sys.stderr)
    return status


def write_rows(rows: list, format: str, output: str | None, columns: tuple[str, ...] | None) -> None:
    """Render query results (dataclass records) as a table, CSV, JSON Lines or Parquet."""
    records = [asdict(row) for row in rows]
    if format == "parquet":
        _write_parquet(records, output)
        return
    text = {"table": _table, "csv": _csv, "jsonl": _jsonl}[format](records, columns)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _jsonl(records: list[dict], _columns) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def _csv(records: list[dict], _columns) -> str:
    return csv_table(records)


def _table(records: list[dict], columns: tuple[str, ...] | None) -> str:
    if not records:
        return "(nothing found)\n"
    if len(records) == 1 and columns is None:
        width = max(map(len, records[0]))
        return "".join(f"{name:<{width}}  {_cell(value)}\n" for name, value in records[0].items())
    shown = [name for name in columns or records[0] if any(record[name] is not None for record in records)]
    cells = [[_short(_cell(record[name])) for name in shown] for record in records]
    widths = [max(len(name), *(len(row[i]) for row in cells)) for i, name in enumerate(shown)]
    lines = [shown, ["-" * width for width in widths], *cells]
    return "".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() + "\n" for line in lines)


def _write_parquet(records: list[dict], output: str | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(records) if records else pa.table({})
    if output:
        pq.write_table(table, output)
    else:
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        sys.stdout.buffer.write(sink.getvalue().to_pybytes())
        sys.stdout.flush()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return json.dumps(value)
    return str(value)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"

