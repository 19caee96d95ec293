"""The Peewee database handle, initialised at start-up (never at import time)."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from synth_gradio.errors import StorageError

PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000, "synchronous": "normal"}


def open_database(path: str | Path) -> SqliteDatabase:
    """A SqliteDatabase for `path` (":memory:" works), with WAL and a busy timeout."""
    path = str(path)
    if path != ":memory:":
        try:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder for the history database {path}: {exc}") from None
        path = str(Path(path).expanduser())
    db = SqliteDatabase(path, pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:
        raise StorageError(f"cannot open the history database {path}: {exc}") from None
    return db
