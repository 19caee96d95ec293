"""Writing numbers the way a reference writes them with several suffixes: a multiplier before one
unit ("8.7k", "19M") or one of a few units ("23.4 kmpl", "26.10 km/kg"); unitnum.py writes the rest.
"""

from __future__ import annotations

from typing import Any


def write_scaled(values: list[float], how: dict[str, Any]) -> list[str]:
    """Numbers (none missing: unitnum.write) written with the largest multiplier they reach ("8.7k",
    "19.0M"), as the reference writes each."""
    marks = sorted(how["multipliers"].items(), key=lambda item: item[1][0])
    out = []
    for v in values:
        mark, (factor, places) = next(((m, f) for m, f in reversed(marks) if abs(v) >= f[0]), marks[0])
        sign = "-" if v < 0 else ""
        out.append(f"{sign}{how['prefix']}{abs(v) / factor:.{places}f}{how['space']}{mark}{how['unit']}")
    return out


def write_labelled(values: list[float], how: dict[str, Any], units: list[Any] | None) -> list[str]:
    """Numbers (none missing) written each with its drawn unit and that unit's decimals (the
    commonest unit where none was drawn), within the unit's real range: where few rows hold a unit,
    a leaf may mix its numbers with another's, and a show's seasons came out as a film's minutes
    ("95 Seasons")."""
    labels, ranges = how["per_unit"], how.get("ranges", {})
    first = next(iter(labels))
    units = units if units is not None else [first] * len(values)
    comma = "," if how["thousands"] else ""
    out = []
    for v, unit in zip(values, units, strict=True):
        unit = unit if unit in labels else first
        if unit in ranges:
            v = min(max(float(v), ranges[unit][0]), ranges[unit][1])
        out.append(f"{'-' if v < 0 else ''}{how['prefix']}{abs(v):{comma}.{labels[unit]}f}{unit}")
    return out
