"""Latency of the list pages with facets (/quotes, /speakers, /articles and their JSON twins under /api)
over the 1,000,000-quote stores bench/search_bench.py builds, on each backend (issue 13: p95 <= 200 ms).

For each backend it starts the real server (`skazal serve`, one worker, loopback) and asks each page, in
each of its variants (unfiltered; one outlet, one speaker, one kind, a month, a word query), over
`--runs` requests with varied values (outlets, speakers, months, words taken in turn; the page's offset
varied for the unfiltered one). The first request of a variant is its cold figure (the first that
server answered for that page and filter); p50 and p95 are over all the requests of the variant.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/list_pages_bench.py                # both backends
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/list_pages_bench.py --backend sqlite --runs 10

Not a test: the figures go to stdout and bench/out/list_pages_bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
STORES = {
    "sqlite": str(OUT / "search_bench_1000000_25.db"),
    "postgresql": "postgresql://postgres@127.0.0.1/skazal_bench_1000000_25",
}
TARGET_MS = 200.0
# Words of the quotes, from frequent ("президент", a tenth of them) to rare.
WORDS = ("президент", "война", "экономика", "выборы", "санкции", "заявил", "Россия", "нефть", "школа", "суд")
KINDS = ("direct", "mixed", "indirect")
PAGES = ("/quotes", "/speakers", "/articles")


def serve(database: str, port: int, log: Path) -> subprocess.Popen:
    subprocess.run([str(ROOT / ".venv/bin/skazal"), "db", "upgrade", "--db", database], check=True,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/skazal"), "serve", "--db", database, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            # /docs touches no table: the first list request stays cold.
            if httpx.get(f"http://127.0.0.1:{port}/docs", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server over {database} did not answer (see {log})")


def variants(page: str, values: dict, runs: int) -> dict[str, list[dict]]:
    """Each filter of the page, with `runs` sets of parameters varying its value."""
    outlets, speakers, months = values["outlets"], values["speakers"], values["months"]

    def cycle(options, name):
        return [{name: options[i % len(options)]} for i in range(runs)]

    found = {
        "all": [{"offset": (i * 50) % 500} if i else {} for i in range(runs)],
        "outlet": cycle(outlets, "outlet"),
        "kind": cycle(KINDS, "kind"),
        "month": cycle(months, "month"),
    }
    if page == "/speakers":
        found["words"] = cycle(WORDS, "words")
        found["speaker"] = cycle(values["speaker_names"], "q")
    else:
        found["words"] = cycle(WORDS, "q")
        found["speaker"] = cycle(speakers, "speaker_id")
    return found


def corpus_values(client: httpx.Client) -> dict:
    """Outlets, speakers and months to filter by, as the facets of the store list them."""
    facets = {facet["name"]: facet["values"] for facet in client.get("/api/quotes?limit=1").json()["facets"]}
    speakers = client.get("/api/speakers?limit=30").json()["items"]
    return {
        "outlets": [value["value"] for value in facets["outlet"] if value["value"]],
        "months": [value["value"] for value in facets["month"] if value["value"]],
        "speakers": [speaker["id"] for speaker in speakers],
        "speaker_names": [speaker["speaker"] for speaker in speakers],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def measure(backend: str, runs: int, port: int) -> list[dict]:
    server = serve(STORES[backend], port, OUT / f"list_pages_{backend}.log")
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            # The values are asked first, so the quote list's first figures below are not the server's first
            # request; each variant's first request still is the first of its filter.
            started = time.perf_counter()
            values = corpus_values(client)
            setup = (time.perf_counter() - started) * 1000
            print(f"{backend}: values asked in {setup:.0f} ms (the server's first requests)", file=sys.stderr)
            for page in PAGES:
                for twin in (page, "/api" + page):
                    for name, parameters in variants(page, values, runs).items():
                        took = []
                        for given in parameters:
                            started = time.perf_counter()
                            answer = client.get(twin, params=given)
                            took.append((time.perf_counter() - started) * 1000)
                            answer.raise_for_status()
                        row = {"backend": backend, "page": twin, "filter": name, "runs": len(took),
                               "cold_ms": took[0], "p50_ms": statistics.median(took),
                               "p95_ms": percentile(took, 0.95), "max_ms": max(took)}
                        rows.append(row)
                        print(line(row), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


HEADER = f"{'backend':<11} {'page':<14} {'filter':<8} {'cold':>8} {'p50':>8} {'p95':>8} {'max':>8}"


def line(row: dict) -> str:
    over = "  > 200" if row["p95_ms"] > TARGET_MS else ""
    return (f"{row['backend']:<11} {row['page']:<14} {row['filter']:<8} {row['cold_ms']:>8.0f} {row['p50_ms']:>8.0f} "
            f"{row['p95_ms']:>8.0f} {row['max_ms']:>8.0f}{over}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=30, help="requests per page and filter")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"{os.cpu_count()} cores, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} before; "
          f"milliseconds, {args.runs} requests per row", flush=True)
    print(HEADER, flush=True)
    rows = []
    for backend in backends:
        rows += measure(backend, args.runs, args.port)
    over = [row for row in rows if row["p95_ms"] > TARGET_MS]
    print(f"\n{len(over)} of {len(rows)} page/filter rows over {TARGET_MS:.0f} ms p95:")
    for row in over:
        print("  " + line(row))
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} after")
    OUT.mkdir(exist_ok=True)
    (OUT / "list_pages_bench.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
