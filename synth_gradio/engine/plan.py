"""Per-record plans: the values fixed in code before the model is asked for the rest."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.engine.dedup import canonical
from synth_gradio.engine.fakers import FakerPool, faker_value
from synth_gradio.engine.strategies import choose_all
from synth_gradio.engine.values import OPTIONAL_RATE, sample_value
from synth_gradio.schema.model import Schema

MAX_UNIQUE_TRIES = 50


@dataclass
class RecordPlan:
    fixed: dict[str, Any]  # values drawn in code, in schema order
    model_fields: list[str]  # fields the model must write


@dataclass
class Planner:
    """Draws the code-side fields of each record, honouring `unique` against values already used."""

    schema: Schema
    seed: int
    used_unique: dict[str, set[str]] = field(default_factory=dict)
    honour_override: bool = True

    def __post_init__(self) -> None:
        self.strategies = choose_all(self.schema, self.honour_override)
        self.rng = random.Random(self.seed)
        self.fakers = FakerPool(self.seed)
        self.model_fields = [name for name, s in self.strategies.items() if s == "model"]

    def remember(self, record: dict[str, Any]) -> None:
        """Record the unique-field values of an accepted record (also used when resuming)."""
        for f in self.schema.fields:
            if f.unique and f.name in record:
                self.used_unique.setdefault(f.name, set()).add(canonical(record[f.name]))

    def plan(self) -> RecordPlan:
        fixed: dict[str, Any] = {}
        # Code-drawn fields first, so Faker can follow them (a German country gets a German name).
        first = [f for f in self.schema.fields if not self.strategies[f.name].startswith(("faker:", "model"))]
        then = [f for f in self.schema.fields if self.strategies[f.name].startswith("faker:")]
        for f in first + then:
            if not f.required and self.rng.random() > OPTIONAL_RATE:
                continue
            fixed[f.name] = self._draw(f.name, f.schema, self.strategies[f.name], fixed, f.unique)
        ordered = {f.name: fixed[f.name] for f in self.schema.fields if f.name in fixed}
        # Code-drawn parents and children are made consistent now, so the model is conditioned on
        # coherent values (rules that involve model-written fields are checked after generation).
        for rule in self.schema.rules:
            parents, children = rule.fields()
            if all(name.split(".")[0].replace("[]", "") in ordered for name in parents + children):
                rule.fix(ordered)
        return RecordPlan(fixed=ordered, model_fields=list(self.model_fields))

    def _draw(self, name: str, node: dict[str, Any], strategy: str, fixed: dict[str, Any], unique: bool) -> Any:
        used = self.used_unique.setdefault(name, set()) if unique else None
        value: Any = None
        for _ in range(MAX_UNIQUE_TRIES):
            if strategy.startswith("faker:"):
                value = faker_value(strategy[6:], name, node, fixed, self.fakers, self.rng)
            else:
                value = sample_value(name, node, self.rng)
            if used is None or canonical(value) not in used:
                break
        if used is not None:
            used.add(canonical(value))
        return value


def bootstrap_examples(schema: Schema, seed: int, k: int = 3) -> list[dict[str, Any]]:
    """Few-shot examples drawn in code, for schemas that come without any.

    Fields the model writes by choice (`x-strategy: model`) get realistic code-drawn examples, so a
    base model sees real-looking names and emails instead of guessing the format zero-shot. Free
    text has no code-side source: then no examples are made and the field guide has to do.
    """
    planner = Planner(schema, seed=seed ^ 0x5EED, honour_override=False)
    if planner.model_fields:
        return []
    return [planner.plan().fixed for _ in range(k)]
