"""engine.generate: the one way records are made, for the UI, CLI, Python API and benchmarks.

Records are planned (code-side fields), the backend writes the model fields, and each candidate is
parsed, validated and checked for placeholders, copies and duplicates. A backend with a streaming
entry point (the local model) decodes continuously and records are checked as they finish (see
engine/stream.py); the others get one batch per call. Either way results come as Chunks, each
committed to history (when one is given) and then yielded as a BatchResult. Nothing is held across
a yield: every chunk is committed in its own transaction before it is yielded, so a crash loses
at most the records still in flight.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from synth_gradio.backends.base import Backend, streams
from synth_gradio.engine.state import CancelCheck, RunState
from synth_gradio.engine.stream import Chunk, StreamedRun
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import SynthError
from synth_gradio.logs import log_context
from synth_gradio.quality.metrics import RunAccumulator
from synth_gradio.storage.history import RunProgress

if TYPE_CHECKING:
    from synth_gradio.storage.history import History

log = logging.getLogger(__name__)  # counts and statuses only: never record contents or prompts
BATCH_PRICE = 0.5  # OpenAI's and others' batch APIs charge half the live price


def cancel_fn(cancel: threading.Event | CancelCheck | None) -> CancelCheck:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


def _batches(state: RunState, budget: int) -> Iterator[Chunk]:
    """The batch path: one backend call per chunk (remote backends, fakes, code-only schemas)."""
    index = 0
    while True:
        size = min(state.batch_size, state.request.n - state.achieved, budget - state.candidates)
        try:
            chunk = state.batch(size, index)
        except SynthError as exc:
            chunk = Chunk(error=str(exc))
        yield chunk
        if chunk.error:
            return
        index += 1


def generate(
    request: GenerationRequest,
    backend: Backend,
    *,
    history: History | None = None,
    run_id: int | None = None,
    cancel: threading.Event | CancelCheck | None = None,
) -> Iterator[BatchResult]:
    """Yield BatchResults until `request.n` unique valid records exist.

    With `history`, the stored run `run_id` (created by the application facade, the one place runs
    are created) receives every result before it is yielded; records it already holds are kept and
    its counters continue. `cancel` (an Event or a callable) stops the run between records (between
    batches for backends without streaming); what was made is kept. The last result has a final
    status.
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
    state = RunState(request, backend, existing, stored)
    if history is not None:
        history.mark_running(run_id, strategies=state.planner.strategies)
    is_cancelled = cancel_fn(cancel)
    budget = request.attempt_budget()
    started = time.perf_counter()
    fields = {"run_id": run_id, "backend": backend.kind, "model": backend.model}
    if history is not None:  # previews and estimates are not runs: no run events for them
        data = {**fields, "event": "run_started", "requested": request.n, "existing": state.achieved}
        log.info("run %(run_id)s started: %(requested)d records with %(backend)s", data, extra=data)
    if state.grammar is not None and streams(backend):
        chunks = StreamedRun(state, budget, is_cancelled).chunks()
    else:
        chunks = _batches(state, budget)
    index = 0
    status, error = "running", None
    try:
        while status == "running":
            t0 = time.perf_counter()
            with log_context(**fields):  # backend threads log with the run's id
                chunk = next(chunks, None) or Chunk(error="the backend ended the run early")
            t_metrics = time.perf_counter()
            state.metrics.add(chunk.accepted)
            state.metrics_s += time.perf_counter() - t_metrics
            if chunk.error:  # a backend call cut short by Stop is a stop, not a failure
                status, error = ("cancelled", None) if is_cancelled() else ("failed", chunk.error)
            result = _result(state, request, run_id, index, chunk, status, error, started, t0, budget, is_cancelled)
            status, error = result.status, result.error
            if history is not None:
                history.commit_batch(run_id, chunk.accepted, progress_of(result))
                log_batch(result, fields)
                if status != "running":
                    judge = request.judge.stats() if request.judge is not None else None
                    store_quality(
                        history, run_id, coherence=dict(state.coherence), accumulator=state.metrics, judge=judge
                    )
            try:
                yield result
            except GeneratorExit:
                # The consumer stopped listening (closed page, Ctrl-C): keep what was committed.
                if history is not None and status == "running":
                    history.set_status(run_id, "cancelled", "stopped by the user")
                    log_finished(result, fields, "cancelled")
                raise
            index += 1
    finally:
        chunks.close()  # a stream frees its decode slots; records still decoding are dropped


