"""engine.generate: the one way records are made, for the UI, CLI, Python API and benchmarks.

Each iteration plans a batch (code-side fields), asks the backend for the model-written fields,
parses, validates, rejects placeholders and duplicates, commits the batch to history (when a
history is given) and yields a BatchResult. Nothing is held across a yield: every batch is
committed in its own transaction before it is yielded, so a crash loses at most the batch in
flight.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from synth_gradio.backends.base import Backend, CompletionRequest, GenerationParams
from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.parse import parse_object
from synth_gradio.engine.plan import Planner, RecordPlan, bootstrap_examples
from synth_gradio.engine.prompts import (
    build_prefix,
    build_suffix,
    estimate_max_tokens,
    field_level_example,
    grammar_schema,
)
from synth_gradio.engine.strategies import normalize_name
from synth_gradio.engine.types import BatchResult, GenerationRequest, Rejection, reason_kind
from synth_gradio.engine.validate import copied_example_reason, placeholder_reason
from synth_gradio.errors import BackendError, SynthError
from synth_gradio.quality.metrics import RunAccumulator
from synth_gradio.schema.rules import apply_rules
from synth_gradio.schema.validation import first_error
from synth_gradio.storage.history import RunProgress

if TYPE_CHECKING:
    from synth_gradio.storage.history import History

POOL_RECENT = 32
CancelCheck = Callable[[], bool]


def _cancel_fn(cancel: threading.Event | CancelCheck | None) -> CancelCheck:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


class _Run:
    """State of one run: planner, dedup, example pool, counters.

    The engine owns every counter. A resumed run seeds them from the stored run, so each update
    counts the whole run, as storage will keep it.
    """

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
            row_source=learned.sampler(self.seed) if learned is not None else None,
            row_fields=set(learned.columns) if learned is not None else None,
        )
        self.dedup = Deduplicator(schema)
        for record in existing:
            self.dedup.add(record)
            self.planner.remember(record)
        self.rng = random.Random(self.seed + 1)
        self.pool = list(schema.examples)
        synthetic = field_level_example(schema, self.planner.model_fields) if not self.pool else None
        if synthetic:
            self.pool.append(synthetic)
        if not self.pool and self.planner.model_fields:
            self.pool = bootstrap_examples(schema, self.seed)
        self.recent: list[dict[str, Any]] = existing[-POOL_RECENT:]
        self.shown: list[dict[str, Any]] = list(self.pool)  # examples in the current prompt
        self.free_fields = [
            name for name in self.planner.model_fields if not {"enum", "const"} & set(schema.field(name).schema)
        ]
        self.identifying = {
            f.name for f in schema.fields if f.unique or {"name", "title"} & set(normalize_name(f.name).split("_"))
        }
        self.grammar = grammar_schema(schema, self.planner.model_fields) if self.planner.model_fields else None
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

    def batch(self, size: int, index: int) -> tuple[list[dict[str, Any]], list[Rejection], int, int]:
        plans = [self.planner.plan() for _ in range(size)]
        texts: list[str | None] = [None] * size
        tokens = prompt_tokens = 0
        errors: list[str | None] = [None] * size
        if self.grammar is not None:
            texts, errors, tokens, prompt_tokens = self._ask_model(plans, index)
        accepted: list[dict[str, Any]] = []
        rejected: list[Rejection] = []
        for plan, text, err in zip(plans, texts, errors, strict=True):
            self.candidates += 1
            record, reason = self._check(plan, text, err)
            if reason is None and record is not None:
                self.dedup.add(record)
                self.planner.remember(record)
                accepted.append(record)
                if self.grammar is not None:
                    self.recent = ([*self.recent, record])[-POOL_RECENT:]
            else:
                rejected.append(Rejection(reason or "unknown", text or ""))
                self.counts[reason_kind(reason or "unknown")] += 1
            if self.achieved + len(accepted) >= self.request.n:
                break
        self.achieved += len(accepted)
        t_metrics = time.perf_counter()
        self.metrics.add(accepted)
        self.metrics_s += time.perf_counter() - t_metrics
        self.total_tokens += tokens
        self.total_prompt_tokens += prompt_tokens
        return accepted, rejected, tokens, prompt_tokens

    def _ask_model(self, plans: list[RecordPlan], index: int) -> tuple[list[str | None], list[str | None], int, int]:
        req = self.request
        pool = self.pool + self.rng.sample(self.recent, min(len(self.recent), 4))
        self.shown = pool
        prefix = build_prefix(req.schema, self.planner.model_fields, pool, self.rng)
        params = GenerationParams(
            temperature=req.temperature,
            top_p=req.top_p,
            top_k=req.top_k,
            max_tokens=self.max_tokens,
            seed=(self.seed * 7919 + index) % 2**31,
        )
        request = CompletionRequest(
            prefix=prefix,
            suffixes=[build_suffix(p.fixed) for p in plans],
            json_schema=self.grammar,  # backends without structured output put it in the prompt
            params=params,
        )
        t0 = time.perf_counter()
        completions = self.backend.complete(request)
        self.model_s += time.perf_counter() - t0
        if len(completions) != len(plans):
            raise BackendError(f"the backend returned {len(completions)} completions for {len(plans)} prompts")
        errors = []
        self.latency_s = sum(c.latency_s for c in completions) / max(1, len(completions))
        truncated = sum(c.finish_reason == "length" for c in completions)
        if truncated * 4 > len(completions):
            # Outputs hit the token limit: give records more room and ask for fewer at once.
            self.max_tokens = min(4096, int(self.max_tokens * 1.5) + 16)
            self.batch_size = max(1, self.batch_size // 2)
        for c in completions:
            if c.fatal and self.fatal is None and c.error is not None:
                hint = f" ({c.error.hint})" if c.error.hint else ""
                self.fatal = f"{c.error}{hint}"
            if c.finish_reason == "length":
                errors.append("truncated: the output hit the token limit")
            elif c.error or c.finish_reason == "error":
                errors.append(f"generation error: {c.error or 'unknown'}")
            else:
                errors.append(None)
        return (
            [c.text for c in completions],
            errors,
            sum(c.tokens for c in completions),
            sum(c.prompt_tokens for c in completions),
        )

    def _check(self, plan: RecordPlan, text: str | None, err: str | None) -> tuple[dict[str, Any] | None, str | None]:
        if err:
            return None, err
        written: dict[str, Any] = {}
        if text is not None:
            parsed, reason = parse_object(text)
            if reason:
                return None, reason
            written = parsed or {}
            unknown = sorted(set(written) - set(plan.model_fields))
            if unknown:
                return None, f"schema: $: unexpected field {unknown[0]!r}"
        merged = {**plan.fixed, **written}
        record = {f.name: merged[f.name] for f in self.request.schema.fields if f.name in merged}
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
        copied = copied_example_reason(record, self.free_fields, self.shown, self.identifying)
        if copied:
            return None, copied
        return record, self.dedup.check(record)


def generate(
    request: GenerationRequest,
    backend: Backend,
    *,
    history: History | None = None,
    run_id: int | None = None,
    cancel: threading.Event | CancelCheck | None = None,
) -> Iterator[BatchResult]:
    """Yield one BatchResult per batch until `request.n` unique valid records exist.

    With `history`, the stored run `run_id` (created by the application facade, the one place runs
    are created) receives every batch before it is yielded; records it already holds are kept and
    its counters continue. `cancel` (an Event or a callable) stops the run after the current
    batch; what was made is kept. The last result has a final status.
    """
    if request.n < 1:
        raise SynthError("n must be at least 1")
    existing: list[dict[str, Any]] = []
    stored: dict[str, Any] | None = None
    if history is not None:
        if run_id is None:
            raise SynthError("a stored run needs its run id; start runs through synth_gradio.Studio")
        stored = history.get_run(run_id)
        existing = list(history.iter_records(run_id))
    state = _Run(request, backend, existing, stored)
    if history is not None:
        history.mark_running(run_id, strategies=state.planner.strategies)
    is_cancelled = _cancel_fn(cancel)
    budget = max(request.n, int(request.n * request.attempt_factor))
    started = time.perf_counter()
    index = 0
    status, error = "running", None
    while status == "running":
        t0 = time.perf_counter()
        size = min(state.batch_size, request.n - state.achieved, budget - state.candidates)
        try:
            accepted, rejected, tokens, prompt_tokens = state.batch(size, index)
        except SynthError as exc:
            accepted, rejected, tokens, prompt_tokens = [], [], 0, 0
            status, error = "failed", str(exc)
        if status == "running" and state.fatal and state.achieved < request.n:
            status, error = "failed", f"{state.fatal}; the {state.achieved} records made so far are kept"
        if status == "running":
            if state.achieved >= request.n:
                status = "completed"
            elif state.candidates >= budget:
                status = "failed"
                error = (
                    f"stopped after {state.candidates} candidates (the attempt budget) with {state.achieved} of "
                    f"{request.n} valid unique records; top reject reasons: {_top_reasons(state.counts)}"
                )
            elif is_cancelled():
                status = "cancelled"
        result = BatchResult(
            run_id=run_id,
            batch_index=index,
            accepted=accepted,
            rejected=rejected,
            achieved=state.achieved,
            requested=request.n,
            candidates=state.candidates,
            reject_counts=Counter(state.counts),
            tokens=tokens,
            prompt_tokens=prompt_tokens,
            total_tokens=state.total_tokens,
            elapsed_s=time.perf_counter() - started,
            batch_s=time.perf_counter() - t0,
            model_s=state.model_s,
            status=status,
            error=error,
            strategies=dict(state.planner.strategies),
            total_prompt_tokens=state.total_prompt_tokens,
            latency_s=state.latency_s,
            cost_usd=_cost(request, state.total_prompt_tokens, state.total_tokens),
            coherence=dict(state.coherence),
            metrics_s=state.metrics_s,
            resumed_from=state.resumed_from,
            duration_s=state.prior_duration_s + (time.perf_counter() - started),
        )
        if history is not None:
            history.commit_batch(run_id, accepted, _progress(result))
            if status != "running":
                store_quality(history, run_id, coherence=dict(state.coherence), accumulator=state.metrics)
        try:
            yield result
        except GeneratorExit:
            # The consumer stopped listening (closed page, Ctrl-C): keep what was committed.
            if history is not None and status == "running":
                history.set_status(run_id, "cancelled", "stopped by the user")
            raise
        index += 1


def store_quality(
    history: History, run_id: int, coherence: dict[str, int] | None = None, accumulator: RunAccumulator | None = None
) -> dict[str, Any]:
    """Compute the finished run's metrics and score and keep them with the run."""
    from synth_gradio.quality.metrics import run_metrics
    from synth_gradio.quality.score import quality_score

    run = history.get_run(run_id)
    if coherence is None:
        coherence = ((run.get("quality") or {}).get("metrics") or {}).get("coherence")
    records = None if accumulator is not None else list(history.iter_records(run_id))
    metrics = run_metrics(records, run, coherence=coherence, accumulator=accumulator)
    quality = {"score": quality_score(metrics), "metrics": metrics}
    history.set_quality(run_id, quality)
    return quality


def _progress(result: BatchResult) -> RunProgress:
    return RunProgress(
        achieved=result.achieved,
        candidates=result.candidates,
        reject_counts=dict(result.reject_counts),
        tokens=result.total_tokens,
        duration_s=result.duration_s,
        status=result.status,
        error=result.error,
    )


def _cost(request: GenerationRequest, prompt_tokens: int, tokens: int) -> float | None:
    if request.price_in is None and request.price_out is None:
        return None
    return round((prompt_tokens * (request.price_in or 0) + tokens * (request.price_out or 0)) / 1e6, 6)


def _top_reasons(counts: Counter) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{reason} ({n})" for reason, n in counts.most_common(3))
