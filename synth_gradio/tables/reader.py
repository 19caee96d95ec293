"""Real tables from files, with one clear sentence for each way an upload can be unusable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from synth_gradio.errors import InputError

READERS = (".csv", ".parquet", ".jsonl", ".json", ".xlsx")
MANY = (".sqlite", ".sqlite3", ".db")  # SQLite databases: one table per table
ERRORS = (ValueError, pd.errors.ParserError, OSError, KeyError, UnicodeDecodeError)


def _checked(path: Path, frame: pd.DataFrame, what: str = "") -> pd.DataFrame:
    if frame.empty or not len(frame.columns):
        raise InputError(f"the reference file {path.name}{what} has no rows")
    return frame


def _read_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            try:
                frame = pd.read_csv(path)
            except UnicodeDecodeError:
                frame = pd.read_csv(path, encoding="latin-1")
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif suffix == ".xlsx":
            frame = pd.read_excel(path)
        else:
            frame = pd.read_json(path, lines=suffix == ".jsonl", convert_dates=False, dtype=False)
    except ERRORS as exc:
        raise InputError(f"cannot read {path.name} as {suffix[1:].upper()}: {str(exc).splitlines()[0]}") from None
    return _checked(path, frame)


def _exists(path: Path) -> None:
    if not path.exists():
        raise InputError(f"reference file not found: {path}")
    if path.is_file() and path.stat().st_size == 0:
        raise InputError(f"the reference file {path.name} is empty")


def read_table(path: str | Path) -> pd.DataFrame:
    """One table: a CSV, Parquet, JSONL or Excel file (its first sheet), or a one-table SQLite file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS + MANY:
        raise InputError(f"reference files can be CSV, Parquet, JSONL, Excel (.xlsx) or SQLite; got {path.name}")
    _exists(path)
    if path.is_dir():
        raise InputError(f"{path.name} is a folder; give one file of it")
    if suffix in MANY:
        tables = _sqlite(path)
        if len(tables) != 1:
            raise InputError(f"{path.name} has tables {', '.join(tables)}; learn them together, or export one")
        return next(iter(tables.values()))
    return _read_file(path)


def _sqlite(path: Path) -> dict[str, pd.DataFrame]:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            names = [
                r[0]
                for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            ]
            tables = {name: pd.read_sql_query(f'SELECT * FROM "{name}"', db) for name in names}
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise InputError(f"cannot read {path.name} as SQLite: {exc}") from None
    if not tables:
        raise InputError(f"the SQLite file {path.name} has no tables")
    for name, frame in tables.items():
        _checked(path, frame, f" (table {name})")
    return tables


def _workbook(path: Path) -> dict[str, pd.DataFrame]:
    try:
        sheets = pd.read_excel(path, sheet_name=None)
    except ERRORS as exc:
        raise InputError(f"cannot read {path.name} as XLSX: {str(exc).splitlines()[0]}") from None
    for name, frame in sheets.items():
        if frame.empty or not len(frame.columns):
            raise InputError(f"sheet {name} of {path.name} is empty; remove it or fill it")
    return {str(name): frame for name, frame in sheets.items()}


def _one(path: Path) -> dict[str, pd.DataFrame]:
    _exists(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in READERS + MANY)
        if not files:
            raise InputError(f"the folder {path.name} holds no CSV, Parquet, JSONL, Excel or SQLite file")
        out: dict[str, pd.DataFrame] = {}
        for file in files:
            _merge(out, _one(file), file)
        return out
    suffix = path.suffix.lower()
    if suffix in MANY:
        return _sqlite(path)
    if suffix == ".xlsx":
        sheets = _workbook(path)
        return sheets if len(sheets) > 1 else {path.stem: next(iter(sheets.values()))}
    return {path.stem: read_table(path)}


def _merge(out: dict[str, pd.DataFrame], more: dict[str, pd.DataFrame], source: Path) -> None:
    for name, frame in more.items():
        if name in out:
            raise InputError(f"two tables are named {name} (one from {source.name}); rename one of them")
        out[name] = frame


def read_tables(paths: str | Path | list[str | Path] | tuple[str | Path, ...]) -> dict[str, pd.DataFrame]:
    """Every table in the given files, folders, workbooks (a sheet each) and SQLite files, by name."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise InputError("give at least one reference table")
    out: dict[str, pd.DataFrame] = {}
    for item in items:
        _merge(out, _one(Path(item)), Path(item))
    return out
