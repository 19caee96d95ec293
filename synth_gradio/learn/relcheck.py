"""Checks on related tables before learning: one sentence per problem, naming the table and column.

Orphans (child keys that match no parent) are dropped with a note when they are a minority and
refused when most values match nothing (a wrong key, not dirty data); they are never linked to a
parent at random. Order columns become numbers (seconds for dates) with what it takes to write
them back in the reference's own format.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.learn.dategrid import DAY, find_grid, snap
from synth_gradio.learn.detect import detect as detect_column
from synth_gradio.learn.keys import contained, key_text, ties_allowed
from synth_gradio.learn.marginals import format_seconds, number_out, time_resolution, to_seconds
from synth_gradio.learn.relations import MAX_STEPS, REFUSE, SERIES, Link, Relations


def table_order(tables: list[str], links: list[Link]) -> list[str]:
    """Parents before children; a cycle of links is an error naming the tables in it."""
    done: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name) :], name]
            raise InputError(f"the keys form a cycle ({' -> '.join(cycle)}); learn those tables without one link")
        visiting.append(name)
        for link in links:
            if link.child == name and link.parent != name:
                visit(link.parent)
        visiting.pop()
        done.append(name)

    for name in tables:
        visit(name)
    return done


def _check_key(table: str, column: str, frame: pd.DataFrame) -> None:
    series = frame[column]
    if series.isna().any():
        raise InputError(f"table {table}: key column {column} is empty in {int(series.isna().sum())} rows")
    repeated = series[series.duplicated()]
    if len(repeated):
        raise InputError(
            f"table {table}: key column {column} repeats {repeated.nunique()} values (e.g. {repeated.tolist()[0]!r}); "
            "a key must name one row"
        )


def _orphans(tables: dict[str, pd.DataFrame], link: Link, notes: list[str]) -> None:
    child = tables[link.child]
    values = child[link.column]
    share = contained(values, tables[link.parent][link.key])
    present = values.notna()
    if not present.any():
        raise InputError(f"table {link.child}: column {link.column} is empty, so it cannot refer to {link.parent}")
    if share < REFUSE:
        raise InputError(
            f"table {link.child}: only {share:.0%} of {link.column} values are among {link.parent}.{link.key}; "
            "check the key (orphans are not linked at random)"
        )
    orphan = present & ~key_text(values).isin(set(key_text(tables[link.parent][link.key])))
    if orphan.any():
        tables[link.child] = child[~orphan].reset_index(drop=True)
        notes.append(
            f"dropped {int(orphan.sum())} rows of {link.child} whose {link.column} matches no {link.parent}.{link.key}"
        )


def order_numbers(table: str, column: str, series: pd.Series) -> tuple[np.ndarray, dict[str, Any]]:
    """An order column as numbers (seconds for dates), and how to write numbers back."""
    found = detect_column(column, series.dropna())
    if found.kind in ("number", "discrete") or (found.kind == "id" and pd.api.types.is_numeric_dtype(series)):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        integer = bool(found.integer) or pd.api.types.is_integer_dtype(series)  # an id's kind says nothing of it
        return numbers, {"kind": "number", "integer": integer, "decimals": found.decimals}
    if found.kind == "datetime" and found.date_format is not None:
        seconds = to_seconds(series, found.date_format)
        bad = series.notna().to_numpy() & np.isnan(seconds)
        if bad.any():
            good = series[~bad & series.notna().to_numpy()]
            example = f" beside {good.tolist()[0]!r}" if len(good) else ""
            raise InputError(
                f"table {table}: order column {column} mixes formats (e.g. {series[bad].tolist()[0]!r}{example}); "
                "write every value the same way"
            )
        known = seconds[np.isfinite(seconds)]
        how = {"kind": "datetime", "format": found.date_format, "resolution": time_resolution(found.date_format, known)}
        grid = find_grid(known, DAY if np.all(np.mod(known, DAY) == 0) else 1.0)
        return seconds, {**how, "date_grid": grid} if grid else how  # monthly steps stay on month starts
    iso = pd.to_datetime(series, errors="coerce", format="ISO8601")
    bad = series.notna() & iso.isna()
    if iso.notna().any() and bad.any():
        raise InputError(
            f"table {table}: order column {column} mixes formats (e.g. {series[bad].tolist()[0]!r} beside "
            f"{series[iso.notna()].tolist()[0]!r}); write every value the same way"
        )
    raise InputError(
        f"table {table}: order column {column} holds neither numbers nor dates (e.g. {series.tolist()[0]!r})"
    )


def on_grid(numbers: np.ndarray, how: dict[str, Any]) -> np.ndarray:
    """Order dates moved to the nearest day of the grid the real ones keep (dategrid.py), if any."""
    return snap(numbers, how["date_grid"], -np.inf, np.inf) if "date_grid" in how else numbers


def written_numbers(numbers: np.ndarray, how: dict[str, Any]) -> np.ndarray:
    """Order values as numbers, rounded as `write_order` writes them (a date to its resolution)."""
    if how["kind"] == "datetime":  # on the hour where every real time is (models stored before: as drawn)
        step = float(how.get("resolution", 0.0)) or 1.0
        return on_grid(np.round(numbers / step) * step, how)
    return np.asarray(number_out(numbers, how.get("integer", False), how.get("decimals")), dtype=float)


def write_order(numbers: np.ndarray, how: dict[str, Any]) -> list[Any]:
    """Order values in the reference's own form (ints, rounded numbers or date strings)."""
    if how["kind"] == "datetime":
        return format_seconds(written_numbers(numbers, how), how["format"])
    return number_out(numbers, how.get("integer", False), how.get("decimals"))


