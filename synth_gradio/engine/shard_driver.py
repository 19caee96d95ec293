"""The loop of a sharded run: send shards, collect them in planned order, decide when the run ends.

See engine/sharded.py for the promises it keeps; this module is only the bookkeeping of shards in
flight, finished, resent after a lost worker, and planned again for a shortfall.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

from synth_gradio.engine.run import budget_error
from synth_gradio.engine.shard_result import ShardLedger
from synth_gradio.engine.shards import Shard, ShardOutput, plan_shards, shard_size
from synth_gradio.engine.types import BatchResult, GenerationRequest

if TYPE_CHECKING:
    from synth_gradio.engine.sharded import ShardExecutor
    from synth_gradio.engine.state import CancelCheck

RESENDS = 3  # a shard whose worker died is sent this many times more before the run fails


class ShardDriver:
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
        self.budget = request.attempt_budget()

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
        return "failed", budget_error(ledger.candidates, ledger.achieved, n, ledger.counts)
