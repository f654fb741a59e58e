"""Query latency of the corpus store at scale: speaker lookup and full-text search over 1,000,000 quotes,
cold and warm, beside the same queries as raw SQL.

Builds an SQLite store by repeating the real quotes of the gold sets (with their real speakers,
recombined into a few thousand names) over varied outlets and days, through the store's own write path
(Store.save_pages, in batches); the PostgreSQL store is that very corpus copied table by table (COPY),
so both backends answer over the same rows. Then, each in a fresh process:

- after the bulk load: the first queries once the store is filled (caches as loading left them);
- cold: the first queries after a restart, the caches emptied first (bench/search_cache.py);
- warm: the same queries again in that process;
- warmed up: cold again, but after what `skazal serve` does at start (serve_command.warm_up) and a
  pause for the read-ahead it asks for.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/search_bench.py --backend both --quotes 100000 1000000
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/search_bench.py --drop    # remove the bench stores

Not a test: the figures go to bench/out/search_bench.json and the README.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from search_cache import drop_scratch, empty_postgres_caches, empty_sqlite_caches
from sqlalchemy import Integer, select, text

from skazal.cli.serve_command import warm_up
from skazal.records import Article, IngestedPage, Page, Quote, Speaker
from skazal.store import Scope, Store, open_store
from skazal.store.dialects import full_text
from skazal.store.lemmas import fold, morph, query_lemmas, words
from skazal.store.link_tables import metadata
from skazal.store.schema import outlets, search_entries

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD_SETS = (
    SHARED / "eval" / "dev" / "gold.jsonl",
    SHARED / "corpus" / "html-modern" / "gold.jsonl",
    ROOT / "tests" / "data" / "quote_sentences.jsonl",
)
OUT = ROOT / "bench" / "out"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
OUTLETS = tuple(
    f"{name}.ru" for name in ("lenta", "ria", "tass", "rbc", "kommersant", "meduza", "fontanka", "iz", "gazeta", "rg")
) + ("news.zerkalo.io", "bykvu.com", "pravda.com.ua", "ru.wikinews.org", "kamtime.ru", "orenday.ru")
QUOTES_PER_PAGE = 25  # a news page of a few thousand characters
PAGES_PER_BATCH = 20
QUERY_RUNS = 200


@dataclass(frozen=True)
class RealQuote:
    kind: str
    text: str
    speaker: str | None


def real_quotes() -> list[RealQuote]:
    found = []
    for path in GOLD_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            for quote in json.loads(line).get("quotes", []):
                speaker = quote.get("speaker")
                name = speaker.get("name") if isinstance(speaker, dict) else speaker
                found.append(RealQuote(kind=quote["kind"], text=quote["text"], speaker=name))
    return found


def speaker_pool(quotes: list[RealQuote], size: int, rng: random.Random) -> list[Speaker]:
    """The real speakers, and more people made by recombining their first names and surnames."""
    real = sorted({quote.speaker for quote in quotes if quote.speaker})
    people = [name.split() for name in real if len(name.split()) == 2 and name.istitle()]
    firsts, lasts = sorted({p[0] for p in people}), sorted({p[1] for p in people})
    names = dict.fromkeys(real)
    while len(names) < size and len(names) < len(real) + len(firsts) * len(lasts):
        names.setdefault(f"{rng.choice(firsts)} {rng.choice(lasts)}")
    return [Speaker(name=name, type="PER" if name.istitle() else "ORG") for name in names]


def pages(total_quotes: int, seed: int = 5) -> Iterator[IngestedPage]:
    rng = random.Random(seed)
    quotes = real_quotes()
    speakers = speaker_pool(quotes, 3000, rng)
    # A few speakers are quoted far more than the rest, as in the news.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(speakers))]
    for number in range(total_quotes // QUOTES_PER_PAGE):
        chosen = rng.choices(quotes, k=QUOTES_PER_PAGE)
        people = rng.choices(speakers, weights=weights, k=QUOTES_PER_PAGE)
        body, placed = "", []
        for quote, person in zip(chosen, people):
            start = len(body)
            body += quote.text + "\n\n"
            speaker = person if quote.speaker else None
            placed.append(Quote(kind=quote.kind, text=quote.text, start=start, end=start + len(quote.text),
                                speaker=speaker, confidence=0.8))
        day = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        outlet = rng.choice(OUTLETS)
        article = Article(body=body.strip(), title=f"Бенчмарк {number}", published=day)
        yield IngestedPage(
            location=f"https://{outlet}/bench/{number}",
            url=f"https://{outlet}/bench/{number}",
            outlet=outlet,
            content_hash=hashlib.sha256(article.body.encode()).hexdigest(),
            page=Page(article=article, quotes=tuple(placed)),
            fetched_at=f"{day}T12:00:00+00:00",
        )


def fill(store: Store, total_quotes: int) -> float:
    started = time.perf_counter()
    batch: list[IngestedPage] = []
    saved = 0
    for page in pages(total_quotes):
        batch.append(page)
        if len(batch) == PAGES_PER_BATCH:
            store.save_pages(batch)
            saved += len(batch) * QUOTES_PER_PAGE
            batch = []
            if saved % 50_000 == 0:
                rate = saved / (time.perf_counter() - started)
                print(f"  {saved:>9,} quotes saved ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    if batch:
        store.save_pages(batch)
    return time.perf_counter() - started


def declined(name: str, case: str) -> str:
    """The name in another grammatical case, word by word ("Александр Лукашенко" → "Александра Лукашенко")."""
    forms = []
    for match in words(name):
        parse = morph().parse(match.group())[0]
        inflected = parse.inflect({case})
        forms.append(inflected.word.capitalize() if inflected else match.group())
    return " ".join(forms)


def speaker_queries(rng: random.Random) -> list[str]:
    people = [s.name for s in speaker_pool(real_quotes(), 3000, random.Random(5)) if s.type == "PER"]
    queries = []
    for name in rng.sample(people, 100):
        first, last = name.split()[0], name.split()[-1]
        queries += [last, f"{last} {first[0]}.", declined(name, "gent"), declined(name, "ablt")]
    return queries


def search_queries(rng: random.Random) -> list[str]:
    vocabulary = sorted({match.group().lower() for quote in real_quotes() for match in words(quote.text)
                         if len(match.group()) > 4})
    singles = rng.sample(vocabulary, 150)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(vocabulary, 50), rng.sample(vocabulary, 50))]
    return singles + pairs


def timed(queries: list[str], run: Callable[[str], list]) -> dict:
    latencies, found = [], 0
    for query in queries:
        started = time.perf_counter()
        found += len(run(query))
        latencies.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(latencies, n=100)
    return {"queries": len(queries), "p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2),
            "max_ms": round(max(latencies), 2), "rows_found": found}


# The same questions as one hand-written statement each, with no name parsing, no Python between rows
# and no highlighting: what the store's query code is measured against.
RAW_SPEAKER = """
SELECT q.id, q.text, q.day, e.name FROM quotes q JOIN entities e ON e.id = q.speaker_id
WHERE q.speaker_id IN (SELECT DISTINCT n.person_id FROM entity_terms t JOIN entities n ON n.id = t.entity_id
                       WHERE t.term = :term)
