"""Preview and estimate: a few records made now and stored nowhere, and what a run of N would take.

The rate is measured the way the run will go: as many records in flight as the run keeps (its batch
size; for a remote backend the requests it sends at once), each finished record replaced at once, so
parallel decoding, refilled slots and concurrent requests count as they will. The rate is the slope
of finished candidates over time once every slot has turned over at least once (the steady state a
long run spends its time in), between the first `slots` and `2 x slots` candidates. Measuring only
the first wave, without refills, read 35-42% fast on the local model: its last records decode in a
half-empty batch, which a long run never sees. A run no longer than the measurement is simply made
(and timed) in full. A local model is loaded and warmed first, timed on its own (the model stays
loaded, so the estimate leaves that out): the warm-up makes the k records shown, in k slots, so they
appear before the speed is measured.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.backends.base import Backend, streams
from synth_gradio.engine.plan import Planner
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError, SynthError

MAX_PREVIEW = 20
MEASURE_WAVES = 2  # a streamed run is measured on this many times its slots (the first wave, then refills)
# A long run on the local model averages this share of its first minute's rate: its prompts rotate to
# model-written examples, which run longer (clinic_appointments: 26 -> 36 tokens per record over 250
# records), and a decode step slows as the KV cache fills (3.4 -> 4.4 ms per token). Measured with
# bench/estimate.py; a preview is far too short to see either happen.
LONG_RUN_SHARE = 0.8


@dataclass
class Estimate:
    """What a run of `n` records would take, from the preview's own measurements."""

    n: int
    records_per_s: float  # expected for the full run
    wall_s: float | None  # for n records, the model already loaded (None: nothing was accepted)
    load_s: float  # model loading measured by this preview (about 0 when it was loaded)
    warmup_s: float  # the preview's first batch: first prompt and grammar
    tokens: int  # generated tokens for n records
    prompt_tokens: int
    cost_usd: float | None  # when a price was given
    accept_rate: float  # accepted / candidates in the preview
    measured: int  # records the rate was measured on

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def sentence(self) -> str:
        """One line for people: time, tokens and cost for N."""
        if self.wall_s is None:
            return f"No estimate for {self.n} records: the preview's measured batch accepted no record."
        parts = [f"{self.n} records: about {duration(self.wall_s)} at {self.records_per_s:.2f} records/s"]
        if self.tokens or self.prompt_tokens:
            parts.append(f"{self.tokens:,} generated + {self.prompt_tokens:,} prompt tokens")
        if self.cost_usd is not None:
            parts.append(f"about ${self.cost_usd:,.4f}")
        text = ", ".join(parts)
        if self.load_s >= 0.5:
            text += f" (loading the model took {duration(self.load_s)}; it stays loaded)"
        return text


@dataclass
class Preview:
    records: list[dict[str, Any]]
    estimate: Estimate | None  # None while the preview is still measuring
    reject_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        numbers = self.estimate.to_dict() if self.estimate else None
        return {"records": self.records, "estimate": numbers, "reject_counts": self.reject_counts}


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def preview(request: GenerationRequest, backend: Backend, k: int = 5) -> Preview:
    """`k` records for `request`'s schema (nothing stored) and an estimate for `request.n` records."""
    return list(preview_stream(request, backend, k))[-1]  # the last one carries the estimate


