"""Ordered, named migrations. A history file from any older version opens by applying the rest.

Each step is frozen SQL (not today's models), so replaying old steps always gives the old layout.
Append new steps at the end; never edit or reorder a released step.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

from synth_gradio.storage.models import SchemaVersion

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


def _initial(db: SqliteDatabase) -> None:
    for sql in _INITIAL:
        db.execute_sql(sql)


def _run_worker(db: SqliteDatabase) -> None:
    db.execute_sql('ALTER TABLE "run" ADD COLUMN "worker" VARCHAR(255)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "run_backend_status" ON "run" ("backend", "status")')


def _saved_templates(db: SqliteDatabase) -> None:
    db.execute_sql(
        """CREATE TABLE IF NOT EXISTS "savedtemplate" (
        "id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "version" INTEGER NOT NULL,
        "description" TEXT NOT NULL, "data_json" TEXT NOT NULL, "created_at" DATETIME NOT NULL,
        "use_count" INTEGER NOT NULL DEFAULT 0, "last_used_at" DATETIME)"""
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "savedtemplate_name" ON "savedtemplate" ("name")')
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "savedtemplate_name_version" ON "savedtemplate" ("name", "version")'
    )


def _run_quality(db: SqliteDatabase) -> None:
    db.execute_sql('ALTER TABLE "run" ADD COLUMN "quality_json" TEXT')


def _run_group(db: SqliteDatabase) -> None:
    db.execute_sql('ALTER TABLE "run" ADD COLUMN "group_id" VARCHAR(255)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "run_group_id" ON "run" ("group_id")')


def _learned_models(db: SqliteDatabase) -> None:
    db.execute_sql(
        """CREATE TABLE IF NOT EXISTS "learnedmodel" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "run_id" INTEGER NOT NULL REFERENCES "run" ("id") ON DELETE CASCADE,
        "data_json" TEXT NOT NULL, "summary_json" TEXT NOT NULL)"""
    )
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "learnedmodel_run_id" ON "learnedmodel" ("run_id")')


MIGRATIONS: list[tuple[str, Callable[[SqliteDatabase], None]]] = [
    ("0001_initial", _initial),
    ("0002_run_worker_and_backend_index", _run_worker),
    ("0003_saved_templates", _saved_templates),
    ("0004_run_quality", _run_quality),
    ("0005_run_group", _run_group),
    ("0006_learned_models", _learned_models),
]


def migrate(db: SqliteDatabase, upto: int | None = None) -> list[str]:
    """Apply pending migrations in order (the first `upto` only, for tests); returns names applied."""
    with db.bind_ctx([SchemaVersion]):
        db.create_tables([SchemaVersion], safe=True)
        done = {row.name for row in SchemaVersion.select(SchemaVersion.name)}
        applied = []
        for name, step in MIGRATIONS[:upto]:
            if name in done:
                continue
            with db.atomic():
                step(db)
                SchemaVersion.create(name=name)
            applied.append(name)
        return applied
