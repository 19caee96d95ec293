"""The driver of a sharded run: shards go out to an executor's workers, results come back to one owner.

The driver keeps the promises a local run keeps. Shards are committed in their planned order, so the
same seed gives the same records whatever the number of workers or the order shards finish in.
Records that repeat a committed one across shards (whole records or `unique` fields) are dropped and
the shortfall is planned as new shards, so the run ends with exactly N. A shard whose worker died is
sent again (its records were never committed, so none are lost or doubled). Stop reaches every
running shard through the executor; resume plans the rest from what the history holds.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter, deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.run import log_batch, log_finished, progress_of, store_quality
from synth_gradio.engine.shard_result import ShardLedger
from synth_gradio.engine.shards import Shard, ShardOutput, plan_shards, shard_size
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import SynthError

if TYPE_CHECKING:
    from synth_gradio.engine.state import CancelCheck
    from synth_gradio.storage.history import History

log = logging.getLogger(__name__)  # counts and statuses only, as in engine/run.py
RESENDS = 3  # a shard whose worker died is sent this many times more before the run fails


class ShardExecutor(Protocol):
    """Runs shards on workers that each built their own backend (see studio/executors.py)."""

    kind: str
    workers: int

    def submit(self, shard: Shard) -> None: ...

    def next_done(self, timeout: float) -> tuple[Shard, ShardOutput | BaseException] | None:
        """The next finished shard (its output, or the exception that ended it); None after `timeout`."""

    def worker_lost(self, exc: BaseException) -> bool:
        """True when `exc` means the worker died (the shard can be sent again), not that the shard failed."""

    def stop(self) -> None:
        """Ask every running shard to stop between records (what they made still comes back)."""


def sharded_generate(
    request: GenerationRequest,
    executor: ShardExecutor,
    *,
    history: History,
    run_id: int,
    cancel: CancelCheck,
) -> Iterator[BatchResult]:
    """Yield one committed BatchResult per shard until `request.n` records exist (see the module doc)."""
    if request.n < 1:
        raise SynthError("n must be at least 1")
    if request.judge is not None:
        raise SynthError("a judged run cannot be sharded yet: run it on this machine (without --executor ray)")
    stored = history.get_run(run_id)
    existing = list(history.iter_records(run_id))
    seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
    ledger = ShardLedger(request, run_id, stored, existing, Deduplicator(request.schema))
    history.mark_running(run_id, strategies=None)
    fields = {"run_id": run_id, "backend": "sharded", "executor": executor.kind, "workers": executor.workers}
    data = {**fields, "event": "run_started", "requested": request.n, "existing": ledger.achieved}
    log.info("run %(run_id)s started on %(workers)d %(executor)s workers", data, extra=data)
    driver = _Driver(request, executor, ledger, seed + len(existing), cancel)
    strategies_kept = False
    try:
        for result in driver.results():
            if result.strategies and not strategies_kept:  # the first shard tells how fields were drawn
                history.mark_running(run_id, strategies=result.strategies)
                strategies_kept = True
            history.commit_batch(run_id, result.accepted, progress_of(result))
            log_batch(result, fields)
            if result.done:
                store_quality(history, run_id, coherence=dict(ledger.coherence), accumulator=ledger.metrics)
            try:
                yield result
            except GeneratorExit:
                if not result.done:
                    history.set_status(run_id, "cancelled", "stopped by the user")
                    log_finished(result, fields, "cancelled")
                raise
    finally:
        executor.stop()


class _Driver:
    """Sends shards, collects them in order, and decides when the run has ended."""

    def __init__(
        self, request: GenerationRequest, executor: ShardExecutor, ledger: ShardLedger, seed: int, cancel: CancelCheck
    ) -> None:
        self.request, self.executor, self.ledger, self.seed, self.cancel = request, executor, ledger, seed, cancel
        self.size = shard_size(request)
        self.waiting: deque[Shard] = deque(plan_shards(request.n - ledger.achieved, self.size, seed))
        self.next_index = len(self.waiting)
        self.to_commit = 0  # the lowest shard index not committed yet
        self.finished: dict[int, ShardOutput] = {}
        self.in_flight: dict[int, Shard] = {}
        self.resends: Counter = Counter()
        self.fatal: str | None = None
        self.stopping = False
        self.started = time.perf_counter()
        self.budget = max(request.n, int(request.n * request.attempt_factor))

    def results(self) -> Iterator[BatchResult]:
        """Committed results in shard order; the last one carries the run's final status."""
        batch = 0
        for output in self._outputs():
            result = self._result(output, batch)
            batch += 1
            yield result
            if result.done:
                return
        leftovers = [self.finished.pop(i) for i in sorted(self.finished)] or [ShardOutput(-1)]
        for i, output in enumerate(leftovers):  # after a stop or a failure: keep what was made
            yield self._result(output, batch + i, last=i == len(leftovers) - 1)

    def _outputs(self) -> Iterator[ShardOutput]:
        """Shard outputs ready to commit, in index order, until nothing is left to send or wait for."""
        while True:
            self._send()
            if not self.in_flight:
                if self.stopping or not self._top_up():
                    break
                continue
            got = self.executor.next_done(timeout=0.5)
            if self.cancel() and not self.stopping:
                self._stop()
            if got is None:
                continue
            shard, out = got
            self.in_flight.pop(shard.index, None)
            if isinstance(out, BaseException):
                self._failed(shard, out)
                continue
            self.finished[shard.index] = out
            if out.status == "failed" and not out.records and self.fatal is None:
                self.fatal = out.error or "a shard made no records"
                self._stop()
            yield from self._in_order()

    def _send(self) -> None:
        while self.waiting and not self.stopping and len(self.in_flight) < max(2 * self.executor.workers, 2):
            shard = self.waiting.popleft()
            self.in_flight[shard.index] = shard
            self.executor.submit(shard)

    def _top_up(self) -> bool:
        """Plan the shortfall (cross-shard repeats, shards that ran out of attempts) as new shards."""
        short = self.request.n - self.ledger.achieved
        if short <= 0 or self.fatal is not None or self.ledger.candidates >= self.budget:
            return False
        shards = plan_shards(short, self.size, self.seed, self.next_index)
        self.next_index += len(shards)
        self.waiting.extend(shards)
        return True

    def _failed(self, shard: Shard, exc: BaseException) -> None:
        if self.executor.worker_lost(exc) and self.resends[shard.index] < RESENDS and not self.stopping:
            self.resends[shard.index] += 1
            self.waiting.appendleft(shard)  # same index and seed: the same records, committed once
            return
        if self.fatal is None:
            self.fatal = f"shard {shard.index} failed: {exc}"
        self._stop()

    def _stop(self) -> None:
        self.stopping = True
        self.waiting.clear()
        self.executor.stop()

    def _in_order(self) -> Iterator[ShardOutput]:
        while self.to_commit in self.finished and not self.stopping:
            yield self.finished.pop(self.to_commit)
            self.to_commit += 1

    def _result(self, output: ShardOutput, batch: int, last: bool = False) -> BatchResult:
        accepted, rejected = self.ledger.take(output)
        status, error = self._status(last)
        return self.ledger.result(batch, accepted, rejected, output, status, error, self.started)

    def _status(self, last: bool) -> tuple[str, str | None]:
        ledger, n = self.ledger, self.request.n
        if ledger.achieved >= n:
            return "completed", None
        if not last:
            return "running", None
        if self.fatal is not None:
            return "failed", f"{self.fatal}; the {ledger.achieved} records made so far are kept"
        if self.cancel():
            return "cancelled", None
        return "failed", (
            f"stopped after {ledger.candidates} candidates (the attempt budget) with {ledger.achieved} of {n} "
            f"valid unique records; top reject reasons: {ledger.top_reasons()}"
        )
