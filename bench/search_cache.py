"""Emptying the caches a store's first query after a restart meets empty, without restarting anything shared.

SQLite: the operating system's page cache of the database files, dropped file by file with
posix_fadvise(DONTNEED) (no root, nothing else touched; SQLite's own cache dies with the process).
PostgreSQL: the same for the bench database's files, and its pages pushed out of shared_buffers by
reading a scratch table larger than them through the buffer manager (pg_prewarm's "buffer" mode);
pg_buffercache counts what is left. The server itself is shared and is not restarted.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg

SCRATCH_DATABASE = "skazal_bench_scratch"
SCRATCH_ROWS = 200_000  # about 450 MB of pages, over three times shared_buffers' 128 MB


def drop_file_cache(path: Path) -> None:
    """Ask the kernel to drop its cached pages of one file (dirty pages are written first)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def resident_bytes(paths: list[Path]) -> int:
    """How much of these files the page cache holds (util-linux fincore), 0 when it cannot tell."""
    try:
        listed = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", *map(str, paths)],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return 0
    return sum(int(line) for line in listed.split())


def sqlite_files(database: Path) -> list[Path]:
    return [path for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")) if path.exists()]


def empty_sqlite_caches(database: Path) -> dict:
    files = sqlite_files(database)
    before = resident_bytes(files)
    for path in files:
        drop_file_cache(path)
    return {"os_cache_mb_before": _megabytes(before), "os_cache_mb_after": _megabytes(resident_bytes(files))}


def _megabytes(size: int) -> float:
    return round(size / 2**20, 1)


def postgres_files(connection: psycopg.Connection) -> list[Path]:
    """Every file of the connected database's tables and indexes (1 GB segments included)."""
    data = Path(connection.execute("SHOW data_directory").fetchone()[0])
    relations = connection.execute(
        "SELECT pg_relation_filepath(oid) FROM pg_class WHERE relkind IN ('r', 'i', 't', 'm') "
        "AND pg_relation_filepath(oid) IS NOT NULL").fetchall()
    files = []
    for (relative,) in relations:
        first = data / relative
        files += [path for path in first.parent.glob(first.name + "*") if path.name.split("_")[0].split(".")[0]
                  == first.name]
    return files


def _buffered_pages(connection: psycopg.Connection) -> int:
    connection.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache")
    return connection.execute(
        "SELECT count(*) FROM pg_buffercache WHERE reldatabase = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())").fetchone()[0]


def _sweep_shared_buffers(server: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (SCRATCH_DATABASE,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{SCRATCH_DATABASE}"')
    with psycopg.connect(f"{server}/{SCRATCH_DATABASE}", autocommit=True) as scratch:
        scratch.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        scratch.execute("CREATE TABLE IF NOT EXISTS sweep AS "
                        f"SELECT g AS id, repeat('x', 2000) AS pad FROM generate_series(1, {SCRATCH_ROWS}) g")
        for _ in range(3):
            scratch.execute("SELECT pg_prewarm('sweep', 'buffer')")
        for path in postgres_files(scratch):
            drop_file_cache(path)


def empty_postgres_caches(server: str, database: str) -> dict:
    with psycopg.connect(f"{server}/{database}", autocommit=True) as connection:
        files = postgres_files(connection)
        buffered_before, cached_before = _buffered_pages(connection), resident_bytes(files)
    _sweep_shared_buffers(server)
    for path in files:
        drop_file_cache(path)
    with psycopg.connect(f"{server}/{database}", autocommit=True) as connection:
        buffered_after = _buffered_pages(connection)
    return {"shared_buffers_pages_before": buffered_before, "shared_buffers_pages_after": buffered_after,
            "os_cache_mb_before": _megabytes(cached_before), "os_cache_mb_after": _megabytes(resident_bytes(files))}


def drop_scratch(server: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}"')
