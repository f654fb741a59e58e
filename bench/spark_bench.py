"""Spark ingest throughput beside the single-machine ingest, on one WARC set built from real pages;
then `skazal spark load` of its Parquet tables into PostgreSQL and SQLite, phase by phase.

The pages are the UTF-8 HTML pages under ../shared/corpus, each copy under its own URL and with a
sentence of its own in its article text (so every record is a distinct document, as a crawl's are),
until there are --records records, in --files gzipped WARC files (Spark runs one task
per file, so --files must be a few times the cores for every core to have work). The same files go
through, alternated round after round (the second round in the reverse order):

- `skazal ingest --workers 1` into SQLite (one worker process: the single-machine figure per core),
- `skazal spark ingest --master local[1]` and `local[2]` into Parquet.

Each run's CPU seconds are those of its process tree (getrusage of the children waited for), and the
load average before and after it is printed: the machine is shared, so pages per CPU second say what
the code costs, pages per second what the machine gave. The local[2] Parquet tables are then loaded
by `skazal.spark.load` into a new PostgreSQL database and a new SQLite file: the COPY (or
executemany) into staging tables and the merges into the corpus tables are timed per table.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/spark_bench.py                   # 2,000 records
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/spark_bench.py --records 200 --files 4 --rounds 1

Each Spark run starts its own JVM, as the command does; its time includes that start and the
models' load in each Python worker, as the single-machine time includes the workers' start.
Not a test: figures to stdout, and as JSON to --json.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pyarrow.parquet as parquet
from fastwarc.warc import WarcRecord, WarcRecordType

from skazal.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SKAZAL = Path(sys.executable).with_name("skazal")


def pages() -> list[Path]:
    return sorted(CORPUS.glob("*/pages/*.html"))


def warc_record(url: str, html: bytes) -> bytes:
    record = WarcRecord()
    record.init_headers(WarcRecordType.response)
    record.headers["WARC-Target-URI"] = url
    record.headers["WARC-Date"] = "2024-05-01T10:00:00Z"
    record.headers["Content-Type"] = "application/http; msgtype=response"
    record.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


def templates() -> list[tuple[str, str, str]]:
    """(name, html before, html after) of each UTF-8 page where a sentence put at the end of the
    paragraph of the article's first line shows in the article text read back."""
    found = []
    for path in pages():
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        start = text.find(extract(text.encode()).body.split("\n")[0][:30])
        end = text.find("</p>", start) if start >= 0 else -1
        if end >= 0 and mark(0) in extract((text[:end] + mark(0) + text[end:]).encode()).body:
            found.append((path.stem, text[:end], text[end:]))
    return found


def mark(number: int) -> str:
    return f" Обновлено в {number // 60 % 24:02}:{number % 60:02}, версия {number}."


