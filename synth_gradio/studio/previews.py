"""Previews that draw from a declaration before anything is generated (no model, no storage)."""

from __future__ import annotations

from typing import Any

from synth_gradio.engine.plan import Planner
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema


def declared_values(schema_json: dict[str, Any], field: str, n: int = 2000, seed: int = 0) -> list[Any]:
    """`n` values of `field` drawn as a run would draw them (conditioning fields included)."""
    schema = load_schema(schema_json)
    if field not in {f.name for f in schema.fields}:
        raise InputError(f"no field {field!r} in this schema")
    planner = Planner(schema, seed)
    return [planner.plan().fixed.get(field) for _ in range(n)]


MODEL_WRITES = "(written by the model)"


def sample_rows(schema_json: dict[str, Any], n: int = 5, seed: int = 0) -> list[dict[str, Any]]:
    """`n` records as a run would start them, drawn in code at once: the fields the model writes say so."""
    schema = load_schema(schema_json)
    planner = Planner(schema, seed)
    rows = []
    for _ in range(n):
        plan = planner.plan()
        rows.append(
            {
                f.name: plan.fixed.get(f.name, MODEL_WRITES if f.name in plan.model_fields else None)
                for f in schema.fields
            }
        )
    return rows
