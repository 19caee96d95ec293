"""An x-distribution as a form: numbers per parameter, a weights table and a cases table.

The Template Builder edits declarations without JSON. A declaration becomes form values and back:
scalar parameters by name, `weights` as (value, weight) rows, and `cases` as (when, parameter or
category, value) rows, a shape that holds numeric overrides (`senior`, `median`, 90000) and
conditional categories (`5`, `positive`, 0.9) alike.
"""

from __future__ import annotations

import math
from typing import Any

NUMBER_PARAMS = ("low", "high", "mean", "std", "median", "sigma", "lam", "scale", "loc", "decimals", "nulls")
TEXT_PARAMS = ("low", "high", "mean")  # dates take ISO text for these


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _number(value: Any) -> Any:
    """A form cell as a number when it reads as one (ISO dates and category names stay text)."""
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def to_declaration(
    kind: str,
    params: dict[str, Any],
    weights: list[list[Any]] | None = None,
    by: str | None = None,
    cases: list[list[Any]] | None = None,
) -> dict[str, Any] | None:
    """Form values -> an x-distribution (None when no kind is chosen)."""
    if not kind or kind == "(none)":
        return None
    decl: dict[str, Any] = {"kind": kind}
    for name, value in params.items():
        if not _blank(value):
            decl[name] = _number(value)
    if kind == "categorical":
        decl["weights"] = {str(row[0]).strip(): _number(row[1]) for row in weights or [] if not _blank(row[0])}
    if by and by != "(none)":
        decl["by"] = by
        table: dict[str, dict[str, Any]] = {}
        for row in cases or []:
            if len(row) < 3 or any(_blank(cell) for cell in row[:3]):
                continue
            when, what, value = str(row[0]).strip(), str(row[1]).strip(), _number(row[2])
            case = table.setdefault(when, {})
            if kind == "categorical" and what not in NUMBER_PARAMS:
                case.setdefault("weights", {})[what] = value
            else:
                case[what] = value
        if table:
            decl["cases"] = table
    return decl


def from_declaration(decl: dict[str, Any] | None) -> dict[str, Any]:
    """An x-distribution -> form values: kind, params, weights rows, by, cases rows."""
    decl = dict(decl or {})
    kind = decl.pop("kind", "(none)")
    weights = [[str(k), v] for k, v in (decl.pop("weights", None) or {}).items()]
    by = decl.pop("by", "(none)")
    cases = []
    for when, overrides in (decl.pop("cases", None) or {}).items():
        for name, value in overrides.items():
            if name == "weights" and isinstance(value, dict):
                cases += [[str(when), str(k), w] for k, w in value.items()]
            else:
                cases.append([str(when), name, value])
    return {"kind": kind, "params": decl, "weights": weights, "by": by, "cases": cases}
