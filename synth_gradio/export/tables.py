"""Several tables at once (a multi-table run): one .xlsx with a sheet each, a SQLite file with a table
each, a .zip or a folder of CSVs. Keys are written as generated, so links between tables hold."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from synth_gradio.errors import ExportError
from synth_gradio.export.excel import fill_sheet
from synth_gradio.export.writers import write_records


def write_tables(
    tables: dict[str, list[dict[str, Any]]], out: str | Path, schemas: dict[str, dict[str, Any]] | None = None
) -> dict[str, int]:
    """One dataset per table: a multi-sheet .xlsx, a SQLite file, a .zip of CSV files, or a folder of CSVs.

    Any other extension takes exactly one table, in the format that extension names.
    """
    out = Path(out)
    schemas = schemas or {}
    suffix = out.suffix.lower()
    try:
        if suffix == ".xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            for name, records in tables.items():
                fill_sheet(wb.create_sheet(name[:31]), records, schemas.get(name, {}).get("properties", {}), True)
            out.parent.mkdir(parents=True, exist_ok=True)
            wb.save(out)
        elif suffix in (".sqlite", ".sqlite3", ".db"):
            _write_sqlite(tables, out)
        elif suffix == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, records in tables.items():
                    path = Path(tmp) / f"{name}.csv"
                    write_records(iter(records), path, schemas.get(name))
                    archive.write(path, path.name)
        elif suffix:
            if len(tables) > 1:
                raise ExportError(
                    f"{len(tables)} tables do not fit one {suffix} file; use a folder, a .zip or an .xlsx"
                )
            name, records = next(iter(tables.items()))
            write_records(iter(records), out, schemas.get(name))
        else:
            out.mkdir(parents=True, exist_ok=True)
            for name, records in tables.items():
                write_records(iter(records), out / f"{name}.csv", schemas.get(name))
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return {name: len(records) for name, records in tables.items()}


def _write_sqlite(tables: dict[str, list[dict[str, Any]]], out: Path) -> None:
    """One SQLite table per table (replacing a table of the same name); nested values as JSON text."""
    import pandas as pd

    out.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(out) as con:
        for name, records in tables.items():
            frame = pd.DataFrame.from_records(records)
            for column in frame.columns:
                if frame[column].map(lambda v: isinstance(v, (dict, list))).any():
                    frame[column] = frame[column].map(lambda v: json.dumps(v) if isinstance(v, (dict, list)) else v)
            frame.to_sql(name, con, index=False, if_exists="replace")
