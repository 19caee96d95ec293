"""Numbers written with a unit or a currency: "$1,234.50", "12.5%", "1.37kg", "8 GB".

Why: such a column is text to pandas, and was learned as a category (each value drawn as it was
seen, no value between, no link to the numbers it follows) or, with many values, left to the
language model as free text, which cannot write a price that follows a product's size. Found on the
reference (every value a number between one prefix and one suffix, which 99% of them share:
tables/written.py), it is
learned as the number it holds and each drawn number is written back the same way: the prefix, the
thousands separator, as many decimals as the values show, and the suffix.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.learn.unitwrite import write_labelled, write_scaled
from synth_gradio.tables import UNIT, find_units, read_columns, write_duration
from synth_gradio.tables import read_written as read

__all__ = ["as_numbers", "as_written", "find_units", "notes", "read", "unit_column", "write"]


def write(values: list[Any], how: dict[str, Any], units: list[Any] | None = None) -> list[Any]:
    """Drawn numbers written as the reference writes them, with the spaces every real value starts
    or ends with; a null is the reference's marker for one ("-") or None. `units`: each number's
    drawn unit, for a column of several."""
    present = [i for i, v in enumerate(values) if not (v is None or (isinstance(v, float) and np.isnan(v)))]
    taken = [values[i] for i in present]
    if "per_unit" in how:
        written = write_labelled(taken, how, None if units is None else [units[i] for i in present])
    elif how.get("kind") == "duration":
        written = write_duration(taken, how)
    elif "multipliers" in how:
        written = write_scaled(taken, how)
    else:
        written = _write_plain(taken, how)
    out: list[Any] = [how.get("null")] * len(values)
    for i, text in zip(present, written, strict=True):
        out[i] = f"{how.get('lead', '')}{text}{how.get('trail', '')}"
    return out


def _write_plain(values: list[float], how: dict[str, Any]) -> list[str]:
    """Numbers with one prefix and suffix, thousands commas, as many decimals as the reference shows."""
    comma = "," if how["thousands"] else ""
    out = []
    for v in values:
        places = (
            how["decimals"] if how["decimals"] is not None else (how.get("whole", 0) if float(v).is_integer() else None)
        )
        body = f"{abs(v):{comma}.{places}f}" if places is not None else f"{abs(v):{comma}}"
        negative = v < 0 and any(c in "123456789" for c in body)  # -0.001 written with no decimals is 0
        written = f"{how['prefix']}{body}{how['suffix']}"
        parentheses = how.get("negative") == "parentheses"
        out.append((f"({written})" if parentheses else f"-{written}") if negative else written)
    return out


def as_numbers(frame: pd.DataFrame, units: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """`frame` with its written-number columns read as numbers (a column of several units with its
    unit beside, UNIT + name)."""
    return read_columns(frame, units, labels=True)


def as_written(columns: dict[str, list[Any]], units: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    """Columns of drawn values by name, the written-number ones written back (a unit's column is
    taken into its number's)."""
    drawn = {name: columns[UNIT + name] for name in units if UNIT + name in columns}
    return {
        name: write(values, units[name], drawn.get(name)) if name in units else values
        for name, values in columns.items()
        if not (name.startswith(UNIT) and name[len(UNIT) :] in drawn)
    }


def unit_column(name: str) -> bool:
    """Whether a modelled column holds another's unit (it is written into that column)."""
    return name.startswith(UNIT)


def notes(units: dict[str, dict[str, Any]]) -> list[str]:
    def example(how: dict[str, Any]) -> str:
        if "per_unit" in how:
            shown = [f"{how['prefix']}{12.5:.{places}f}{unit}" for unit, places in how["per_unit"].items()]
            return f"numbers written with one of {len(shown)} units ({', '.join(map(repr, shown))})"
        if how.get("kind") == "duration":
            return f"durations written like {write([130 if how['units'][-1] != 'h' else 26], how)[0]!r}"
        negative = f" ({write([-1234.5], how)[0]!r} for a negative)" if how.get("negative") else ""
        return f"numbers written like {write([1234.5], how)[0]!r}{negative}"

    return [
        f"column '{name}' holds {example(how)}; they are learned as numbers and written the same way"
        for name, how in units.items()
    ]
