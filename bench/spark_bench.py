"""Spark ingest throughput beside the single-machine ingest, on one WARC set built from real pages.

The pages are the UTF-8 HTML pages under ../shared/corpus, each copy under its own URL and with a
sentence of its own in its article text (so every record is a distinct document, as a crawl's are),
until there are --records records, in --files gzipped WARC files (Spark runs one task
per file). The same files go through:

- `skazal ingest --workers 1` into SQLite (one worker process: the single-machine figure per core),
- `skazal spark ingest --master local[1]` and `local[2]` into Parquet,
- `skazal spark load` of the local[2] output into SQLite (rows/s).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/spark_bench.py                   # 2,000 records
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/spark_bench.py --records 200 --files 4

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
from pathlib import Path

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


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ | {"OPENBLAS_NUM_THREADS": "1"})
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def parquet_rows(folder: Path) -> int:
    return sum(parquet.ParquetFile(file).metadata.num_rows for file in folder.rglob("*.parquet"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--files", type=int, default=8, help="WARC files (Spark tasks)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()

    figures: dict[str, object] = {"records": args.records, "files": args.files}
    with tempfile.TemporaryDirectory(prefix="skazal-spark-bench-") as folder:
        folder = Path(folder)
        sources = templates()
        warcs = [str(path) for path in build_warcs(folder, args.records, args.files, sources)]
        print(f"{args.records} records (distinct documents) from {len(sources)} real pages "
              f"in {args.files} WARC files")

        seconds, _ = timed([str(SKAZAL), "ingest", "--workers", "1", "--db", str(folder / "single.db"), *warcs])
        figures["single_process"] = {"seconds": seconds, "pages_per_s": args.records / seconds, "cores": 1}

        for cores in (1, 2):
            output = folder / f"local{cores}"
            seconds, said = timed([str(SKAZAL), "spark", "ingest", "--master", f"local[{cores}]",
                                   "--output", str(output), *warcs])
            peak = re.search(r"worker peak RSS (\d+) MB", said)
            figures[f"local[{cores}]"] = {"seconds": seconds, "pages_per_s": args.records / seconds, "cores": cores,
                                          "worker_peak_mb": int(peak[1]) if peak else None}

        rows = parquet_rows(folder / "local2")
        seconds, _ = timed([str(SKAZAL), "spark", "load", "--db", str(folder / "spark.db"), str(folder / "local2")])
        figures["load_sqlite"] = {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds}

    single = figures["single_process"]["pages_per_s"]
    print(f"{'run':<16} {'seconds':>8} {'pages/s':>8} {'per core':>9} {'vs single':>10} {'worker MB':>10}")
    for name in ("single_process", "local[1]", "local[2]"):
        run = figures[name]
        rate = run["pages_per_s"]
        print(f"{name:<16} {run['seconds']:8.1f} {rate:8.2f} {rate / run['cores']:9.2f} {rate / single:9.2f}x "
              f"{run.get('worker_peak_mb') or '':>10}")
    speedup = figures["local[2]"]["pages_per_s"] / figures["local[1]"]["pages_per_s"]
    print(f"local[2] / local[1]: {speedup:.2f}x")
    load = figures["load_sqlite"]
    print(f"spark load into SQLite: {load['rows']} Parquet rows in {load['seconds']:.1f} s "
          f"({load['rows_per_s']:.0f} rows/s)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
