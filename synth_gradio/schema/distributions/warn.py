"""Warnings for declarations that the schema's own few-shot examples contradict.

An example contradicts a declaration when its value has zero weight (categorical, constant) or lies
outside the central 99% of the declared (truncated) distribution for its `by` group. When most
examples that carry the field contradict it, the user probably mistyped a parameter (a median of
6000 for salaries near 60000), but the examples could also be stale, so this is a warning.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from synth_gradio.schema.distributions.check import Group, show
from synth_gradio.schema.distributions.declared import Declared
from synth_gradio.schema.distributions.math import truncated_quantile
from synth_gradio.schema.distributions.space import Space, text_key

if TYPE_CHECKING:
    from synth_gradio.schema.model import Schema

CENTRAL = 0.99


def _reason(group: Group, space: Space, value: Any) -> str | None:
    """Why the value contradicts the group, or None."""
    if group.kind in ("categorical", "constant"):
        keys = {text_key(v) for v in group.values}
        return None if text_key(value) in keys else "has zero weight"
    try:
        x = space.to_real(value)
    except (TypeError, ValueError):
        return None
    tail = (1 - CENTRAL) / 2
    lo = truncated_quantile(group.kind, group.real, group.lo, group.hi, tail, group.step)
    hi = truncated_quantile(group.kind, group.real, group.lo, group.hi, 1 - tail, group.step)
    half = (group.step or 0.0) / 2 if group.kind != "poisson" else 0.0
    if x < lo - half or x > hi + half:
        return f"lies outside the central 99% [{show(space, lo)}, {show(space, hi)}]"
    return None


def contradicted(declared: dict[str, Declared], examples: list[dict[str, Any]]) -> list[str]:
    warnings = []
    for name, d in declared.items():
        carrying = [e for e in examples if isinstance(e, dict) and e.get(name) is not None]
        found = []
        for example in carrying:
            group = d.group(example.get(d.by)) if d.by else d.base
            reason = _reason(group, d.space, example[name])
            if reason:
                found.append((example[name], reason))
        if carrying and len(found) * 2 > len(carrying):
            value, reason = found[0]
            warnings.append(
                f"field '{name}': {len(found)} of {len(carrying)} examples contradict its x-distribution "
                f"(e.g. {json.dumps(value)} {reason}) at {d.path}"
            )
    return warnings


def distribution_warnings(schema: Schema) -> list[str]:
    """Declarations most few-shot examples contradict (a warning, not an error: examples may be old)."""
    return contradicted(schema.distributions, list(schema.examples))