def log_batch(result: BatchResult, fields: dict[str, Any]) -> None:
    """One line per committed chunk, and one when the run ends: counts only, never records."""
    counts = {"accepted": len(result.accepted), "rejected": len(result.rejected)}
    data = {**fields, "event": "batch_committed", "batch_index": result.batch_index, **counts}
    data.update(achieved=result.achieved, requested=result.requested)
    msg = "run %(run_id)s: batch %(batch_index)d committed, %(accepted)d accepted, %(achieved)d/%(requested)d records"
    log.info(msg, data, extra=data)
    if result.status != "running":
        log_finished(result, fields, result.status)


def log_finished(result: BatchResult, fields: dict[str, Any], status: str) -> None:
    data = {**fields, "event": "run_finished", "status": status, "achieved": result.achieved}
    data.update(requested=result.requested, duration_s=round(result.duration_s, 3), error=result.error)
    msg = "run %(run_id)s %(status)s: %(achieved)d/%(requested)d records in %(duration_s).1f s"
    log.log(logging.WARNING if status == "failed" else logging.INFO, msg, data, extra=data)


def _result(
    state: RunState,
    request: GenerationRequest,
    run_id: int | None,
    index: int,
    chunk: Chunk,
    status: str,
    error: str | None,
    started: float,
    t0: float,
    budget: int,
    is_cancelled: CancelCheck,
) -> BatchResult:
    """The BatchResult for one chunk, with the run's status decided after it."""
    if status == "running" and state.fatal and state.achieved < request.n:
        status, error = "failed", f"{state.fatal}; the {state.achieved} records made so far are kept"
    if status == "running":
        if state.achieved >= request.n:
            status = "completed"
        elif state.candidates >= budget:
            status = "failed"
            error = budget_error(state.candidates, state.achieved, request.n, state.counts)
        elif is_cancelled():
            status = "cancelled"
    now = time.perf_counter()
    return BatchResult(
        run_id=run_id,
        batch_index=index,
        accepted=chunk.accepted,
        rejected=chunk.rejected,
        achieved=state.achieved,
        requested=request.n,
        candidates=state.candidates,
        reject_counts=Counter(state.counts),
        tokens=chunk.tokens,
        prompt_tokens=chunk.prompt_tokens,
        total_tokens=state.total_tokens,
        elapsed_s=now - started,
        batch_s=now - t0,
        model_s=state.model_s,
        status=status,
        error=error,
        strategies=dict(state.planner.strategies),
        total_prompt_tokens=state.total_prompt_tokens,
        latency_s=state.latency_s,
        cost_usd=cost_of(request, state.total_prompt_tokens, state.total_tokens),
        coherence=dict(state.coherence),
        metrics_s=state.metrics_s,
        resumed_from=state.resumed_from,
        duration_s=state.prior_duration_s + (now - started),
    )


def store_quality(
    history: History,
    run_id: int,
    coherence: dict[str, int] | None = None,
    accumulator: RunAccumulator | None = None,
    judge: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compute the finished run's metrics and score and keep them with the run. Counters only the
    engine knew (rule coherence, the judge's tally) are taken from the stored quality when not given."""
    from synth_gradio.quality.metrics import run_metrics
    from synth_gradio.quality.score import quality_score

    run = history.get_run(run_id)
    stored = (run.get("quality") or {}).get("metrics") or {}
    if coherence is None:
        coherence = stored.get("coherence")
    if judge is None:
        judge = stored.get("judge")
    records = None if accumulator is not None else list(history.iter_records(run_id))
    metrics = run_metrics(records, run, coherence=coherence, accumulator=accumulator, judge=judge)
    quality = {"score": quality_score(metrics), "metrics": metrics}
    history.set_quality(run_id, quality)
    return quality


def progress_of(result: BatchResult) -> RunProgress:
    return RunProgress(
        achieved=result.achieved,
        candidates=result.candidates,
        reject_counts=dict(result.reject_counts),
        tokens=result.total_tokens,
        duration_s=result.duration_s,
        status=result.status,
        error=result.error,
    )


def cost_of(request: GenerationRequest, prompt_tokens: int, tokens: int) -> float | None:
    """USD at the request's prices; batch jobs at BATCH_PRICE of them (the providers' batch discount)."""
    if request.price_in is None and request.price_out is None:
        return None
    usd = (prompt_tokens * (request.price_in or 0) + tokens * (request.price_out or 0)) / 1e6
    return round(usd * (BATCH_PRICE if request.batch_api else 1.0), 6)


def budget_error(candidates: int, achieved: int, n: int, counts: Counter) -> str:
    return (
        f"stopped after {candidates} candidates (the attempt budget) with {achieved} of {n} valid unique "
        f"records; top reject reasons: {top_reasons(counts)}"
    )


def top_reasons(counts: Counter) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{reason} ({n})" for reason, n in counts.most_common(3))
