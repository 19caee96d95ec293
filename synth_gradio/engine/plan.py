"""Per-record plans: the values fixed in code before the model is asked for the rest.

Order within a record: the row source's fields (a joint model fitted on a reference table), then
declared distributions in dependency order (each after its `by` field), then the other code-drawn
fields, then Faker fields (which follow the fields already drawn), and finally x-rules fix what
they can. All draws use the Planner's seeded rng, so the same seed gives the same records.

A number nobody declared whose name implies a shape (counts, votes, ratings, ages, durations,
money, quantities; see schema/distributions/priors.py) is drawn from that prior instead of flat
over its bounds, with the strategy "prior". A declaration, x-strategy, enum or learned column wins.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.engine.dedup import canonical
from synth_gradio.engine.fakers import FakerPool, faker_value
from synth_gradio.engine.strategies import CODE_DRAWN, FORMAT_PROVIDERS, choose_all, counted_from, faker_provider
from synth_gradio.engine.values import NULL_RATE, OPTIONAL_RATE, sample_value
from synth_gradio.schema.distributions import dependency_order, load_priors
from synth_gradio.schema.distributions.linked import size_links
from synth_gradio.schema.distributions.measures import build_links
from synth_gradio.schema.endings import ending_fields, settle_endings
from synth_gradio.schema.idforms import code_pattern
from synth_gradio.schema.jsontypes import value_types
from synth_gradio.schema.lifespan import life_pairs, settle_life
from synth_gradio.schema.model import Field, Schema, type_list
from synth_gradio.schema.pairs import ordered_pairs, put_in_order
from synth_gradio.schema.rules import in_order
from synth_gradio.schema.sampling import compile_samplers
from synth_gradio.schema.stages import not_null, settle_stages, stage_fields

MAX_UNIQUE_TRIES = 50
_PROBE_SEED = 0x120F
RowSource = Callable[[random.Random], dict[str, Any]]
CONTEXT = "#context"  # a row source's key for values the text should know that are not fields


@dataclass
class RecordPlan:
    fixed: dict[str, Any]  # values drawn in code, in schema order
    model_fields: list[str]  # fields the model must write
    brief: str = ""  # who writes the record's text, in what tone and length (engine/coupling.py)
    words: tuple[tuple[str, float], ...] = ()  # words its text should favour (+) or avoid (-), in logits
    context: dict[str, Any] = field(default_factory=dict)  # what the text should know beyond the record
    source_row: dict[str, Any] | None = None  # the row source's row as drawn (settle hands it back)
    empty: list[str] = field(default_factory=list)  # model fields the row source left empty (learn/presence.py)


@dataclass
class Planner:
    """Draws the code-side fields of each record, honouring `unique` against values already used.

    `row_source(rng)` (optional) returns some fields of a record drawn jointly (by a learned model);
    they are kept as given and get the strategy "learned". The Planner must know which fields it
    covers before the first record, to record strategies with the run: pass `row_fields` (best),
    or give the row source a `row_fields` attribute; otherwise the keys of one probe row are taken
    (drawn with a separate rng, so a stateless source leaves the run's draws unchanged; a row that
    skips an optional field would hide it). Keys outside `row_fields` or the schema are dropped; a
    covered field a row leaves out stays absent. A row repeating a used `unique` value is redrawn.
    """

    schema: Schema
    seed: int
    used_unique: dict[str, set[str]] = field(default_factory=dict)
    honour_override: bool = True
    key_pools: dict[str, list[Any]] = field(default_factory=dict)  # foreign-key field -> parent keys
    row_source: RowSource | None = None
    row_fields: set[str] | None = None

    def __post_init__(self) -> None:
        self.strategies = choose_all(self.schema, self.honour_override)
        self.rng = random.Random(self.seed)
        self.fakers = FakerPool(self.seed)
        self.row_fields = self._covered()
        for name in self.row_fields:
            self.strategies[name] = "learned"
        priors = {n: d for n, d in load_priors(self.schema).items() if self.strategies[n] == "sample"}
        self.priors = priors
        for name in priors:
            self.strategies[name] = "prior"
        self.links = size_links(self.schema, list(priors))  # a flat's rooms, area and rent rise together
        self.latent = [0.0]  # the record's latent size, drawn per plan where fields are linked
        self.samplers = compile_samplers({**self.schema.distributions, **priors}, self.links, self.latent)
        self.build = build_links(self.schema.json_schema, [n for n in priors if n not in self.links])
        self.build_latent = [0.0]  # a person's latent build: height, weight and blood pressure together
        self.samplers.update(compile_samplers({n: priors[n] for n in self.build}, self.build, self.build_latent))
        self.model_fields = [name for name, s in self.strategies.items() if s == "model"]
        self.sequences: dict[str, int] = {
            name: counted_from(self.schema.field(name).schema) for name, s in self.strategies.items() if s == "sequence"
        }
        self.numbered = dict(self.sequences)  # the highest number an accepted record has
        self.order = self._order()
        # Pairs a rule already ties are left to the rule.
        declared = [rule for rule in self.schema.rules if not rule.spec.get("implied")]  # date parts: by names
        ruled = {n.split(".")[0] for rule in declared for side in rule.fields() for n in side}
        pairs = ordered_pairs(self.schema.json_schema, events=self.schema.implied)
        self.pairs = [p for p in pairs if not set(p) & ruled]
        self.stages = self._stages(ruled)  # an open ticket has no resolution date, a resolved one has one
        self.endings = self._endings(ruled)  # an active employee has no termination date
        drawn = {n for n, s in self.strategies.items() if s in CODE_DRAWN and n not in ruled}
        self.lives = life_pairs(self.schema.json_schema.get("properties") or {}, drawn)  # 20 years at work by 24
        self.governed = set(self.endings.get("fields", {}))  # an ended status always has its ending's date
        self.drawn_as = self._drawing_nodes()
        self._unique_rows = [name for name in self.row_fields if self.schema.field(name).unique]
        self.may_be_empty = {f.name for f in self.schema.fields if not f.required or "null" in f.types}

    def _stages(self, ruled: set[str]) -> dict[str, Any]:
        """The status's stages where it is drawn in code, over the dates and amounts no declared rule
        ties and no learned row gives (schema/stages.py)."""
        found = stage_fields(self.schema.json_schema)
        if not found or self.strategies[found["status"]] not in CODE_DRAWN or found["status"] in ruled:
            return {}
        events = {k: v for k, v in found["events"].items() if k not in ruled and self.strategies[k] in CODE_DRAWN}
        return {**found, "events": events} if events else {}

    def _endings(self, ruled: set[str]) -> dict[str, Any]:
        """The status's ending dates where all are drawn in code and no declared rule ties them
        (schema/endings.py); fields the stages govern are theirs."""
        taken = ruled | set(self.stages.get("events", {}))
        found = ending_fields(self.schema.json_schema, taken)
        if not found or self.strategies[found["status"]] not in CODE_DRAWN or found["status"] in ruled:
            return {}
        fields = {k: v for k, v in found["fields"].items() if self.strategies[k] in CODE_DRAWN}
        texts = [k for k in found["fields"] if self.strategies[k] == "model"]  # a cancellation's reason
        return {**found, "fields": fields, "texts": texts} if fields or texts else {}

    def _drawing_nodes(self) -> dict[str, dict[str, Any]]:
        """The node a field is drawn by where it is not its schema's, resolved once rather than per
        draw: a status's event without its null (the status says whether it is empty), a code with
        the pattern its example or name implies (schema/idforms.py)."""
        out = {
            name: not_null(self.schema.field(name).schema) for name in {*self.stages.get("events", {}), *self.governed}
        }
        names = [f.name for f in self.schema.fields]
        for f in self.schema.fields:
            if (
                self.strategies[f.name] == "sample"
                and self.schema.implied
                and (found := code_pattern(f.name, f.schema, names))
            ):
                out[f.name] = {**f.schema, "pattern": found}
        return out

    def _covered(self) -> set[str]:
        if self.row_source is None:
            return set()
        names = {f.name for f in self.schema.fields}
        given = self.row_fields if self.row_fields is not None else getattr(self.row_source, "row_fields", None)
        if given is None:
            given = set(self.row_source(random.Random(self.seed ^ _PROBE_SEED)))
        return set(given) & names

    def _order(self) -> list[Field]:
        """The fields drawn in code, in drawing order (see the module docstring)."""
        skip = ("faker:", "model", "learned")
        code = [f for f in self.schema.fields if not self.strategies[f.name].startswith(skip)]
        conditioned = {n: d for n, d in self.priors.items() if d.by}  # a height on sex comes after it
        declared = {**self.schema.distributions, **conditioned}
        if declared:
            names = [f.name for f in self.schema.fields]
            first = [n for n in dependency_order(declared, names) if not self.strategies[n].startswith(skip)]
            code = [self.schema.field(n) for n in first] + [f for f in code if f.name not in first]
        # Names before the fields derived from them (an email is built from the name).
        then = sorted(
            (f for f in self.schema.fields if self.strategies[f.name].startswith("faker:")),
            key=lambda f: self.strategies[f.name] not in ("faker:name", "faker:first_name", "faker:last_name"),
        )
        return code + then

    def remember(self, record: dict[str, Any]) -> None:
        """Record the unique-field values of an accepted record (also used when resuming)."""
        for name in self.sequences:
            if isinstance(record.get(name), int):
                self.sequences[name] = max(self.sequences[name], record[name])
                self.numbered[name] = max(self.numbered[name], record[name])

    def number(self, record: dict[str, Any]) -> dict[str, Any]:
        """The accepted record with its counters numbered in the order records are accepted: a
        batch finishes out of plan order and a rejected plan used a number, so counters planned
        came out as 7, 20, 28 ... in the file rather than 1, 2, 3."""
        return {**record, **{name: self.numbered[name] + 1 for name in self.numbered if name in record}}
        for f in self.schema.fields:
            if f.unique and f.name in record:
                self.used_unique.setdefault(f.name, set()).add(canonical(record[f.name]))

    def plan(self) -> RecordPlan:
        # Code-drawn fields first, so Faker can follow them (a German country gets a German name).
        drawn = self._row() if self.row_source is not None else {}
        context = drawn.get(CONTEXT) or {}
        fixed = {k: v for k, v in drawn.items() if k in (self.row_fields or ())}
        if self.links:
            self.latent[0] = self.rng.gauss(0.0, 1.0)
        if self.build:
            self.build_latent[0] = self.rng.gauss(0.0, 1.0)
        empty = [k for k in self.model_fields if k in drawn and drawn[k] is None and k in self.may_be_empty]  # fmt: skip
        for f in self.order:
            if not f.required and f.name not in self.governed and self.rng.random() > OPTIONAL_RATE:
                continue  # an ending's dates are left out by the status (settle_endings)
            node = self.drawn_as.get(f.name, f.schema)
            fixed[f.name] = self._draw(f.name, node, self.strategies[f.name], fixed, f.unique)
        ordered = {f.name: fixed[f.name] for f in self.schema.fields if f.name in fixed}
        settle_stages(ordered, self.stages)  # before the rules, which skip an empty date and add a zero
        settle_life(ordered, self.lives, self.rng)
        if settle_endings(ordered, self.endings):  # what goes on has no reason for its ending yet
            empty += [k for k in self.endings["texts"] if k not in empty]
        put_in_order(ordered, self.pairs)  # salary_min <= salary_max, start_date <= end_date
        # Code-drawn parents and children are made consistent now, so the model is conditioned on
        # coherent values (rules that involve model-written fields are checked after generation).
        # Gaps are drawn after what moves their start and before an order rule on their end
        # (rules.in_order), with the run's random source.
        for rule in in_order(self.schema.rules):
            parents, children = rule.fields()
            if all(name.split(".")[0].replace("[]", "") in ordered for name in parents + children):
                rule.fix(ordered, drawn=True, rng=self.rng)
        return RecordPlan(
            fixed=ordered, model_fields=list(self.model_fields), context=context, source_row=drawn or None, empty=empty
        )

    def settle(self, plan: RecordPlan, accepted: bool, record: dict[str, Any] | None = None) -> None:
        """After a candidate is judged: a rejected one's row-source unique values are free again, and a
        row source that keeps its rows (a related table's, learn/relrows.py) offers the row again."""
        if plan.source_row is None:
            return
        if not accepted:
            for name in self._unique_rows:
                if name in plan.source_row:
                    self.used_unique.get(name, set()).discard(canonical(plan.source_row[name]))
        settle = getattr(self.row_source, "settle", None)
        if settle is not None:  # the record too: a sequence shows a step's text to the next step
            settle(plan.source_row, accepted, record)

    def _row(self) -> dict[str, Any]:
        """One row from the row source as drawn, redrawn while a unique field repeats a used value
        (besides the fields, it may carry CONTEXT: a related row's parent and previous step)."""
        assert self.row_source is not None and self.row_fields is not None
        drawn: dict[str, Any] = {}
        for _ in range(MAX_UNIQUE_TRIES):
            drawn = self.row_source(self.rng)
            row = {k: v for k, v in drawn.items() if k in self.row_fields}
            used = self.used_unique
            if not any(canonical(row[n]) in used.get(n, ()) for n in self._unique_rows if n in row):
                break
        for name in self._unique_rows:
            if name in drawn:
                self.used_unique.setdefault(name, set()).add(canonical(drawn[name]))
        return drawn

    def _draw(self, name: str, node: dict[str, Any], strategy: str, fixed: dict[str, Any], unique: bool) -> Any:
        if strategy == "sequence":
            self.sequences[name] += 1
            return self.sequences[name]
        if strategy == "foreign_key" and self.key_pools.get(name):
            return self.rng.choice(self.key_pools[name])
        used = self.used_unique.setdefault(name, set()) if unique else None
        value: Any = None
        for _ in range(MAX_UNIQUE_TRIES):
            if strategy in ("distribution", "prior"):
                value = self.samplers[name](self.rng, fixed)
            elif strategy.startswith("faker:"):
                value = faker_value(strategy[6:], name, node, fixed, self.fakers, self.rng)
            else:
                value = self._draw_node(name, node, fixed)
            if used is None or canonical(value) not in used:
                break
        if used is not None:
            used.add(canonical(value))
        return value

    def _draw_node(self, name: str, node: dict[str, Any], context: dict[str, Any]) -> Any:
        """Code-side drawing that recurses into objects and arrays, using Faker for named strings."""
        types = value_types(node)
        if "const" in node or "enum" in node or not types or types[0] not in ("object", "array", "string"):
            return sample_value(name, node, self.rng)
        if len(types) < len(type_list(node)) and self.rng.random() < NULL_RATE:
            return None
        if types[0] == "object":
            out: dict[str, Any] = {}
            required = set(node.get("required", []))
            for key, child in node.get("properties", {}).items():
                if key in required or self.rng.random() < OPTIONAL_RATE:
                    out[key] = self._draw_node(key, child, {**context, **out})
            return out
        if types[0] == "array":
            items = node.get("items", {})
            if not value_types(items) or value_types(items)[0] not in ("object", "string") or "enum" in items:
                return sample_value(name, node, self.rng)
            low = node.get("minItems", 1)
            size = self.rng.randint(low, node.get("maxItems", max(low, 3)))
            return [self._draw_node(name, items, context) for _ in range(size)]
        provider = FORMAT_PROVIDERS.get(node.get("format", "")) or (
            faker_provider(name) if "format" not in node else None
        )
        if provider and "pattern" not in node:
            return faker_value(provider, name, node, context, self.fakers, self.rng)
        return sample_value(name, node, self.rng)


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