ORDER BY q.day DESC, q.id DESC LIMIT 50"""


def raw_search(store: Store, words_of_query: str, outlet: str | None) -> list:
    index = full_text(store.backend, query_lemmas(words_of_query))
    query = select(search_entries.c.id, search_entries.c.quote_id).select_from(index.source).where(index.condition)
    if outlet:
        query = query.where(search_entries.c.outlet_id == select(outlets.c.id).where(outlets.c.name == outlet)
                            .scalar_subquery())
    with store.engine.connect() as connection:
        return connection.execute(query.order_by(index.entry_id.desc()).limit(20)).all()


def raw_speaker(store: Store, surname: str) -> list:
    with store.engine.connect() as connection:
        return connection.execute(text(RAW_SPEAKER), {"term": fold(surname)}).all()


def measure(store: Store) -> dict:
    """p50/p95 of each query kind through the store, and of its raw SQL peer."""
    rng = random.Random(11)
    names, texts = speaker_queries(rng), search_queries(rng)
    surnames = names[::4]  # each person's bare surname, as typed first
    return {
        "speaker": timed(names, lambda name: store.quotes(speaker=name, scope=Scope(limit=50))),
        "speaker_in_outlet_and_year": timed(
            names, lambda name: store.quotes(speaker=name, scope=Scope(outlet="lenta.ru", since="2020-01-01",
                                                                       until="2020-12-31", limit=50))
        ),
        "search": timed(texts, lambda text: store.search(text, scope=Scope(limit=20))),
        "search_in_outlet": timed(texts, lambda text: store.search(text, scope=Scope(outlet="lenta.ru", limit=20))),
        "raw_sql_speaker": timed(surnames, lambda name: raw_speaker(store, name)),
        "raw_sql_search": timed(texts, lambda text: raw_search(store, text, None)),
        "raw_sql_search_in_outlet": timed(texts, lambda text: raw_search(store, text, "lenta.ru")),
    }


WARM_UP_SECONDS = 10  # for the read-ahead serve asks for to be done before the first query
QUERY_KINDS = ("speaker", "speaker_in_outlet_and_year", "search", "search_in_outlet",
               "raw_sql_speaker", "raw_sql_search", "raw_sql_search_in_outlet")


def sqlite_path(total_quotes: int) -> Path:
    return OUT / f"search_bench_{total_quotes}_{QUOTES_PER_PAGE}.db"


def postgres_name(total_quotes: int) -> str:
    return f"skazal_bench_{total_quotes}_{QUOTES_PER_PAGE}"


# A store past BASE_QUOTES is that store's pages again, each copy under new ids, addresses and outlets:
# the write path fills 250 quotes a second on a busy machine, SQL copies a million in a few minutes.
BASE_QUOTES = 100_000
GROWN = {  # what a copy changes in each table; {k} is the copy's number, {documents} etc. the offsets
    "documents": {"id": "id + {documents}", "address": "address || '#copy{k}'", "location": "location || '#copy{k}'",
                  "outlet_id": "(outlet_id - 1 + {k}) % {outlets} + 1"},
    "revisions": {"id": "id + {revisions}", "document_id": "document_id + {documents}"},
    "mentions": {"id": "id + {mentions}", "document_id": "document_id + {documents}"},
    "quotes": {"id": "id + {quotes}", "document_id": "document_id + {documents}",
               "outlet_id": "(outlet_id - 1 + {k}) % {outlets} + 1"},
    "sources": {"id": "id + {sources}", "document_id": "document_id + {documents}"},
    "search_entries": {"id": "id + {search_entries}", "document_id": "document_id + {documents}",
                       "quote_id": "quote_id + {quotes}", "outlet_id": "(outlet_id - 1 + {k}) % {outlets} + 1"},
}


def filled_sqlite(total_quotes: int) -> tuple[str, float | None]:
    """The SQLite bench store of that size, when it is not yet there: up to BASE_QUOTES through
    save_pages, more by copying those pages (grown); the seconds it took."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(total_quotes)
    with open_store(str(path)) as store:
        store.upgrade()
        if store.stats().quotes >= total_quotes:
            return str(path), None
        started = time.perf_counter()
        if total_quotes <= BASE_QUOTES:
            print(f"sqlite: filling {path} with {total_quotes:,} quotes", file=sys.stderr, flush=True)
            fill(store, total_quotes)
            return str(path), round(time.perf_counter() - started, 1)
    base, _ = filled_sqlite(BASE_QUOTES)
    started = time.perf_counter()
    print(f"sqlite: growing {base} into {path} ({total_quotes // BASE_QUOTES} copies)", file=sys.stderr, flush=True)
    grow(Path(base), path, total_quotes // BASE_QUOTES)
    return str(path), round(time.perf_counter() - started, 1)


def grow(base: Path, target: Path, copies: int) -> None:
    """`target` as `copies` copies of the pages of `base` (the first the base itself)."""
    import shutil
    import sqlite3

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(base) as source:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(base, target)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    offsets = {table: connection.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0 for table in GROWN}
    outlets_known = connection.execute("SELECT count(*) FROM outlets").fetchone()[0]
    for k in range(1, copies):
        connection.execute("BEGIN")
        for table, changed in GROWN.items():
            columns = [column.name for column in metadata.tables[table].columns]
            values = {name: f'"{name}"' for name in columns} | {
                name: expression.format(k=k, outlets=outlets_known, **{t: k * n for t, n in offsets.items()})
                for name, expression in changed.items()}
            quoted = ", ".join(f'"{name}"' for name in columns)
            connection.execute(f'INSERT INTO {table} ({quoted}) SELECT {", ".join(values[n] for n in columns)} '
                               f'FROM {table} WHERE id <= {offsets[table]}')
        connection.execute("COMMIT")
        print(f"  copy {k + 1} of {copies}", file=sys.stderr, flush=True)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def copied_postgres(total_quotes: int) -> tuple[str, float | None]:
    """The PostgreSQL bench store: the SQLite store's rows copied in, when it is not there yet."""
    name, source = postgres_name(total_quotes), sqlite_path(total_quotes)
    url = f"{POSTGRES_SERVER}/{name}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    with open_store(url) as store:
        store.upgrade()
        if store.stats().quotes >= total_quotes:
            return url, None
    print(f"postgresql: copying {source} into {url}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    copy_tables(source, url)
    return url, round(time.perf_counter() - started, 1)


def copy_tables(source: Path, url: str) -> None:
    """Every row of the SQLite store into the (empty, migrated) PostgreSQL one, ids kept, sequences moved on."""
    import sqlite3

    reader = sqlite3.connect(source)
    with psycopg.connect(url) as writer:
        for table in metadata.sorted_tables:
            columns = [column.name for column in table.columns]
            quoted = ", ".join(f'"{name}"' for name in columns)
            booleans = {index for index, column in enumerate(table.columns) if str(column.type) == "BOOLEAN"}
            with writer.cursor().copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in reader.execute(f'SELECT {quoted} FROM "{table.name}"'):
                    copy.write_row([bool(value) if index in booleans and value is not None else value
                                    for index, value in enumerate(row)])
            if "id" in columns and isinstance(table.c.id.type, Integer) and table.c.id.primary_key:
                writer.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f'coalesce((SELECT max(id) FROM "{table.name}"), 1))')
        writer.commit()
    reader.close()


def measured_in_fresh_process(backend: str, url: str, phase: str) -> dict:
    """One phase timed by a new Python process (nothing cached in it), its first pass and, for the
    cold phase, a second one (warm); warmed_up: cold, but after serve's warm-up."""
    caches = {}
    if phase in ("cold", "warmed_up"):
        caches = empty_sqlite_caches(Path(url)) if backend == "sqlite" else \
            empty_postgres_caches(POSTGRES_SERVER, url.rsplit("/", 1)[1])
    command = [sys.executable, __file__, "--measure", url, "--passes", "2" if phase == "cold" else "1",
               *(["--warmed-up"] if phase == "warmed_up" else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env=os.environ | {"OPENBLAS_NUM_THREADS": "1"})
    passes = json.loads(done.stdout)
    found = {{"loaded": "after_bulk_load"}.get(phase, phase): passes[0]}
    if phase == "cold":
        found["warm"] = passes[1]
    return {"caches": caches, **found}


def bench(backend: str, total_quotes: int) -> dict:
    url, loading = filled_sqlite(total_quotes) if backend == "sqlite" else copied_postgres(total_quotes)
    phases = {}
    if loading is not None:
        phases.update(measured_in_fresh_process(backend, url, "loaded"))
    phases.update(measured_in_fresh_process(backend, url, "cold"))
    warmed = measured_in_fresh_process(backend, url, "warmed_up")
    phases.update(warmed_up=warmed["warmed_up"], caches_before_warm_up=warmed["caches"])
    with open_store(url) as store:
        stats = store.stats()
    return {"backend": backend, "quotes": stats.quotes, "documents": stats.documents, "speakers": stats.speakers,
            "load_seconds": loading, **phases}


def drop_stores() -> None:
    for path in OUT.glob(f"search_bench_*_{QUOTES_PER_PAGE}.db*"):
        path.unlink()
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        for (name,) in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'skazal_bench_%'").fetchall():
            admin.execute(f'DROP DATABASE "{name}"')
    drop_scratch(POSTGRES_SERVER)


def print_table(results: list[dict]) -> None:
    print(f"{'backend':<11} {'quotes':>9} {'query':<26} {'phase':<16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for result in results:
        for phase in ("after_bulk_load", "cold", "warmed_up", "warm"):
            for query in QUERY_KINDS:
                if phase in result:
                    row = result[phase][query]
                    print(f"{result['backend']:<11} {result['quotes']:>9,} {query:<26} {phase:<16} "
                          f"{row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")
        print(f"{result['backend']:<11} {result['quotes']:,} quotes, {result['documents']:,} documents, "
              f"{result['speakers']:,} speakers; loaded in {result['load_seconds']} s; caches {result['caches']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--quotes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--drop", action="store_true", help="remove the bench stores (SQLite files and databases)")
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)  # one timed process of a phase
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--warmed-up", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drop:
        drop_stores()
        return 0
    if args.measure:
        with open_store(args.measure) as store:
            if args.warmed_up:
                warm_up(store)  # what `skazal serve` does before its first request
                time.sleep(WARM_UP_SECONDS)
            print(json.dumps([measure(store) for _ in range(args.passes)]))
        return 0
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [bench(backend, total) for total in args.quotes for backend in backends]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
