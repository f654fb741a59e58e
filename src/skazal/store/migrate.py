"""Alembic, run from inside the package: no alembic.ini needed in the working directory."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event

from skazal.store.kill_points import KILL_AT, kill_point

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x736B617A  # "skaz": the advisory lock one migration of a PostgreSQL database holds


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (the newest by default)."""
    with _one_migration_at_a_time(engine), _kill_point_per_statement(engine):
        command.upgrade(alembic_config(engine), revision)


@contextmanager
def _one_migration_at_a_time(engine: Engine) -> Iterator[None]:
    # Two ingests started at once on a new PostgreSQL database would both create the schema, and the
    # second die on a duplicate table; it waits for the first instead, as BEGIN IMMEDIATE makes it on SQLite.
    # The lock is the session's: it is let go when the connection ends, a killed process's too.
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        connection.commit()
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")


@contextmanager
def _kill_point_per_statement(engine: Engine) -> Iterator[None]:
    # For the crash-safety harness alone: every statement of the migration is the during-migration point.
    if KILL_AT is None:
        yield
        return
    event.listen(engine, "after_cursor_execute", _statement_run)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", _statement_run)


def _statement_run(*_arguments) -> None:
    kill_point("during-migration")


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def is_current(engine: Engine) -> bool:
    """Whether the database schema is at the newest migration."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