def _shown(value: Any) -> str:
    """A value as a user wrote it: text quoted, numbers plain (not numpy's repr)."""
    return repr(value) if isinstance(value, str) else str(getattr(value, "item", lambda: value)())


def _check_steps(tables: dict[str, pd.DataFrame], relations: Relations, notes: list[str]) -> None:
    for steps in relations.steps:
        frame = tables[steps.table]
        if empty := int(frame[steps.entity].isna().sum()):  # its steps would belong to no one
            raise InputError(
                f"table {steps.table}: entity column {steps.entity} is empty in {empty:,} rows; every step needs "
                "its entity (fill it, or name another --sequence)"
            )
        sizes = frame.groupby(steps.entity, dropna=True).size()
        if steps.entity == SERIES and len(frame) > MAX_STEPS:
            raise InputError(
                f"table {steps.table} is one series of {len(frame):,} steps (at most {MAX_STEPS:,}); give its "
                f"latest {MAX_STEPS:,} rows, or learn its rows apart, without --sequence"
            )
        if len(sizes) and sizes.max() > MAX_STEPS:
            raise InputError(
                f"table {steps.table}: entity {_shown(sizes.idxmax())} of {steps.entity} has {int(sizes.max()):,} steps "
                f"(at most {MAX_STEPS:,}); learn such a long series on its own, without --sequence"
            )
        if steps.order is None:
            continue
        _, how = order_numbers(steps.table, steps.order, frame[steps.order])
        if frame[steps.order].isna().any():
            raise InputError(f"table {steps.table}: order column {steps.order} is empty in some rows")
        repeats = frame[frame.duplicated([steps.entity, steps.order], keep=False)]
        if len(repeats) and ties_allowed(frame, steps.entity, steps.order, how["kind"]):  # in file order
            notes.append(
                f"{steps.table}: {len(repeats):,} rows share their {steps.order} with another of the same "
                f"{steps.entity}; they are kept as steps in the file's order"
            )
        elif len(repeats):
            first = repeats.iloc[0]
            raise InputError(
                f"table {steps.table}: {steps.entity} {_shown(first[steps.entity])} has {steps.order} "
                f"{_shown(first[steps.order])} more than once ({len(repeats)} rows repeat an order within an entity"
                f"{'; times may repeat in at most 5% of rows' if how['kind'] == 'datetime' else ''})"
            )


def check(tables: dict[str, pd.DataFrame], relations: Relations) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The tables with orphan rows dropped, and notes; problems are InputErrors naming table and column."""
    tables = dict(tables)
    notes: list[str] = []
    for table, column in relations.keys.items():
        _check_key(table, column, tables[table])
    for link in relations.links:
        if link.key != relations.keys.get(link.parent):
            _check_key(link.parent, link.key, tables[link.parent])
    table_order(list(tables), relations.links)
    for link in relations.links:
        _orphans(tables, link, notes)
    _check_steps(tables, relations, notes)
    return tables, notes
