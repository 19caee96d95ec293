"""A sharded run's start: the executor is opened before the run is stored, so a cluster that does not
answer, a missing Ray or a run that cannot be sharded is one sentence and no half-made run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.sharded import check_shardable, sharded_generate
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.storage.history import History
from synth_gradio.studio.executors import ExecutorChoice, open_executor


def open_for(choice: ExecutorChoice, request: GenerationRequest, backend: Any) -> Any | None:
    """A running executor for a sharded choice (None for the ordinary in-process run)."""
    if not choice.sharded:
        return None
    if not isinstance(backend, BackendConfig):
        raise InputError(
            f"the {choice.kind} executor builds a backend on each worker, so it needs the backend's settings "
            "(a BackendConfig: kind, model, address), not a ready backend object"
        )
    check_shardable(request)
    return open_executor(choice, request, backend)


def stored_choice(run: dict[str, Any], given: ExecutorChoice | dict[str, Any] | str | None) -> ExecutorChoice:
    """Resume on the executor given, else the one the run was started with."""
    if given is not None:
        return ExecutorChoice.coerce(given)
    return ExecutorChoice.coerce((run.get("params") or {}).get("executor"))


def results(
    history: History, request: GenerationRequest, executor: Any, run_id: int, cancel: threading.Event
) -> Iterator[BatchResult]:
    try:
        yield from sharded_generate(request, executor, history=history, run_id=run_id, cancel=cancel.is_set)
    finally:
        executor.close()
