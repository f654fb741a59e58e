"""The Spark job of `skazal spark ingest`: WARC files (or manifests of them) → Parquet tables.

One task per WARC file (`task.warc_rows`); the rows are kept (memory and disk) while each table is
written, so every page is read and analysed once. Each table is partitioned by day only and
repartitioned by it (one file per day and table), and written with dynamic partition overwrite:
running a day again replaces that day and leaves the others.
"""
from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyspark import AccumulatorParam, StorageLevel
from pyspark.sql import SparkSession

from skazal.ingest.warc import is_warc
from skazal.ingest.workers import SINGLE_THREAD
from skazal.spark.tables import TABLES, ddl
from skazal.spark.task import Counters, warc_rows

# The JVM of a local run is the driver and the executor at once, and its work is light (scheduling,
# Parquet writes): the C1 compiler alone and a single-threaded collector halve the CPU it spends
# starting and compiling (measured: 14.6 -> 7.9 CPU s for a session and a first job), CPU that the
# Python workers, which do the analysis, then have. A cluster's executors keep their own options.
LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
_ALL_TABLES = ", ".join(["`table` string", *(f"`{table}` struct<{ddl(table, ':')}>" for table in TABLES)])


@dataclass(frozen=True)
class SparkIngestReport:
    """What a job did: records processed, failed and skipped, the tasks it ran, the Python workers
    that ran them, how many times models were loaded, the largest peak RSS of a worker, and the rows
    written per table."""

    processed: int
    failed: int
    skipped: int
    tasks: int
    workers: int
    model_loads: int
    worker_peak_mb: float
    rows: dict[str, int]

    def summary(self) -> str:
        return (f"{self.processed} processed, {self.failed} failed, {self.skipped} skipped "
                f"({self.tasks} WARC files, {self.workers} Python workers, models loaded {self.model_loads} times; "
                f"worker peak RSS {self.worker_peak_mb:.0f} MB)")


class _PidSet(AccumulatorParam):
    def zero(self, value: set) -> set:
        return set()

    def addInPlace(self, value1: set, value2: set) -> set:
        value1 |= value2
        return value1


class _Largest(AccumulatorParam):
    def zero(self, value: int) -> int:
        return 0

    def addInPlace(self, value1: int, value2: int) -> int:
        return max(value1, value2)


def session(master: str | None = None, app_name: str = "skazal ingest", shuffle_partitions: int = 8,
            progress: bool = True, conf: dict[str, str] | None = None) -> SparkSession:
    """The active SparkSession, or a new one set up for skazal: Python workers reused, a single BLAS
    thread in executors, dynamic partition overwrite, on 127.0.0.1 and a lighter JVM when local;
    `conf` on top.
    No `master`: the one spark-submit was given, else local[*]."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # that variable: started by spark-submit
        master = "local[*]"
    for name in SINGLE_THREAD:
        os.environ.setdefault(name, "1")
    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.python.worker.reuse", "true")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.showConsoleProgress", str(progress).lower())
    )
    for name in SINGLE_THREAD:
        builder = builder.config(f"spark.executorEnv.{name}", "1")
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        # PySpark starts workers with $PYSPARK_PYTHON, else whatever `python3` is first on the PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.extraJavaOptions", LOCAL_JVM_OPTIONS))
    for name, value in (conf or {}).items():
        builder = builder.config(name, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def warc_files(names: Iterable[str]) -> list[str]:
    """The WARC files named: files, globs, and manifests (text files of paths, one a line, `#` for a
    comment; a relative path is taken from the manifest's folder). A name that is neither is kept,
    for its task to report as a failure."""
    found: list[str] = []
    for name in names:
        matches = sorted(glob.glob(name)) if glob.has_magic(name) else [name]
        for match in matches:
            path = Path(match)
            if path.is_file() and not is_warc(path):
                found += _manifest(path)
            else:
                found.append(str(path.resolve()) if path.exists() else match)
    return list(dict.fromkeys(found))


def _manifest(path: Path) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [str((path.parent / line).resolve()) for line in lines if line and not line.startswith("#")]


def run(spark: SparkSession, names: Sequence[str], output: str) -> SparkIngestReport:
    """Ingest the WARC files `names` name into Parquet tables under `output`."""
    files = warc_files(names)
    context = spark.sparkContext
    counters = Counters(processed=context.accumulator(0), failed=context.accumulator(0),
                        skipped=context.accumulator(0), model_loads=context.accumulator(0),
                        workers=context.accumulator(set(), _PidSet()), peak_rss=context.accumulator(0, _Largest()))
    # Rows cross from Python to the JVM once, as one frame of every table (a struct column each, one
    # of them set a row), kept while each table is written by the JVM alone.
    rows = (context.parallelize(files, max(len(files), 1))
            .flatMap(lambda name: warc_rows(name, counters))
            .map(lambda row: (row[0], *(row[1] if table == row[0] else None for table in TABLES))))
    frame = spark.createDataFrame(rows, schema=_ALL_TABLES, verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)

    def write(table: str) -> None:
        (frame.where(frame.table == table).select(f"{table}.*").repartition("day")
         .write.mode("overwrite").partitionBy("day").option("compression", "zstd")
         .parquet(str(Path(output) / table)))

    try:
        written = {table: 0 for table in TABLES} | dict(frame.groupBy("table").count().collect())
        # The tables are written by concurrent jobs, from the rows kept: one's tasks run while another's
        # wait on the scheduler or on a file's commit.
        with ThreadPoolExecutor(max_workers=len(TABLES)) as pool:
            list(pool.map(write, TABLES))
    finally:
        frame.unpersist()
    return SparkIngestReport(processed=counters.processed.value, failed=counters.failed.value,
                             skipped=counters.skipped.value, tasks=len(files), workers=len(counters.workers.value),
                             model_loads=counters.model_loads.value, worker_peak_mb=counters.peak_rss.value / 1024,
                             rows=written)
