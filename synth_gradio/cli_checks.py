"""Checks the CLI makes before spending any model time: number ranges and the output path.

Numbers are argparse types, so a bad value ends with argparse's usage line and exit code 2, the
same as a misspelt flag. The output path is checked before the run (an InputError, exit code 2):
finding out after hours of generation that the folder cannot be written is the worst moment.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError, SynthError
from synth_gradio.export import format_for
from synth_gradio.studio import Studio

MAX_N = 10_000_000


def int_range(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def float_range(low: float, high: float | None = None) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high]."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


def check_out_path(out: str, folder: bool = False, known_format: bool = True) -> None:
    """Refuse an output path that cannot be written, before the run (missing folders are created later)."""
    path = Path(out).expanduser()
    if not folder:
        if known_format:
            format_for(path)  # a bad extension fails here too
        if path.is_dir():
            raise InputError(f"--out {out} is a folder; give a file name such as {path / 'records.csv'}")
    target = path if folder else path.parent
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot write --out {out}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write --out {out}: the folder {existing} is not writable")


def export_command(run_id: int, db: str | None) -> str:
    db_flag = f" --db {shlex.quote(db)}" if db else ""
    return f"python -m synth_gradio{db_flag} history export {run_id} --out FILE"


def write_out(studio: Studio, run_id: int, out: str, db: str | None = None) -> bool:
    """Export a finished run to `out`; on failure say where the records are and how to get them."""
    try:
        for path, n in studio.export(run_id, out).items():
            print(f"wrote {n} records to {path}", file=sys.stderr)
    except (SynthError, OSError) as exc:
        print(
            f"error: {exc}; the records are kept in the history as run {run_id}: {export_command(run_id, db)}",
            file=sys.stderr,
        )
        return False
    return True


def write_tables_out(results: dict[str, Any], out: str, tables: list[Any], db: str | None = None) -> bool:
    """Write a multi-table run's tables to `out`; on failure name each table's run and its export command."""
    from synth_gradio.export import write_tables

    try:
        written = write_tables(
            {name: r.records for name, r in results.items()}, out, {t.name: t.schema.json_schema for t in tables}
        )
    except (SynthError, OSError) as exc:
        kept = "; ".join(
            f"{name}: {export_command(r.last.run_id, db)}" for name, r in results.items() if r.last is not None
        )
        print(f"error: {exc}; the tables are kept in the history ({kept})", file=sys.stderr)
        return False
    print(f"wrote {', '.join(f'{k} ({v})' for k, v in written.items())} to {out}", file=sys.stderr)
    return True
