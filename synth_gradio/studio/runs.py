"""The run lifecycle's bookkeeping: what a new run stores, how a stored run is repeated, and the
cancel signals of the runs in flight in this process.
"""

from __future__ import annotations

import threading
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema
from synth_gradio.storage.history import History, RunSpec


def spec_for(
    request: GenerationRequest,
    backend: Backend,
    group_id: str | None = None,
    owner: str | None = None,
    executor: dict[str, Any] | None = None,
) -> RunSpec:
    """What the history keeps about a new run (the backend's kind, model and address, and where its
    shards ran; never a key)."""
    schema = request.schema
    params = {**request.params(), "base_url": getattr(backend, "base_url", None)}
    if executor is not None:
        params["executor"] = executor
    return RunSpec(
        title=request.title or schema.title,
        schema=schema.json_schema,
        examples=list(schema.examples),
        backend=backend.kind,
        model=backend.model,
        requested=request.n,
        params=params,
        template=request.template,
        template_version=request.template_version,
        group_id=group_id,
        owner=owner,
        learned=request.learned.to_dict() if request.learned is not None else None,
        learned_summary=request.learned.summary() if request.learned is not None else None,
    )


def resolve_model(backend: Backend) -> None:
    """Settle a remote backend's model name before the run is stored (a server's only model for an empty name)."""
    resolve = getattr(backend, "resolve_model", None)
    if callable(resolve):
        resolve()


def request_from_run(run: dict[str, Any], learned: Any = None) -> GenerationRequest:
    """The request that produced a stored run (with its learned model, if any), to resume or repeat it."""
    schema = load_schema(run["schema"], examples=run.get("examples") or None)
    params = dict(run.get("params") or {})
    return GenerationRequest(
        schema=schema,
        learned=learned,
        n=int(params.pop("n", run["requested"])),
        template=run.get("template"),
        template_version=run.get("template_version"),
        title=run.get("title"),
        **{k: v for k, v in params.items() if k in GenerationRequest.__dataclass_fields__ and k != "base_url"},
    )


class CancelSignals:
    """One Event per run (and per group of runs) in flight; Stop sets it, the engine checks it per batch."""

    def __init__(self) -> None:
        self._events: dict[int | str, tuple[threading.Event, str | None]] = {}
        self._lock = threading.Lock()

    def register(
        self, key: int | str, event: threading.Event | None = None, owner: str | None = None
    ) -> threading.Event:
        event = event or threading.Event()
        with self._lock:
            self._events[key] = (event, owner)
        return event

    def release(self, key: int | str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def running(self, key: int | str) -> bool:
        with self._lock:
            return key in self._events

    def cancel(self, key: int | str, owner: str | None = None) -> bool:
        """Set the signal; False when nothing under `key` runs in this process (or, with `owner`,
        when it is another user's: their runs do not exist for this user)."""
        with self._lock:
            event, started_by = self._events.get(key, (None, None))
        if event is None or (owner is not None and started_by != owner):
            return False
        event.set()
        return True


def check_resumable(run: dict[str, Any], signals: CancelSignals) -> None:
    if run["status"] == "completed":
        raise InputError(f"run {run['id']} is already completed; use re-run for a new one")
    if signals.running(run["id"]):
        raise InputError(f"run {run['id']} is still running")


def keep_usage(history: History, run_id: int, result: BatchResult, prior: dict[str, Any]) -> None:
    """Prompt tokens and cost are not run columns: a finished run keeps them with its quality (for analytics).

    `prior` is the usage the run had before this session (a resumed run adds to it).
    """
    quality = history.get_run(run_id).get("quality")
    if quality is None:
        return
    earlier = prior if result.resumed_from else {}
    cost = result.cost_usd
    quality["usage"] = {
        "prompt_tokens": result.total_prompt_tokens + int(earlier.get("prompt_tokens") or 0),
        "tokens": result.total_tokens,
        "cost_usd": None if cost is None else round(cost + float(earlier.get("cost_usd") or 0), 6),
    }
    history.set_quality(run_id, quality)