def build_warcs(folder: Path, records: int, files: int, sources: list[tuple[str, str, str]]) -> list[Path]:
    """Every record a distinct document: each copy of a page has a sentence of its own in its text."""
    paths = [folder / f"crawl-{number:03}.warc.gz" for number in range(files)]
    handles = [path.open("wb") for path in paths]
    for number in range(records):
        name, before, after = sources[number % len(sources)]
        html = (before + mark(number) + after).encode("utf-8")
        member = gzip.compress(warc_record(f"https://bench{number // len(sources)}.example.ru/{name}", html))
        handles[number % files].write(member)
    for handle in handles:
        handle.close()
    return paths


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, float]]:
    """Every process now: its parent, its name and the CPU seconds it has used (/proc/PID/stat)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), stat[stat.index("(") + 1:stat.rindex(")")],
                                  (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


def timed(command: list[str]) -> dict:
    """Run a command; its wall seconds, the CPU seconds of its process tree by program (the JVM and the
    Python workers Spark starts are not waited for by the command, so getrusage would miss them: the
    tree is sampled from /proc every 0.2 s), and the load average around it."""
    load_before, started = os.getloadavg()[0], time.perf_counter()
    errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                               env=os.environ | {"OPENBLAS_NUM_THREADS": "1"})
    used: dict[int, tuple[str, float]] = {}
    while process.poll() is None:
        now, tree = processes(), {process.pid}
        grown = True
        while grown:
            joining = {pid for pid, (parent, _, _) in now.items() if parent in tree and pid not in tree}
            tree |= joining
            grown = bool(joining)
        for pid in tree & now.keys():
            used[pid] = (now[pid][1], max(now[pid][2], used.get(pid, ("", 0.0))[1]))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    errors.seek(0)
    said = errors.read()
    errors.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{said[-3000:]}")
    by_program: dict[str, float] = {}
    for name, cpu in used.values():
        by_program[name] = by_program.get(name, 0.0) + cpu
    return {"seconds": seconds, "cpu_seconds": sum(by_program.values()), "cpu_by_program": by_program,
            "load_before": load_before, "load_after": os.getloadavg()[0], "said": said}


def ingest_run(name: str, warcs: list[str], folder: Path, records: int) -> dict:
    if name == "single_process":
        command = [str(SKAZAL), "ingest", "--workers", "1", "--db", str(folder / f"single-{uuid.uuid4().hex}.db")]
    else:
        command = [str(SKAZAL), "spark", "ingest", "--master", name, "--output", str(folder / name)]
    run = timed([*command, *warcs])
    said = run.pop("said")
    peak = re.search(r"worker peak RSS (\d+) MB", said)
    summary = re.search(r"\d+ processed, .*\)", said)
    return run | {"summary": summary[0] if summary else None,
                  "pages_per_s": records / run["seconds"], "pages_per_cpu_s": records / run["cpu_seconds"],
                  "worker_peak_mb": int(peak[1]) if peak else None}


def load_run(folder: Path, url: str) -> dict:
    """`spark load` of the Parquet tables into a new store at `url`, with the time of each phase."""
    from skazal.spark.load import load
    from skazal.store import open_store

    with open_store(url) as store:
        store.upgrade()
        started = time.perf_counter()
        report = load(folder, store)
        seconds = time.perf_counter() - started
    timings = report.timings
    merged = sum(timings.merge_rows.values())
    merge_seconds = sum(timings.merge_seconds.values())
    return {
        "seconds": seconds, "outcomes": report.outcomes, "prepare_seconds": timings.prepare_seconds,
        "fill_rows": timings.fill_rows, "fill_seconds": timings.fill_seconds,
        "merge_rows": timings.merge_rows, "merge_seconds": timings.merge_seconds,
        "mentions_fill_rows_per_s": timings.fill_rows["mentions"] / timings.fill_seconds["mentions"],
        "mentions_merge_rows_per_s": timings.merge_rows["mentions"] / timings.merge_seconds["mentions"],
        "merge_rows_per_s": merged / merge_seconds,
    }


def new_postgres_database(server: str) -> str:
    name = f"skazal_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_postgres_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def parquet_rows(folder: Path) -> int:
    return sum(parquet.ParquetFile(file).metadata.num_rows for file in folder.rglob("*.parquet"))


RUNS = ("single_process", "local[1]", "local[2]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--files", type=int, default=8, help="WARC files (Spark tasks)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the three runs, alternated")
    parser.add_argument("--reverse", action="store_true", help="begin with the reversed order (local[2] first)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432", help="server to load into")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    figures: dict[str, object] = {"records": args.records, "files": args.files, "runs": {name: [] for name in RUNS}}
    print(f"uptime at start: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    with tempfile.TemporaryDirectory(prefix="skazal-spark-bench-") as folder:
        folder = Path(folder)
        sources = templates()
        warcs = [str(path) for path in build_warcs(folder, args.records, args.files, sources)]
        print(f"{args.records} records (distinct documents) from {len(sources)} real pages "
              f"in {args.files} WARC files")
        for number in range(args.rounds):
            for name in RUNS if (number + args.reverse) % 2 == 0 else reversed(RUNS):
                run = ingest_run(name, warcs, folder, args.records)
                figures["runs"][name].append(run)
                print(f"round {number + 1} {name:<15} {run['seconds']:7.1f} s {run['cpu_seconds']:7.1f} CPU s "
                      f"{run['pages_per_s']:6.2f} pages/s {run['pages_per_cpu_s']:6.2f} pages/CPU s  "
                      f"load {run['load_before']:.2f} -> {run['load_after']:.2f}"
                      + (f"  worker peak {run['worker_peak_mb']} MB" if run["worker_peak_mb"] else "")
                      + "  CPU s by program: " + ", ".join(f"{program} {cpu:.1f}" for program, cpu in
                                                          sorted(run["cpu_by_program"].items()) if cpu >= 0.1)
                      + (f"\n  {run['summary']}" if run["summary"] else ""), flush=True)

        tables = folder / "local[2]"
        figures["parquet_rows"] = parquet_rows(tables)
        database = new_postgres_database(args.postgres)
        try:
            figures["load_postgresql"] = load_run(tables, f"{args.postgres}/{database}")
        finally:
            drop_postgres_database(args.postgres, database)
        figures["load_sqlite"] = load_run(tables, str(folder / "spark.db"))
    print(f"uptime at end: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    report(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


def best(runs: list[dict], key: str) -> float:
    return max(run[key] for run in runs)


def report(figures: dict) -> None:
    runs = figures["runs"]
    single, single_cpu = best(runs["single_process"], "pages_per_s"), best(runs["single_process"], "pages_per_cpu_s")
    print(f"\n{'run (best of rounds)':<22} {'pages/s':>8} {'vs single':>10} {'pages/CPU s':>12} {'vs single':>10} "
          f"{'worker MB':>10}")
    for name in RUNS:
        rate, per_cpu = best(runs[name], "pages_per_s"), best(runs[name], "pages_per_cpu_s")
        peak = max((run["worker_peak_mb"] or 0) for run in runs[name])
        print(f"{name:<22} {rate:8.2f} {rate / single:9.2f}x {per_cpu:12.2f} {per_cpu / single_cpu:9.2f}x "
              f"{peak or '':>10}")
    print(f"local[2] / local[1]: {best(runs['local[2]'], 'pages_per_s') / best(runs['local[1]'], 'pages_per_s'):.2f}x"
          f" pages/s")
    for backend in ("postgresql", "sqlite"):
        load = figures[f"load_{backend}"]
        fill = "COPY" if backend == "postgresql" else "executemany"
        print(f"spark load into {backend}: {figures['parquet_rows']} Parquet rows in {load['seconds']:.1f} s "
              f"(rows built in Python {load['prepare_seconds']:.1f} s); mentions: {fill} "
              f"{load['fill_rows']['mentions']} rows at {load['mentions_fill_rows_per_s']:.0f} rows/s, merge "
              f"{load['mentions_merge_rows_per_s']:.0f} rows/s; all merges {sum(load['merge_rows'].values())} rows "
              f"at {load['merge_rows_per_s']:.0f} rows/s")


if __name__ == "__main__":
    main()
