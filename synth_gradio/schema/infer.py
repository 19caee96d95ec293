"""A record schema inferred from a reference CSV, Parquet or JSONL file.

Types, enums for low-cardinality text columns, numeric ranges, date and date-time formats, and
nullability. Each column's observed marginal is recorded as an x-distribution (category shares,
or a fitted numeric or date distribution; see schema/fitting.py), so the user can see and edit
what the generator will draw. Optionally a few sample rows become few-shot examples (they are real
data: the UI says so before the user opts in).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.schema import fitting
from synth_gradio.schema.formats import check_format
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.schema.nameform import name_form, names_things, person_field
from synth_gradio.tables import codes_pattern, holds_nested, read_table

MAX_ENUM = 20
ENUM_SHARE = 0.05  # a text column with at most 5% distinct values (and <= 20) is categorical
LENGTH_QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)  # x-lengths: characters of real texts at these
MIN_LENGTHS = 20  # texts needed before their lengths are kept
MIN_FLOOR = 10  # characters a minLength from the real texts must reach to be worth keeping
MIN_KEY_ROWS = 20  # rows a column must have, all different, to be taken as an identifier
ID_NAME = re.compile(  # order_id, orderId, ID, a row number (instant, Unnamed: 0)
    r"(?i:(^|[_\s])(id|key|index|no|number)$)|[a-z]Id$|ID$|(?i:^(instant|idx|row|unnamed: ?\d+|#|sn|serial)$)"
)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def infer_column(name: str, series: pd.Series, distributions: bool = True) -> dict[str, Any]:
    values = series.dropna()
    node: dict[str, Any]
    if values.empty:
        return {"type": ["string", "null"]}
    if holds_nested(values):
        node = _nested(name, values)
        return {**node, "type": [node["type"], "null"]} if series.isna().any() else node
    if pd.api.types.is_bool_dtype(values):
        node = {"type": "boolean"}
    elif pd.api.types.is_integer_dtype(values) or (pd.api.types.is_float_dtype(values) and (values % 1 == 0).all()):
        node = {"type": "integer", "minimum": int(values.min()), "maximum": int(values.max())}
    elif pd.api.types.is_numeric_dtype(values):
        node = {"type": "number", "minimum": float(values.min()), "maximum": float(values.max())}
    else:
        text = values.astype(str)
        node = {"type": "string"}
        for fmt in ("date", "date-time", "time", "email", "uuid", "ipv4", "uri"):
            if text.head(200).map(lambda v, f=fmt: check_format(f, v)).all():
                node["format"] = fmt
                break
        distinct = text.nunique()
        if "format" not in node and _few(distinct, len(text)):
            node["enum"] = sorted(text.unique().tolist())
        elif "format" not in node:  # codes keep their shape (SKU-00012), other text its length
            pattern = codes_pattern(text)
            node.update({"pattern": pattern} if pattern else {"maxLength": int(text.str.len().max())})
            if not pattern and len(text) >= MIN_LENGTHS:  # how long real texts run, for the model's briefs
                node["x-lengths"] = [int(q) for q in np.quantile(text.str.len(), LENGTH_QUANTILES)]
                if node["x-lengths"][0] >= 2 * MIN_FLOOR:  # none shorter than half the shortest real one:
                    node["minLength"] = node["x-lengths"][0] // 2  # a line of 19 beside reviews of 60 to 110
    if len(values) >= MIN_KEY_ROWS and values.is_unique and "enum" not in node:
        if "pattern" in node or node.get("format") in ("email", "uuid"):  # a code, not a date or a name
            node["unique"] = True
        counter = node["type"] == "integer" and int(values.max() - values.min()) + 1 == len(values)
        if counter and ID_NAME.search(name):  # ages 0..100 in a life table are all different too
            node = {"type": "integer", "unique": True, "x-sequence": True}  # a row counter, written anew
            if int(values.min()) != 1:  # ... from the reference's first number (1,001 on)
                node["minimum"] = int(values.min())
    if distributions and "x-sequence" not in node:
        marginal = _marginal(node, values)
        if marginal:
            node["x-distribution"] = marginal
    if series.isna().any():
        node["type"] = [node["type"], "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
    return node


def _nested(name: str, values: pd.Series) -> dict[str, Any]:
    """A column of lists (an array of what its items hold: values, objects or lists) or of objects
    (of their fields); mixed, one sentence. Why: JSON Lines and Parquet hold such columns (an order's
    line items), and asking whether they were unique crashed."""
    if values.map(lambda v: isinstance(v, list)).all():
        items = pd.Series([item for value in values for item in value], dtype=object)
        if items.dropna().empty:  # empty lists only: nothing says what an item is
            return {"type": "array", "items": {"type": "string"}, "maxItems": 0}
        return {"type": "array", "items": infer_column(f"{name}[]", items.infer_objects(), distributions=False)}
    if values.map(lambda v: isinstance(v, dict)).all():
        fields = pd.DataFrame(values.tolist())
        if fields.empty or not len(fields.columns):
            raise InputError(f"column {name!r} holds only empty objects; leave it out or give it fields")
        return {
            "type": "object",
            "properties": {str(k): infer_column(f"{name}.{k}", fields[k], False) for k in fields.columns},
        }
    raise InputError(f"column {name!r} mixes lists, objects and plain values; write each of its values the same way")


def _few(distinct: int, n: int) -> bool:
    """Few enough distinct values to be categories."""
    return distinct <= MAX_ENUM and distinct <= max(2, ENUM_SHARE * n)


def _marginal(node: dict[str, Any], values: pd.Series) -> dict[str, Any] | None:
    """The column's observed marginal as an x-distribution (None where there is nothing to fit)."""
    kind = node["type"]
    if kind == "boolean" or "enum" in node:
        return fitting.categorical(values.astype(str) if "enum" in node else values.astype(bool))
    if kind == "integer":
        ints = values.astype("int64")
        return fitting.categorical(ints) if _few(ints.nunique(), len(ints)) else fitting.numeric(ints, True)
    if kind == "number":
        return fitting.numeric(values.astype(float), False)
    if node.get("format") in ("date", "date-time"):
        return fitting.temporal(values.astype(str), node["format"])
    return None


