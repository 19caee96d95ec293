"""SQLite files: every user table a table, read with the standard library's sqlite3, never written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.tables.files import checked

MANY = (".sqlite", ".sqlite3", ".db")  # SQLite databases: one table per table
NAMES = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (an upload is never changed), with SQLite's failures as one sentence."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            yield db
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise InputError(f"cannot read {path.name} as SQLite: {exc}") from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(path: Path) -> list[str]:
    """The user tables, in the order they were created; none is an error."""
    with _reading(path) as db:
        names = [str(row[0]) for row in db.execute(NAMES)]
    if not names:
        raise InputError(f"the SQLite file {path.name} has no tables")
    return names


def read_sqlite(path: Path, names: list[str]) -> dict[str, pd.DataFrame]:
    """The given tables by name; an empty one is an error naming it."""
    with _reading(path) as db:
        tables = {name: pd.read_sql_query(f"SELECT * FROM {_quoted(name)}", db) for name in names}
    for name, frame in tables.items():
        checked(path, frame, f" (table {name})")
    return tables


def read_one(path: Path, name: str | None = None) -> pd.DataFrame:
    """The named table, or the only one; several without a name is an error listing them."""
    names = table_names(path)
    if name is None and len(names) > 1:
        raise InputError(
            f"{path.name} has tables {', '.join(names)}; give one of them as {path.name}:TABLE or learn them together"
        )
    if name is not None and name not in names:
        raise InputError(f"{path.name} has no table {name}; its tables are {', '.join(names)}")
    chosen = name or names[0]
    return read_sqlite(path, [chosen])[chosen]
