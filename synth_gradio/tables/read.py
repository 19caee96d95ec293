"""The two entry points: one table (inference, single-table learning, quality) or every table given."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.tables.files import READERS, exists, read_file
from synth_gradio.tables.sqlite import MANY, read_one, read_sqlite, table_names
from synth_gradio.tables.workbook import read_sheet, read_sheets

NAMED = (*MANY, ".xlsx")  # files whose tables have names: FILE:NAME picks one
Found = list[tuple[str, pd.DataFrame, str]]  # (table name, table, where it came from)


def split_part(raw: str | Path) -> tuple[Path, str | None]:
    """FILE:NAME -> (FILE, NAME) when FILE is a workbook or SQLite file; any other path is left whole.

    A missing FILE.sqlite:NAME is split too, so the error says FILE.sqlite is not found.
    """
    path = Path(raw)
    text = str(raw)
    if path.exists() or ":" not in text:
        return path, None
    head, name = text.rsplit(":", 1)
    base = Path(head)
    named = base.suffix.lower() in NAMED
    if not name or not (base.is_file() or named):
        return path, None
    if not named:
        raise InputError(f"{base.name} holds one table; only a workbook or SQLite file has tables to pick by name")
    return base, name


def read_table(path: str | Path) -> pd.DataFrame:
    """One table: CSV, Parquet, JSON(L), a workbook's first sheet with rows, or a one-table SQLite file.

    BOOK.xlsx:SHEET and DB.sqlite:TABLE pick one of several by name.
    """
    path, name = split_part(path)
    suffix = path.suffix.lower()
    if suffix not in READERS + MANY:
        raise InputError(f"reference files can be CSV, Parquet, JSONL, Excel (.xlsx) or SQLite; got {path.name}")
    exists(path)
    if path.is_dir():
        raise InputError(f"{path.name} is a folder; give one file of it")
    if suffix in MANY:
        return read_one(path, name)
    if suffix == ".xlsx":
        return read_sheet(path, name)
    return read_file(path)


def _listed(folder: Path) -> list[Path]:
    """Readable files directly in the folder, sorted; hidden files and Excel's ~$ lock files are skipped."""
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in READERS + MANY and not p.name.startswith((".", "~$"))
    )
    if not files:
        raise InputError(f"the folder {folder.name} holds no CSV, Parquet, JSONL, Excel or SQLite file")
    return files


def _found(raw: str | Path) -> Found:
    path, name = split_part(raw)
    exists(path)
    if path.is_dir():
        return [found for file in _listed(path) for found in _found(file)]
    suffix = path.suffix.lower()
    if name is not None:
        return [(name, read_table(raw), str(raw))]
    if suffix in MANY:
        return [(n, frame, f"{path}:{n}") for n, frame in read_sqlite(path, table_names(path)).items()]
    if suffix == ".xlsx":
        sheets = read_sheets(path)
        if len(sheets) == 1:  # a lone sheet is usually "Sheet1": the file's name says more
            return [(path.stem, next(iter(sheets.values())), str(path))]
        return [(n, frame, f"{path}:{n}") for n, frame in sheets.items()]
    return [(path.stem, read_table(path), str(path))]


def read_tables(paths: str | Path | Iterable[str | Path]) -> dict[str, pd.DataFrame]:
    """Every table in the given files, folders, workbooks (a sheet each) and SQLite files, by name.

    Names must be unique across everything given, since relations between tables are found by name.
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise InputError("give at least one reference table")
    out: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    for item in items:
        for name, frame, source in _found(item):
            if name in out:
                raise InputError(f"two tables are named {name} (from {sources[name]} and {source}); rename one of them")
            out[name], sources[name] = frame, source
    return out