def table_properties(frame: pd.DataFrame, distributions: bool = True) -> dict[str, dict[str, Any]]:
    """Each column's schema, with how its names are written where they are people's ("Braund, Mr.
    Owen": the name writer follows the reference's form), and left to the language model where a
    field named for a person names things (an airline's "name": Faker wrote "William Blake")."""
    props = {str(col): infer_column(str(col), frame[col], distributions) for col in frame.columns}
    for col in frame.columns:
        node = props[str(col)]
        if {"enum", "format", "pattern"} & set(node) or "string" not in node["type"]:
            continue
        if person_field(str(col)) and names_things(frame[col]):
            node["x-strategy"] = "model"
        elif form := name_form(frame[col], frame, str(col)):
            node["x-name-form"] = form
            node["maxLength"] += 10  # the longest real name is no law: Faker's run longer
    return props


def infer_schema(
    path: str | Path, title: str | None = None, example_rows: int = 0, distributions: bool = True
) -> Schema:
    """The Schema of a reference file; `distributions` records each column's marginal."""
    frame = read_table(path)
    props = table_properties(frame, distributions)
    required = [str(col) for col in frame.columns if not frame[col].isna().any()]
    raw: dict[str, Any] = {
        "title": title or Path(path).stem,
        "type": "object",
        "properties": props,
        "required": required,
        "x-implied": False,  # the table's own conventions are learned, not guessed from names
    }
    examples = []
    if example_rows:
        for _, row in frame.head(example_rows).iterrows():
            examples.append(
                {str(k): _plain(v) for k, v in row.items() if _plain(v) is not None or str(k) not in required}
            )
    schema = load_schema(raw)
    valid = [e for e in examples if schema.validator.is_valid(e)]
    return load_schema(json.loads(json.dumps(raw)), examples=valid or None)
