"""Reading a user's reference data (CSV, Parquet, JSONL) with clear errors for bad uploads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from synth_gradio.errors import InputError

READERS = (".csv", ".parquet", ".jsonl", ".json", ".xlsx")


def read_reference(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise InputError(f"reference files can be CSV, Parquet, JSONL or Excel (.xlsx); got {path.name}")
    if not path.is_file():
        raise InputError(f"reference file not found: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"the reference file {path.name} is empty")
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
    except (ValueError, pd.errors.ParserError, OSError, KeyError) as exc:
        raise InputError(f"cannot read {path.name} as {suffix[1:].upper()}: {str(exc).splitlines()[0]}") from None
    if frame.empty or not len(frame.columns):
        raise InputError(f"the reference file {path.name} has no rows")
    return frame


def matching_columns(reference: pd.DataFrame, generated: pd.DataFrame) -> list[str]:
    """Columns present in both; an error names the columns when none match."""
    shared = [c for c in generated.columns if c in reference.columns]
    if not shared:
        raise InputError(
            "the reference columns do not match the schema: reference has "
            f"{', '.join(map(str, reference.columns[:12]))}; the run has {', '.join(map(str, generated.columns[:12]))}"
        )
    return shared
