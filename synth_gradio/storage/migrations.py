"""Ordered, named migrations. A history file from any older version opens by applying the rest.

Append new steps at the end; never edit or reorder a released step.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

from synth_gradio.storage.models import MODELS, SchemaVersion


def _initial(db: SqliteDatabase) -> None:
    db.create_tables(MODELS, safe=True)


def _run_search_index(db: SqliteDatabase) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS run_backend_status ON run (backend, status)")


MIGRATIONS: list[tuple[str, Callable[[SqliteDatabase], None]]] = [
    ("0001_initial", _initial),
    ("0002_run_backend_status_index", _run_search_index),
]


def migrate(db: SqliteDatabase) -> list[str]:
    """Apply pending migrations in order; returns the names applied now."""
    with db.bind_ctx([SchemaVersion]):
        db.create_tables([SchemaVersion], safe=True)
        done = {row.name for row in SchemaVersion.select(SchemaVersion.name)}
        applied = []
        for name, step in MIGRATIONS:
            if name in done:
                continue
            with db.atomic():
                step(db)
                SchemaVersion.create(name=name)
            applied.append(name)
        return applied
