"""Query latency of the corpus store at scale: speaker lookup and full-text search over 1,000,000 quotes.

Builds a store on each backend by repeating the real quotes of the gold sets (with their real
speakers, recombined into a few thousand names) over varied outlets and days, through the store's
own write path (Store.save_pages, in batches), then times queries through the Store API.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/search_bench.py --backend sqlite
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/search_bench.py --backend postgresql --quotes 200000

Not a test: the figures go to bench/out/search_bench.json and the README.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from skazal.records import Article, IngestedPage, Page, Quote, Speaker
from skazal.store import Scope, Store, open_store
from skazal.store.lemmas import morph, words

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


def measure(store: Store) -> dict:
    rng = random.Random(11)
    names, texts = speaker_queries(rng), search_queries(rng)
    scope = Scope(limit=50)
    return {
        "speaker": timed(names, lambda name: store.quotes(speaker=name, scope=scope)),
        "speaker_in_outlet_and_year": timed(
            names, lambda name: store.quotes(speaker=name, scope=Scope(outlet="lenta.ru", since="2020-01-01",
                                                                       until="2020-12-31", limit=50))
        ),
        "search": timed(texts, lambda text: store.search(text, scope=Scope(limit=20))),
        "search_in_outlet": timed(texts, lambda text: store.search(text, scope=Scope(outlet="lenta.ru", limit=20))),
    }


def database(backend: str, total_quotes: int) -> str:
    if backend == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        return str(OUT / f"search_bench_{total_quotes}_{QUOTES_PER_PAGE}.db")
    name = f"skazal_bench_{total_quotes}_{QUOTES_PER_PAGE}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_SERVER}/{name}"


def settle(store: Store) -> None:
    """Statistics for the planner; on PostgreSQL also the visibility map its index-only scans need
    (autovacuum would set it in time on a live database)."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if store.backend == "postgresql" else "ANALYZE")


def bench(backend: str, total_quotes: int) -> dict:
    url = database(backend, total_quotes)
    with open_store(url) as store:
        store.upgrade()
        present = store.stats().quotes
        fill_seconds = None
        if present < total_quotes:
            print(f"{backend}: filling {url} with {total_quotes:,} quotes", file=sys.stderr)
            fill_seconds = round(fill(store, total_quotes), 1)
            settle(store)
        stats = store.stats()
        figures = measure(store)
    return {"backend": backend, "quotes": stats.quotes, "documents": stats.documents, "speakers": stats.speakers,
            "fill_seconds": fill_seconds, **figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [bench(backend, args.quotes) for backend in backends]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "search_bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{'backend':<11} {'query':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for result in results:
        for query in ("speaker", "speaker_in_outlet_and_year", "search", "search_in_outlet"):
            row = result[query]
            print(f"{result['backend']:<11} {query:<28} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")
        print(f"{result['backend']:<11} {result['quotes']:,} quotes, {result['documents']:,} documents, "
              f"{result['speakers']:,} speakers; filled in {result['fill_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
