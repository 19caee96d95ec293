"""Streamed runs: records are planned when a decode slot frees up and checked as each one finishes.

For a backend with `complete_stream` (the local model), the engine hands over one record at a time
through a feed. The feed plans the next record lazily and starts it only while the run still needs
it: accepted + in flight < N, and candidates + in flight < the attempt budget. A rejected record
therefore frees a slot for a replacement, and the run ends with exactly N records.

What is guaranteed: record k (the k-th record planned) is sampled with its own seed derived from
the run seed and k, never from its slot or the clock. Records are checked, and accepted, in the
order they finish; for a deterministic backend that order is itself deterministic, so the same seed
gives the same records in the same order. Timing decides only when results are emitted: a Chunk goes
out after the first accepted record, then whenever 16 records finished or a second passed, and at
the end. Cancelling stops the stream between decode steps; every record that finished before is in
a chunk, and unfinished ones are dropped (they were never candidates).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from synth_gradio.backends.base import Completion, GenerationParams, StreamItem
from synth_gradio.engine.plan import RecordPlan
from synth_gradio.engine.prompts import EXAMPLES_PER_PROMPT
from synth_gradio.engine.steer import View, make_view
from synth_gradio.engine.types import Rejection
from synth_gradio.errors import SynthError

if TYPE_CHECKING:
    from synth_gradio.engine.state import CancelCheck, RunState

EMIT_EVERY = 16  # records finished since the last chunk
EMIT_AFTER_S = 1.0  # seconds since the last chunk
ROTATE_EVERY = 64  # records started per prompt version (a new prefix costs a partial prefill)
TRUNCATION_WINDOW = 16


@dataclass
class Chunk:
    """Records checked since the last chunk; `error` ends the run as failed (after committing these)."""

    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    tokens: int = 0
    prompt_tokens: int = 0
    error: str | None = None

    @property
    def size(self) -> int:
        return len(self.accepted) + len(self.rejected)


def record_seed(run_seed: int, key: int) -> int:
    """Record `key`'s sampling seed: fixed by the run seed and the record's plan index alone."""
    return (run_seed * 1_000_003 + key * 7919 + 17) % 2**31


class StreamedRun:
    """Feeds one run's records to a streaming backend and turns finished ones into Chunks."""

    def __init__(self, state: RunState, budget: int, cancelled: CancelCheck) -> None:
        self.state = state
        self.budget = budget
        self.cancelled = cancelled
        self.in_flight: dict[int, tuple[RecordPlan, View]] = {}
        self.next_key = 0
        self.view: View | None = None
        self.view_uses = 0
        self.view_recent = 0
        self.finishes: deque[bool] = deque(maxlen=TRUNCATION_WINDOW)
        self.emitted_records = False  # the first accepted record goes out at once

    def stop(self) -> bool:
        return self.state.fatal is not None or self.cancelled()

    def feed(self) -> StreamItem | None:
        st = self.state
        if self.stop():
            return None
        busy = len(self.in_flight)
        if st.achieved + busy >= st.request.n or st.candidates + busy >= self.budget:
            return None
        key, self.next_key = self.next_key, self.next_key + 1
        plan = st.next_plan()
        view = self._current_view()
        self.in_flight[key] = (plan, view)
        return StreamItem(
            key=key,
            prefix=view.prefix,
            suffix=st.suffix(plan),
            seed=record_seed(st.seed, key),
            max_tokens=st.max_tokens,
            echo=view.echo,
            avoid=view.avoid,
            words=plan.words or None,
            field_words=st.overuse.words or None,
            lost=st.lost(plan),
        )

    def _current_view(self) -> View:
        st = self.state
        # A prompt short of examples takes new ones as soon as records are accepted (a base model
        # writes far better with examples); after that the examples rotate every ROTATE_EVERY records.
        starved = self.view is not None and len(self.view.shown) < EXAMPLES_PER_PROMPT
        if self.view is None or self.view_uses >= ROTATE_EVERY or (starved and len(st.recent) > self.view_recent):
            self.view_recent = len(st.recent)
            pool = st.pool + st.rng.sample(st.recent, min(len(st.recent), 4))
            prefix = st.prefix(pool)
            headlines = {r.name for r in st.coupling.roles if r.headline}
            self.view = make_view(prefix, pool, st.request.schema, st.free_fields, st.identifying, st.dedup, headlines)
            self.view_uses = 0
        self.view_uses += 1
        return self.view

    def chunks(self) -> Iterator[Chunk]:
        st, req = self.state, self.state.request
        params = GenerationParams(
            temperature=req.temperature, top_p=req.top_p, top_k=req.top_k, max_tokens=st.max_tokens
        )
        stream = st.backend.complete_stream(self.feed, st.grammar, params, stop=self.stop, slots=st.batch_size)
        pending, last = Chunk(), time.perf_counter()
        try:
            t_wait = time.perf_counter()
            for key, completion in stream:
                st.model_s += time.perf_counter() - t_wait
                plan, view = self.in_flight.pop(key)
                self._take(pending, plan, view, completion)
                now = time.perf_counter()
                done = st.achieved >= req.n or st.fatal is not None
                first = pending.accepted and not self.emitted_records
                if done or first or pending.size >= EMIT_EVERY or now - last >= EMIT_AFTER_S:
                    self.emitted_records = self.emitted_records or bool(pending.accepted)
                    yield pending
                    pending, last = Chunk(), time.perf_counter()
                t_wait = time.perf_counter()
        except SynthError as exc:
            pending.error = str(exc)
        finally:
            stream.close()
            self.in_flight.clear()  # records still decoding are dropped: they never became candidates
        yield pending

    def _take(self, chunk: Chunk, plan: RecordPlan, view: View, completion: Completion) -> None:
        st = self.state
        text, err = st.read_completion(completion)
        record, reason = st.take(plan, text, err, view.shown)
        if record is not None:
            chunk.accepted.append(record)  # the engine adds each chunk's records to the run's metrics
        else:
            chunk.rejected.append(Rejection(reason or "unknown", text or ""))
        chunk.tokens += completion.tokens
        chunk.prompt_tokens += completion.prompt_tokens
        st.total_tokens += completion.tokens
        st.total_prompt_tokens += completion.prompt_tokens
        self.finishes.append(completion.finish_reason == "length")
        if sum(self.finishes) * 4 > TRUNCATION_WINDOW:
            # Outputs hit the token limit: give the records started from now on more room.
            st.max_tokens = min(4096, int(st.max_tokens * 1.5) + 16)
            self.finishes.clear()
