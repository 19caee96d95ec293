"""An inferred schema made to agree with the model learned from the same table.

Why: the schema (schema/infer.py) and the learned model (learn/) each read the reference their own
way, and where they disagree on how a value is written, every drawn row is rejected: a loan book's
term " 36 months" was an enum with its space, the model wrote "36 months", and 0 of 3,000 records
came out. The model is the authority on the columns it learned (it was fitted on the same values),
so a check of the inferred schema that its drawn values fail is dropped, with a note; a schema the
user gave is never changed (its rejections say what disagrees).
"""

from __future__ import annotations

from typing import Any

from synth_gradio.schema.validation import compile_validator

LOOSENED = (
    "enum",
    "const",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "multipleOf",
)
PROBE_ROWS = 300  # drawn rows each learned column's values are checked on


def agreeing(
    json_schema: dict[str, Any], rows: list[dict[str, Any]], columns: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """`json_schema` with the checks dropped that drawn values of a learned column fail, and a note
    per column naming a value and the checks."""
    properties = dict(json_schema.get("properties", {}))
    notes = []
    for column in columns:
        prop = properties.get(column)
        if not isinstance(prop, dict):
            continue
        validator = compile_validator(prop)
        failed: dict[str, Any] = {}  # keyword -> a drawn value that fails it
        for row in rows[:PROBE_ROWS]:
            if row.get(column) is not None:
                for error in validator.iter_errors(row[column]):
                    failed.setdefault(str(error.validator), row[column])
        dropped = [key for key in LOOSENED if key in failed]
        if not dropped:
            continue
        unused = ("x-distribution",)  # the model draws the column: a distribution fitting the dropped check goes too
        properties[column] = {k: v for k, v in prop.items() if k not in dropped and k not in unused}
        notes.append(
            f"column {column!r}: drawn values such as {failed[dropped[0]]!r} failed the inferred schema's "
            f"{', '.join(dropped)}; the learned values are kept"
        )
    return ({**json_schema, "properties": properties} if notes else json_schema), notes
