"""Ingest on Apache Spark: WARC archives → Parquet tables → the store, through the same page function.

Only this package imports pyspark, and only where a job is built or run (`job`, `task`); the
rest of skazal never needs Spark. Install it with the extra: `pip install 'skazal[spark]'`.
"""
