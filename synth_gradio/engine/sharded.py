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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from synth_gradio.engine.run import log_batch, log_finished, progress_of, store_quality
from synth_gradio.engine.shard_driver import ShardDriver
from synth_gradio.engine.shard_result import ShardLedger
from synth_gradio.engine.shards import Shard, ShardOutput
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError

if TYPE_CHECKING:
    from synth_gradio.engine.state import CancelCheck
    from synth_gradio.storage.history import History

log = logging.getLogger(__name__)  # counts and statuses only, as in engine/run.py


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


def check_shardable(request: GenerationRequest) -> None:
    """Raise an InputError for a request shards cannot run (the facade asks before storing the run)."""
    if request.n < 1:
        raise InputError("n must be at least 1")
    if request.judge is not None:
        raise InputError("a judged run cannot be sharded yet: run it without an executor, or without the judge")


def sharded_generate(
    request: GenerationRequest,
    executor: ShardExecutor,
    *,
    history: History,
    run_id: int,
    cancel: CancelCheck,
) -> Iterator[BatchResult]:
    """Yield one committed BatchResult per shard until `request.n` records exist (see the module doc)."""
    check_shardable(request)
    stored = history.get_run(run_id)
    existing = list(history.iter_records(run_id))
    seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
    ledger = ShardLedger(request, run_id, stored, existing)
    history.mark_running(run_id, strategies=None)
    fields = {"run_id": run_id, "backend": "sharded", "executor": executor.kind, "workers": executor.workers}
    data = {**fields, "event": "run_started", "requested": request.n, "existing": ledger.achieved}
    log.info("run %(run_id)s started on %(workers)d %(executor)s workers", data, extra=data)
    driver = ShardDriver(request, executor, ledger, seed + len(existing), cancel)
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
