"""Runs sent through a provider's Batch API (`--batch-api`): what such a run needs before it is stored,
and the journal that keeps its batch job ids with the run, so resume after a restart collects a job
instead of sending it again."""

from __future__ import annotations

import dataclasses
import os
import random
import threading

from synth_gradio.backends.base import Backend
from synth_gradio.backends.openai_batch import MAX_LINES, BatchAPIBackend
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.storage.history import History

POLL_S = 10.0  # seconds between status checks of a batch job (SYNTH_BATCH_POLL_S overrides it)


def for_batch_api(request: GenerationRequest, backend: Backend, sharded: bool) -> GenerationRequest:
    """A batch run with a fixed seed (resume rebuilds the same job from it) and N requests per job."""
    if not request.batch_api:
        return request
    if type(backend) is not OpenAICompatBackend:
        raise InputError(
            f"the {backend.kind} backend has no batch API; --batch-api works with openai_compat against "
            "a provider that offers the OpenAI Batch API (OpenAI, and others that follow it)"
        )
    if sharded:
        raise InputError("a batch-API run is one job sent from this process: run it without --executor")
    seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
    return dataclasses.replace(request, seed=seed, batch_size=max(1, min(request.n, MAX_LINES)))


class RunJournal:
    """Batch job ids by the hash of their lines, kept in the run's stored parameters."""

    def __init__(self, history: History, run_id: int) -> None:
        self.history, self.run_id = history, run_id

    def get(self, key: str) -> str | None:
        return ((self.history.get_run(self.run_id).get("params") or {}).get("batch_jobs") or {}).get(key)

    def put(self, key: str, batch_id: str) -> None:
        params = dict(self.history.get_run(self.run_id).get("params") or {})
        params["batch_jobs"] = {**(params.get("batch_jobs") or {}), key: batch_id}
        self.history.set_params(self.run_id, params)


def batch_backend(
    request: GenerationRequest, backend: Backend, history: History, run_id: int, stop: threading.Event
) -> Backend:
    """The backend a batch run sends its jobs through (the live backend for any other run)."""
    if not request.batch_api:
        return backend
    poll = float(os.environ.get("SYNTH_BATCH_POLL_S") or POLL_S)
    return BatchAPIBackend(backend, RunJournal(history, run_id), stop.is_set, poll)  # type: ignore[arg-type]