def preview_stream(request: GenerationRequest, backend: Backend, k: int = 5) -> Iterator[Preview]:
    """The preview as it is made: records as they arrive (estimate None), then the whole Preview."""
    if not 1 <= k <= MAX_PREVIEW:
        raise InputError(f"a preview makes 1 to {MAX_PREVIEW} records, not {k}")
    local = backend.capabilities.local and bool(Planner(request.schema, 0).model_fields)
    records: list[dict[str, Any]] = []
    counts: Counter = Counter()
    load_s = warmup_s = 0.0
    if local:  # code-only schemas and remote backends need no warm-up
        load_s = _load(backend)
        started = time.perf_counter()
        for result in _run(request, backend, k, k, salt=1):  # the records to show, fast: k slots, not a wave
            records += result.accepted
            if result.accepted:
                yield Preview(_unique(records)[:k], None, dict(counts + result.reject_counts))
        counts += result.reject_counts
        warmup_s = time.perf_counter() - started
    slots = run_slots(request, backend)
    # A streamed run refills slots one by one: it needs a second wave to reach its steady pace. Batches
    # (remote backends) are full from the first one, so one wave does, and a paid preview stays short.
    waves = MEASURE_WAVES if streams(backend) else 1
    whole = request.n <= waves * slots  # a short run is measured by making it
    steps: list[tuple[float, int]] = []
    enough = threading.Event()  # the steady window is measured and k records are shown
    last = None
    n = request.n if whole else (waves + 1) * slots  # refills keep running past the window
    for last in _run(request, backend, max(k, n), request.batch_size, salt=2, cancel=None if whole else enough):
        records += last.accepted
        steps.append((last.elapsed_s, last.candidates))
        if last.candidates >= waves * slots and len(records) >= k:
            enough.set()
        if last.accepted and len(records) <= k + len(last.accepted):
            yield Preview(_unique(records)[:k], None, dict(counts + last.reject_counts))
    if last is None or (last.status == "failed" and not records):
        raise SynthError(f"the preview made no records: {last.error if last else 'no result'}")
    counts += last.reject_counts
    if whole and last.status == "completed" and last.elapsed_s > 0:
        rate = last.achieved / last.elapsed_s
    else:
        rate = steady_rate(steps, slots) * last.achieved / max(1, last.candidates)
        rate *= LONG_RUN_SHARE if local and streams(backend) else 1.0
    yield Preview(_unique(records)[:k], estimate(request, last, rate, load_s, warmup_s), dict(counts))


def run_slots(request: GenerationRequest, backend: Backend) -> int:
    """Records a run keeps in flight: its batch size (a remote backend sends at least 2 x concurrency)."""
    caps = backend.capabilities
    wanted = request.batch_size if caps.local else max(request.batch_size, 2 * caps.concurrency)
    if Planner(request.schema, 0).model_fields:
        wanted = min(wanted, caps.max_batch)
    return max(1, min(wanted, request.n))


def steady_rate(steps: list[tuple[float, int]], slots: int) -> float:
    """Candidates per second from (elapsed s, candidates so far) steps, once every slot has finished
    a record: the slope from the step that reached `slots` candidates to the last step. A run too
    short for that falls back to the first wave over its mean finishing time."""
    start = next(((t, c) for t, c in steps if c >= slots), None)
    if start is not None and steps[-1][1] > start[1] and steps[-1][0] > start[0]:
        return (steps[-1][1] - start[1]) / (steps[-1][0] - start[0])
    return wave_rate(steps, slots)


def wave_rate(steps: list[tuple[float, int]], slots: int) -> float:
    """Candidates per second from (elapsed s, candidates so far) steps: the first `slots` candidates
    over their mean finishing time."""
    taken, weighted = 0, 0.0
    for elapsed, candidates in steps:
        take = min(candidates, slots) - taken
        if take > 0:
            weighted += take * elapsed
            taken += take
    return taken / (weighted / taken) if taken and weighted > 0 else 0.0


def estimate(
    request: GenerationRequest, measured: BatchResult, rate: float, load_s: float = 0.0, warmup_s: float = 0.0
) -> Estimate:
    """Scale a measured run up to `request.n` records at `rate` accepted records per second."""
    accepted = max(1, measured.achieved)
    n = request.n
    tokens = round(n * measured.total_tokens / accepted)
    prompt_tokens = round(n * measured.total_prompt_tokens / accepted)
    cost = None
    if request.price_in is not None or request.price_out is not None:
        cost = round((prompt_tokens * (request.price_in or 0) + tokens * (request.price_out or 0)) / 1e6, 6)
    return Estimate(
        n=n,
        records_per_s=round(rate, 3),
        wall_s=round(n / rate, 1) if rate > 0 else None,
        load_s=round(load_s, 2),
        warmup_s=round(warmup_s, 2),
        tokens=tokens,
        prompt_tokens=prompt_tokens,
        cost_usd=cost,
        accept_rate=round(measured.achieved / max(1, measured.candidates), 3),
        measured=measured.achieved,
    )


def _load(backend: Backend) -> float:
    """Load a local model now (timed), or check a remote model name, so neither counts as generation."""
    started = time.perf_counter()
    for name in ("load", "resolve_model"):
        step = getattr(backend, name, None)
        if callable(step):
            step()
    return time.perf_counter() - started


def _run(
    request: GenerationRequest, backend: Backend, n: int, batch_size: int, salt: int, cancel: Any = None
) -> Iterator[BatchResult]:
    seed = None if request.seed is None else request.seed + salt
    return generate(dataclasses.replace(request, n=n, batch_size=batch_size, seed=seed), backend, cancel=cancel)


def _unique(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for record in records:
        key = json.dumps(record, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out
