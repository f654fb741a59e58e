"""`skazal spark ingest` and `skazal spark load`: ingest on Apache Spark, WARC files → Parquet → the store.

Spark is imported only when `spark ingest` runs (the `spark` extra); `spark load` needs pyarrow only.
"""
from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import OperationalError

from skazal.cli.corpus_commands import example
from skazal.cli.ingest_commands import _open, _say
from skazal.errors import SkazalError

ON_SPARK = "skazal spark ingest --master 'local[2]' --output tables crawl-*.warc.gz"
NO_SPARK = "skazal spark ingest needs PySpark and Java 17+: pip install 'skazal[spark]' (and a JRE)"


def register(subparsers) -> None:
    parser = subparsers.add_parser("spark", help="ingest WARC archives on Apache Spark, then load the result",
                                   epilog=example(ON_SPARK) + "  skazal spark load --db news.db tables\n",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="spark_command", required=True)

    ingest = commands.add_parser("ingest", help="WARC files → Parquet tables, one task per file",
                                 epilog=example(ON_SPARK),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ingest.add_argument("inputs", nargs="+", metavar="WARC_OR_MANIFEST",
                        help="a .warc(.gz), a glob of them, or a manifest (a text file of WARC paths, one a line)")
    ingest.add_argument("--master",
                        help="Spark master: local[N] or spark://HOST:PORT (default: spark-submit's, else local[*])")
    ingest.add_argument("--output", default="skazal-parquet",
                        help="folder of the Parquet tables (default skazal-parquet); days written again are replaced")
    ingest.set_defaults(run=run_ingest)

    load = commands.add_parser("load", help="load the Parquet tables of `spark ingest` into the store",
                               epilog=example("skazal spark load --db postgresql://postgres@127.0.0.1/news tables"),
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("folder", metavar="PARQUET_DIR", help="the --output folder of `skazal spark ingest`")
    load.add_argument("--db", help="database URL or SQLite path (default: $SKAZAL_DB or skazal.db)")
    load.set_defaults(run=run_load)


def run_ingest(args) -> int:
    try:
        from pyspark.errors import PySparkException

        from skazal.spark import job
    except ImportError:
        print(f"skazal: {NO_SPARK}", file=sys.stderr)
        return 2
    try:
        owned = job.SparkSession.getActiveSession() is None
        spark = job.session(args.master)
    except PySparkException as error:
        print(f"skazal: Spark cannot start ({error.getErrorClass()}): {NO_SPARK}", file=sys.stderr)
        return 2
    try:
        report = job.run(spark, args.inputs, args.output)
    finally:
        if owned:
            spark.stop()
    print(f"skazal: {report.summary()}", file=sys.stderr)
    print(f"skazal: rows written to {args.output}: "
          + ", ".join(f"{table} {count}" for table, count in report.rows.items()), file=sys.stderr)
    return 1 if report.failed else 0  # as `skazal ingest`: some records are failures


def run_load(args) -> int:
    from skazal.spark.load import load

    store = _open(args.db)
    if store is None:
        return 2
    try:
        report = load(args.folder, store)
    except (SkazalError, OperationalError) as error:
        _say(error, args.db)
        return 2
    finally:
        store.close()
    print(f"skazal: {report.summary()}", file=sys.stderr)
    return 0
