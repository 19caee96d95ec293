"""Distributions and rules proposed by a model, checked before anyone sees them.

The chosen backend is asked once for `x-distribution` declarations and `x-rules` for a schema.
Every proposal is validated by loading the schema with it (the same checks a user's own
declaration gets); invalid ones are dropped with the reason. The rest are shown as a diff that the
user accepts field by field. A small base model proposes little of value: then the answer is "no
usable suggestions", never an error. A larger model (Ollama, an OpenAI-compatible server, a GPU
transformers model) is what makes this useful.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.backends.base import Backend, CompletionRequest, GenerationParams
from synth_gradio.errors import BackendError, SynthError
from synth_gradio.schema.model import Schema, load_schema

PROPOSAL_SCHEMA = {
    "type": "object",
    "properties": {
        "distributions": {"type": "object", "additionalProperties": {"type": "object"}},
        "rules": {"type": "array", "items": {"type": "object"}, "maxItems": 8},
    },
    "required": ["distributions", "rules"],
}
GUIDE = """You design realistic synthetic data. For the record schema below, propose how each number and
category is distributed in the real world, and rules that tie fields together.

Distribution kinds (JSON under "distributions", one entry per field name):
- {"kind": "categorical", "weights": {"value": weight, ...}}  (weights for enum values; non-string values as text)
- {"kind": "normal", "mean": M, "std": S}   {"kind": "lognormal", "median": M, "sigma": S}  (skewed amounts)
- {"kind": "uniform"}   {"kind": "poisson", "lam": L}   {"kind": "exponential", "scale": S}
- any kind may add "by": "<a categorical field>" and "cases": {"<its value>": {<parameters that change>}}
Rule kinds (JSON list under "rules"):
- {"kind": "compare", "left": "start_date", "op": "<=", "right": "end_date"}
- {"kind": "conditional", "if": {"field": "plan", "equals": "free"}, "then": {"field": "mrr", "maximum": 0}}
- {"kind": "arithmetic", "target": "total", "expr": "quantity * unit_price"}
- {"kind": "gap", "from": "starts_at", "to": "ends_at", "unit": "minutes", "min": 10, "max": 90, "median": 25}

Example answer for fields level (enum junior, senior) and salary (integer 20000..300000):
{"distributions": {"level": {"kind": "categorical", "weights": {"junior": 0.7, "senior": 0.3}},
 "salary": {"kind": "lognormal", "median": 55000, "sigma": 0.3, "by": "level", "cases": {"senior": {"median": 95000}}}},
 "rules": []}

Schema fields:
"""


@dataclass
class Suggestions:
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict)  # valid proposals by field
    rules: list[dict[str, Any]] = field(default_factory=list)  # valid rules
    dropped: list[str] = field(default_factory=list)  # one sentence per invalid proposal
    raw: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.distributions or self.rules)

    def message(self) -> str:
        if not self.usable:
            reason = f" ({len(self.dropped)} proposals were invalid)" if self.dropped else ""
            return (
                f"no usable suggestions{reason}; a larger model (Ollama, an OpenAI-compatible server or a GPU "
                "transformers model) proposes much better ones than the bundled 270M model"
            )
        return (
            f"{len(self.distributions)} distributions and {len(self.rules)} rules proposed; {len(self.dropped)} dropped"
        )


def field_lines(schema: Schema) -> str:
    lines = []
    for f in schema.fields:
        node = {
            k: v for k, v in f.schema.items() if k in ("type", "enum", "minimum", "maximum", "format", "description")
        }
        lines.append(f"- {f.name}: {json.dumps(node, ensure_ascii=False)}")
    return "\n".join(lines)


def ask(schema: Schema, backend: Backend, seed: int = 0) -> str:
    """One request to the backend; its text is the proposal (validated later, never trusted)."""
    prompt = GUIDE + field_lines(schema) + "\n\nAnswer with one JSON object with keys distributions and rules.\n"
    request = CompletionRequest(
        prefix=prompt,
        suffixes=["Answer: "],
        json_schema=PROPOSAL_SCHEMA,
        params=GenerationParams(temperature=0.3, max_tokens=1024, seed=seed),
    )
    completion = backend.complete(request)[0]
    if completion.error is not None:
        raise completion.error if isinstance(completion.error, BackendError) else BackendError(str(completion.error))
    return completion.text


def check(schema: Schema, text: str) -> Suggestions:
    """Parse the answer and keep only proposals that load with the schema."""
    out = Suggestions(raw=text)
    try:
        data = json.loads(text)
    except ValueError:
        out.dropped.append("the answer is not JSON, so nothing could be used")
        return out
    if not isinstance(data, dict):
        out.dropped.append("the answer is not a JSON object with distributions and rules")
        return out
    base = schema.json_schema
    proposals = data.get("distributions") if isinstance(data.get("distributions"), dict) else {}
    for name, spec in proposals.items():
        path = f"$.properties.{name}.x-distribution"
        if name not in base.get("properties", {}):
            out.dropped.append(f"{path}: there is no field {name!r}")
            continue
        trial = copy.deepcopy(base)
        trial["properties"][name]["x-distribution"] = spec
        problem = _problem(trial, schema)
        if problem:
            out.dropped.append(f"{name}: {problem}")
        else:
            out.distributions[name] = spec
    for index, rule in enumerate(data.get("rules") if isinstance(data.get("rules"), list) else []):
        trial = copy.deepcopy(base)
        trial["x-rules"] = [*base.get("x-rules", []), rule]
        problem = _problem(trial, schema)
        if problem:
            out.dropped.append(f"rule {index + 1}: {problem}")
        else:
            out.rules.append(rule)
    return out


def _problem(raw: dict[str, Any], schema: Schema) -> str | None:
    try:
        load_schema(raw, examples=list(schema.examples) or None)
    except SynthError as exc:  # SchemaError names the JSON path
        return str(exc)
    return None


def suggest(schema: Schema, backend: Backend, seed: int = 0) -> Suggestions:
    return check(schema, ask(schema, backend, seed))


def diff_rows(schema: Schema, found: Suggestions) -> list[dict[str, str]]:
    """One row per proposal: what is declared now and what is proposed."""
    rows = []
    for name, spec in found.distributions.items():
        current = schema.json_schema["properties"][name].get("x-distribution")
        rows.append(
            {
                "item": name,
                "now": json.dumps(current, ensure_ascii=False) if current else "(nothing declared)",
                "proposed": json.dumps(spec, ensure_ascii=False),
            }
        )
    for index, rule in enumerate(found.rules):
        rows.append({"item": f"rule {index + 1}", "now": "", "proposed": json.dumps(rule, ensure_ascii=False)})
    return rows


def apply(schema: Schema, found: Suggestions, accept: list[str] | None = None) -> Schema:
    """The schema with the accepted proposals (`accept` names fields and "rule N"; None: all)."""
    chosen = set(accept) if accept is not None else None
    raw = copy.deepcopy(schema.json_schema)
    for name, spec in found.distributions.items():
        if chosen is None or name in chosen:
            raw["properties"][name]["x-distribution"] = spec
    rules = [r for i, r in enumerate(found.rules) if chosen is None or f"rule {i + 1}" in chosen]
    if rules:
        raw["x-rules"] = [*raw.get("x-rules", []), *rules]
    return load_schema(raw, examples=list(schema.examples) or None)
