"""Ordered, named migrations. A history database from any older version opens by applying the rest.

Each step is frozen SQL (not today's models), so replaying old steps always gives the old layout.
Append new steps at the end; never edit or reorder a released step. The SQL is written for SQLite;
`run_sql` translates its column types for PostgreSQL (see storage.dialect), which keeps the meaning.

Several processes may open a new database at once (a Space with several workers, the app and the
CLI): the check and the steps run under one lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL), and the applied set is read again inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from peewee import Database, SqliteDatabase

from synth_gradio.storage.dialect import run_sql
from synth_gradio.storage.models import models_for

MIGRATION_LOCK = 0x53594E5448  # pg_advisory_xact_lock key shared by every process migrating this database

_INITIAL = [
    """CREATE TABLE IF NOT EXISTS "run" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL,
        "title" VARCHAR(255) NOT NULL, "template" VARCHAR(255), "template_version" INTEGER,
        "schema_json" TEXT NOT NULL, "examples_json" TEXT NOT NULL,
        "backend" VARCHAR(255) NOT NULL, "model" VARCHAR(255) NOT NULL,
        "params_json" TEXT NOT NULL, "strategies_json" TEXT NOT NULL,
        "status" VARCHAR(255) NOT NULL, "requested" INTEGER NOT NULL, "achieved" INTEGER NOT NULL,
        "candidates" INTEGER NOT NULL, "reject_counts_json" TEXT NOT NULL, "tokens" INTEGER NOT NULL,
        "duration_s" REAL NOT NULL, "error" TEXT)""",
    'CREATE INDEX IF NOT EXISTS "run_created_at" ON "run" ("created_at")',
    'CREATE INDEX IF NOT EXISTS "run_status" ON "run" ("status")',
    """CREATE TABLE IF NOT EXISTS "record" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "run_id" INTEGER NOT NULL REFERENCES "run" ("id") ON DELETE CASCADE,
        "idx" INTEGER NOT NULL, "data" TEXT NOT NULL)""",
    'CREATE INDEX IF NOT EXISTS "record_run_id" ON "record" ("run_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "record_run_id_idx" ON "record" ("run_id", "idx")',
]


def _initial(db: Database) -> None:
    for sql in _INITIAL:
        run_sql(db, sql)


def _run_worker(db: Database) -> None:
    run_sql(db, 'ALTER TABLE "run" ADD COLUMN "worker" VARCHAR(255)')
    run_sql(db, 'CREATE INDEX IF NOT EXISTS "run_backend_status" ON "run" ("backend", "status")')


def _saved_templates(db: Database) -> None:
    run_sql(
        db,
        """CREATE TABLE IF NOT EXISTS "savedtemplate" (
        "id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "version" INTEGER NOT NULL,
        "description" TEXT NOT NULL, "data_json" TEXT NOT NULL, "created_at" DATETIME NOT NULL,
        "use_count" INTEGER NOT NULL DEFAULT 0, "last_used_at" DATETIME)""",
    )
    run_sql(db, 'CREATE INDEX IF NOT EXISTS "savedtemplate_name" ON "savedtemplate" ("name")')
    run_sql(db, 'CREATE UNIQUE INDEX IF NOT EXISTS "savedtemplate_name_version" ON "savedtemplate" ("name", "version")')


def _run_quality(db: Database) -> None:
    run_sql(db, 'ALTER TABLE "run" ADD COLUMN "quality_json" TEXT')


def _run_group(db: Database) -> None:
    run_sql(db, 'ALTER TABLE "run" ADD COLUMN "group_id" VARCHAR(255)')
    run_sql(db, 'CREATE INDEX IF NOT EXISTS "run_group_id" ON "run" ("group_id")')


def _learned_models(db: Database) -> None:
    run_sql(
        db,
        """CREATE TABLE IF NOT EXISTS "learnedmodel" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "run_id" INTEGER NOT NULL REFERENCES "run" ("id") ON DELETE CASCADE,
        "data_json" TEXT NOT NULL, "summary_json" TEXT NOT NULL)""",
    )
    run_sql(db, 'CREATE UNIQUE INDEX IF NOT EXISTS "learnedmodel_run_id" ON "learnedmodel" ("run_id")')


def _owners(db: Database) -> None:
    run_sql(db, 'ALTER TABLE "run" ADD COLUMN "owner" VARCHAR(255)')
    run_sql(db, 'CREATE INDEX IF NOT EXISTS "run_owner" ON "run" ("owner")')
    run_sql(db, 'ALTER TABLE "savedtemplate" ADD COLUMN "owner" VARCHAR(255)')
    run_sql(db, 'CREATE INDEX IF NOT EXISTS "savedtemplate_owner" ON "savedtemplate" ("owner")')


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _initial),
    ("0002_run_worker_and_backend_index", _run_worker),
    ("0003_saved_templates", _saved_templates),
    ("0004_run_quality", _run_quality),
    ("0005_run_group", _run_group),
    ("0006_learned_models", _learned_models),
    ("0007_owners", _owners),
]


def applied(db: Database) -> set[str]:
    """Names of the steps already applied (empty for a new database)."""
    version = models_for(db).SchemaVersion  # this handle's own class: no process-wide rebinding
    if not db.table_exists(version._meta.table_name):
        return set()
    return {row.name for row in version.select(version.name)}


def migrate(db: Database, upto: int | None = None) -> list[str]:
    """Apply pending migrations in order (the first `upto` only, for tests); returns names applied."""
    steps = MIGRATIONS[:upto]
    if {name for name, _ in steps} <= applied(db):
        return []  # the usual case: nothing to do, and no write lock taken
    version = models_for(db).SchemaVersion
    with _locked(db):
        db.create_tables([version], safe=True)
        done = applied(db)  # again, inside the lock: another process may have just migrated
        names = []
        for name, step in steps:
            if name in done:
                continue
            with db.atomic():
                step(db)
                version.create(name=name)
            names.append(name)
        return names


@contextmanager
def _locked(db: Database) -> Iterator[None]:
    """One transaction that holds the migration lock until it commits."""
    if isinstance(db, SqliteDatabase):
        with db.atomic("IMMEDIATE"):
            yield
        return
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        yield
