"""The state of one run: planner, dedup, example pool, counters, and how one candidate is checked.

The engine owns every counter. A resumed run seeds them from the stored run, so each update counts
the whole run, as storage will keep it. Both the batch path and the streamed path check candidates
through `RunState.take`, so they accept and reject by exactly the same rules.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from synth_gradio.backends.base import Backend, Completion, CompletionRequest, GenerationParams, LostCheck
from synth_gradio.engine.coupling import TextCoupling
from synth_gradio.engine.dedup import for_run as dedup_for_run
from synth_gradio.engine.parse import parse_object
from synth_gradio.engine.plan import Planner, RecordPlan, bootstrap_examples
from synth_gradio.engine.prompts import (
    build_prefix,
    estimate_max_tokens,
    field_level_example,
    grammar_schema,
    guide_texts,
    record_suffix,
)
from synth_gradio.engine.prose import printable, prose_fields, prose_rules, reject_reason, tidy
from synth_gradio.engine.steer import Overuse
from synth_gradio.engine.strategies import normalize_name
from synth_gradio.engine.stream import Chunk
from synth_gradio.engine.types import GenerationRequest, Rejection, reason_kind
from synth_gradio.engine.validate import copied_example_reason, drop_repeats, placeholder_reason
from synth_gradio.errors import BackendError, SynthError
from synth_gradio.quality.metrics import RunAccumulator
from synth_gradio.quality.textcheck import schema_wording
from synth_gradio.quality.textecho import Echo, schema_guide
from synth_gradio.quality.textjunk import item_problem, label_like, listed_twice
from synth_gradio.schema.model import Schema
from synth_gradio.schema.rules import apply_rules
from synth_gradio.schema.validation import first_error

POOL_RECENT = 32
CancelCheck = Callable[[], bool]


class RunState:
    """State of one run: planner, dedup, example pool, counters (see the module docstring)."""

    def __init__(
        self,
        request: GenerationRequest,
        backend: Backend,
        existing: list[dict[str, Any]],
        stored: dict[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.backend = backend
        schema = request.schema
        seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
        self.seed = seed + len(existing)  # a resumed run continues with fresh draws
        learned = request.learned
        self.planner = Planner(
            schema,
            self.seed,
            key_pools=dict(request.key_pools or {}),
            row_source=_row_source(learned, self.seed, existing),
            row_fields=set(learned.columns) if learned is not None else None,
        )
        # Prose (sentences, not names or titles) must not nearly repeat an accepted text of its field.
        self.dedup = dedup_for_run(schema, self.planner.model_fields, learned, request.n)
        names = {f.name for f in schema.fields}
        generated = [{k: v for k, v in r.items() if k in names} for r in existing]  # without a judge's column
        for record in generated:
            self.dedup.add(record)
            self.planner.remember(record)
        self.rng = random.Random(self.seed + 1)
        self.pool = list(schema.examples)
        synthetic = field_level_example(schema, self.planner.model_fields) if not self.pool else None
        if synthetic:
            self.pool.append(synthetic)
        if not self.pool and self.planner.model_fields:
            self.pool = bootstrap_examples(schema, self.seed)
        self.recent: list[dict[str, Any]] = generated[-POOL_RECENT:]
        self.shown: list[dict[str, Any]] = list(self.pool)  # examples in the current prompt
        self.free_fields = [
            name for name in self.planner.model_fields if not {"enum", "const"} & set(schema.field(name).schema)
        ]
        self.identifying = {
            f.name for f in schema.fields if f.unique or {"name", "title"} & set(normalize_name(f.name).split("_"))
        }
        self.judge_score: float | None = None  # the last accepted candidate's verdict
        # Short free text (names, titles, places) steers away from words its accepted values overuse.
        names = [f for f in prose_fields(schema, self.free_fields) if f not in self.dedup.prose]
        self.overuse = Overuse(names, schema_wording(schema.json_schema) + " " + " ".join(guide_texts(schema)))
        for record in generated:
            self.overuse.add(record)
        self.echo = Echo(
            guide_texts(schema),
            prose_fields(schema, self.free_fields),
            labels=[f.name for f in schema.fields if {"enum", "const"} & set(f.schema)],
            allowed=_given_values(schema),
            said=schema_guide(schema.json_schema),  # not our instructions: "each record is different from the others"
        )
        self.coupling = TextCoupling(schema, self.planner.strategies, self.planner.model_fields)
        self.planner.strategies.update(self.coupling.strategies())
        # Labels decided from the text are not the model's to write.
        self.planner.model_fields[:] = [f for f in self.planner.model_fields if f not in self.coupling.from_text]
        self.brief_rng = random.Random(self.seed + 2)
        self.grammar = grammar_schema(schema, self.planner.model_fields) if self.planner.model_fields else None
        self.prose = prose_rules(schema, prose_fields(schema, self.planner.model_fields), self.grammar)
        self.max_tokens = request.max_tokens or (min(2048, estimate_max_tokens(self.grammar)) if self.grammar else 0)
        stored = stored or {}
        self.resumed_from = self.achieved = len(existing)
        self.candidates = max(int(stored.get("candidates") or 0), self.achieved)
        self.counts: Counter = Counter(stored.get("reject_counts") or {})
        self.total_tokens = int(stored.get("tokens") or 0)
        self.prior_duration_s = float(stored.get("duration_s") or 0.0)
        self.total_prompt_tokens = 0
        self.model_s = 0.0
        self.fatal: str | None = None  # the backend cannot go on; stop after this batch
        self.coherence: Counter = Counter()  # candidates checked against rules, passing before/after fixes
        self.metrics = RunAccumulator([f.name for f in schema.fields])  # quality stats, batch by batch
        self.metrics.add(existing)
        self.metrics_s = 0.0
        self.latency_s = 0.0
        caps = backend.capabilities
        # A remote backend needs at least 2 x concurrency records per batch to keep its requests in
        # flight; a local one decodes at most max_batch sequences together. Truncation halves it later.
        wanted = request.batch_size if caps.local else max(request.batch_size, 2 * caps.concurrency)
        self.batch_size = max(1, min(wanted, caps.max_batch if self.grammar else 10_000))

    def batch(self, size: int, index: int) -> Chunk:
        """One batch through `backend.complete` (backends without a streaming entry point)."""
        plans = [self.next_plan() for _ in range(size)]
        texts: list[str | None] = [None] * size
        errors: list[str | None] = [None] * size
        chunk = Chunk()
        if self.grammar is not None:
            texts, errors, chunk.tokens, chunk.prompt_tokens = self._ask_model(plans, index)
        for plan, text, err in zip(plans, texts, errors, strict=True):
            record, reason = self.take(plan, text, err, self.shown)
            if record is not None:
                chunk.accepted.append(record)
            else:
                chunk.rejected.append(Rejection(reason or "unknown", text or ""))
            if self.achieved >= self.request.n:
                break
        self.total_tokens += chunk.tokens
        self.total_prompt_tokens += chunk.prompt_tokens
        return chunk

    def next_plan(self) -> RecordPlan:
        """The next record's plan, its labels aligned with its text's anchors and its brief drawn."""
        plan = self.planner.plan()
        if self.coupling.active:
            plan.fixed, plan.brief, plan.words = self.coupling.before(plan.fixed, self.brief_rng)
        return plan

    def suffix(self, plan: RecordPlan) -> str:
        return record_suffix(self.request.schema, plan.model_fields, plan.fixed, plan.brief, plan.context)

    def lost(self, plan: RecordPlan) -> LostCheck | None:
        """For a streaming backend: whether a prose text being written is best closed now, because what
        it already says is off-register (rejected) or a lasting problem of voice or tone (cut off)."""
        rules = {r.name: r for r in self.prose}
        if not rules:
            return None
        coupling = self.coupling

        def check(field: str, text: str) -> bool:
            rule = rules.get(field)
            return rule is not None and (
                reject_reason(text, rule) is not None or coupling.lost(plan.fixed, field, text)
            )

        return check

    def prefix(self, pool: list[dict[str, Any]]) -> str:
        """A prompt prefix over these examples (labels decided from text are not shown; each example
        carries the brief its own values imply)."""
        schema, fields, coupling = self.request.schema, self.planner.model_fields, self.coupling
        about = getattr(self.request.learned, "about", None)  # names a learned table uses per category
        about_of = (lambda given: about(given, self.rng)) if about is not None else None
        if not coupling.active:
            return build_prefix(schema, fields, pool, self.rng, about_of=about_of)

        def brief_of(given: dict[str, Any], written: dict[str, Any]) -> str:
            texts = {k: v for k, v in written.items() if isinstance(v, str)}
            return coupling.brief({**given, **written}, self.brief_rng, texts=texts)

        return build_prefix(schema, fields, [coupling.hidden(e) for e in pool], self.rng, brief_of, about_of)

    def take(
        self, plan: RecordPlan, text: str | None, err: str | None, shown: list[dict[str, Any]]
    ) -> tuple[dict[str, Any] | None, str | None]:
        """Check one candidate and count it: (record, None) when accepted, else (None, reason)."""
        self.candidates += 1
        self.judge_score = None
        record, reason = self._check(plan, text, err, shown)
        self.planner.settle(plan, accepted=reason is None and record is not None, record=record)
        if reason is None and record is not None:
            # Dedup, unique values and the prompt's examples see the record as generated; the judge's
            # column (when asked for) goes only on the record handed out.
            record = self.planner.number(record)
            self.dedup.add(record)
            self.overuse.add(record)
            self.planner.remember(record)
            self.achieved += 1
            if self.grammar is not None:
                self.recent = ([*self.recent, record])[-POOL_RECENT:]
            column = self.request.judge.column if self.request.judge is not None else None
            if column and self.judge_score is not None:
                record = {**record, column: self.judge_score}
            return record, None
        self.counts[reason_kind(reason or "unknown")] += 1
        return None, reason or "unknown"

    def read_completion(self, c: Completion) -> tuple[str, str | None]:
        """A completion's text and its error reason (None when usable); a fatal error stops the run."""
        if c.fatal and self.fatal is None and c.error is not None:
            hint = f" ({c.error.hint})" if c.error.hint else ""
            self.fatal = f"{c.error}{hint}"
        if c.finish_reason == "length":
            return c.text, "truncated: the output hit the token limit"
        if c.error or c.finish_reason == "error":
            return c.text, f"generation error: {c.error or 'unknown'}"
        return c.text, None

    def _ask_model(self, plans: list[RecordPlan], index: int) -> tuple[list[str | None], list[str | None], int, int]:
        req = self.request
        pool = self.pool + self.rng.sample(self.recent, min(len(self.recent), 4))
        self.shown = pool
        prefix = self.prefix(pool)
        params = GenerationParams(
            temperature=req.temperature,
            top_p=req.top_p,
            top_k=req.top_k,
            max_tokens=self.max_tokens,
            seed=(self.seed * 7919 + index) % 2**31,
        )
        request = CompletionRequest(
            prefix=prefix,
            suffixes=[self.suffix(p) for p in plans],
            json_schema=self.grammar,  # backends without structured output put it in the prompt
            params=params,
        )
        t0 = time.perf_counter()
        completions = self.backend.complete(request)
        self.model_s += time.perf_counter() - t0
        if len(completions) != len(plans):
            raise BackendError(f"the backend returned {len(completions)} completions for {len(plans)} prompts")
        self.latency_s = sum(c.latency_s for c in completions) / max(1, len(completions))
        truncated = sum(c.finish_reason == "length" for c in completions)
        if truncated * 4 > len(completions):
            # Outputs hit the token limit: give records more room and ask for fewer at once.
            self.max_tokens = min(4096, int(self.max_tokens * 1.5) + 16)
            self.batch_size = max(1, self.batch_size // 2)
        read = [self.read_completion(c) for c in completions]
        return (
            [text for text, _ in read],
            [err for _, err in read],
            sum(c.tokens for c in completions),
            sum(c.prompt_tokens for c in completions),
        )

    def _check(
        self, plan: RecordPlan, text: str | None, err: str | None, shown: list[dict[str, Any]]
    ) -> tuple[dict[str, Any] | None, str | None]:
        if err:
            return None, err
        written: dict[str, Any] = {}
        if text is not None:
            parsed, reason = parse_object(text)
            if reason:
                return None, reason
            written = {k: printable(v) for k, v in (parsed or {}).items()}
            for name in set(written) & set(plan.model_fields):
                written[name] = drop_repeats(written[name], self.request.schema.field(name).schema)
            unknown = sorted(set(written) - set(plan.model_fields))
            if unknown:
                return None, f"schema: $: unexpected field {unknown[0]!r}"
            for rule in self.prose:
                if isinstance(written.get(rule.name), str):
                    text = tidy(written[rule.name], rule)
                    written[rule.name] = self.coupling.salvage(plan.fixed, rule.name, text, rule.min_length)
        merged = {**plan.fixed, **written}
        for name in plan.empty:  # a text the learned row leaves empty, as real rows like it do
            if "null" in self.request.schema.field(name).types:
                merged[name] = None
            else:
                merged.pop(name, None)
        record = {f.name: merged[f.name] for f in self.request.schema.fields if f.name in merged}
        if self.coupling.from_text:
            record = self.coupling.after(record)
        if self.request.schema.rules:
            before, after = apply_rules(self.request.schema.rules, record)
            self.coherence["checked"] += 1
            self.coherence["passed_before_fix"] += not before
            self.coherence["passed_after_fix"] += not after
            if after:
                return None, f"rule: {after[0]}"
        problem = first_error(self.request.schema.validator, record)
        if problem:
            return None, f"schema: {problem}"
        placeholder = placeholder_reason(record, plan.model_fields, self.request.schema.json_schema)
        if placeholder:
            return None, placeholder
        for rule in self.prose:
            off = reject_reason(record[rule.name], rule) if isinstance(record.get(rule.name), str) else None
            if off:
                return None, off
        problem = self.coupling.problem(record) if self.coupling.active else None
        if problem is not None:
            return None, str(problem)
        echo = self.echo.problem(record, plan.brief)
        if echo:
            return None, echo
        disagrees = getattr(self.request.learned, "disagrees", None)  # text naming another category's line
        mismatch = disagrees(record) if disagrees is not None else None
        if mismatch:
            return None, mismatch
        broken = self._broken_item(record)
        if broken:
            return None, broken
        copied = copied_example_reason(record, self.free_fields, shown, self.identifying)
        if copied:
            return None, copied
        duplicate = self.dedup.check(record)
        if duplicate or self.request.judge is None:
            return record, duplicate
        return self._judged(record)

    def _broken_item(self, record: dict[str, Any]) -> str | None:
        """A label in a model-written list of short strings, or a name-like string of a list's
        objects (an order's product names), that reads cut or stuck ("full version of", "Grinder
        (3 Pack) (2 Pack"), or the same line twice. Strings with a pattern, a format or an enum are
        the schema's to judge."""
        for name in self.free_fields:
            value = record.get(name)
            if not isinstance(value, list):
                continue
            items = self.request.schema.field(name).schema.get("items") or {}
            twice = listed_twice(value)
            if twice:
                return f"junk: {twice} at $.{name}"
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    props = items.get("properties") or {}
                    parts = [(k, v) for k, v in item.items() if label_like(k, props.get(k) or {})]
                else:
                    parts = [("", item)] if label_like("", items) else []
                for key, text in parts:
                    why = item_problem(text, self.coupling.allowed) if isinstance(text, str) else None
                    if why:
                        return f"junk: {why} at $.{name}[{i}]{'.' + key if key else ''}"
        return None

    def _judged(self, record: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """The judge's verdict on a record that passed every other check. A judge that fails stops
        the run after this batch (records already accepted are kept) and this record is kept unjudged."""
        judge = self.request.judge
        try:
            verdict = judge.judge(self.request.schema, record)
        except SynthError as exc:
            if self.fatal is None:
                hint = f" ({exc.hint})" if getattr(exc, "hint", None) else ""
                self.fatal = f"the judge failed: {exc}{hint}"
            return record, None
        if not verdict.passed:
            return None, f"judge: {verdict.reason}"
        self.judge_score = verdict.score
        return record, None


def _given_values(schema: Schema) -> str:
    """The values the schema itself gives (its record examples and per-field examples), as text."""
    given = [json.dumps(schema.examples, ensure_ascii=False)]
    given += [json.dumps(f.schema.get("examples", []), ensure_ascii=False) for f in schema.fields]
    return " ".join(given)


def _row_source(learned: Any, seed: int, stored: list[dict[str, Any]]) -> Any:
    """Rows of a learned model: drawn afresh (a joint model), or the rows not yet stored (a related table's)."""
    if learned is None:
        return None
    rows_from = getattr(learned, "rows_from", None)
    return rows_from(stored) if rows_from is not None else learned.sampler(seed)
