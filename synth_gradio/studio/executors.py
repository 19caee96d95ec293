"""Where a run's shards are made: this process (the default), threads here, or a Ray cluster.

An ExecutorChoice is plain data, kept with the run (so resume uses the same kind), and turned into a
running executor only for the run. Each worker builds its own backend from the run's BackendConfig:
the key travels with the call to the workers' memory and is never stored.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.shards import Shard, ShardOutput, run_shard
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError

KINDS = ("local", "threads", "ray")


@dataclass(frozen=True)
class ExecutorChoice:
    """Where a run's shards are made: ExecutorChoice("ray", address="host:6379", workers=8); "local" is
    the ordinary run in this process. Studio.start/run/resume/generate_records take it as `executor=`
    (or its kind as a string, or a dict of these fields)."""

    kind: str = "local"  # local: the ordinary run in this process; threads/ray: sharded over workers
    address: str = ""  # ray: a cluster's address ("" starts or joins one on this machine)
    workers: int | None = None  # None: one per CPU the cluster offers (threads: 2)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"unknown executor {self.kind!r}: use one of {', '.join(KINDS)}")
        if self.workers is not None and not 1 <= self.workers <= 1024:
            raise InputError(f"workers must be between 1 and 1024, not {self.workers}")

    @property
    def sharded(self) -> bool:
        return self.kind != "local"

    @classmethod
    def coerce(cls, value: ExecutorChoice | dict[str, Any] | str | None) -> ExecutorChoice:
        """None or "" is local; a kind name; a dict of the fields (as stored with a run)."""
        if isinstance(value, ExecutorChoice):
            return value
        if isinstance(value, dict):
            return cls(**{k: v for k, v in value.items() if k in cls.__dataclass_fields__})
        return cls(kind=(value or "local").strip().lower())

    def stored(self) -> dict[str, Any] | None:
        return None if not self.sharded else {"kind": self.kind, "address": self.address, "workers": self.workers}


def open_executor(choice: ExecutorChoice, request: GenerationRequest, config: BackendConfig) -> Any:
    """A running ShardExecutor for one run (close it when the run ends)."""
    if choice.kind == "ray":
        from synth_gradio.studio.ray_executor import RayExecutor  # ray is an optional extra

        return RayExecutor(request, config, address=choice.address, workers=choice.workers)
    return ThreadExecutor(request, config, workers=choice.workers or 2)


class ThreadExecutor:
    """Shards on threads of this process, each with its own backend: for remote endpoints, and as the
    in-process reference the Ray executor is measured and tested against."""

    kind = "threads"

    def __init__(self, request: GenerationRequest, config: BackendConfig, workers: int = 2) -> None:
        self.workers = workers
        self._request, self._config = request, config
        self._todo: queue.Queue[Shard | None] = queue.Queue()
        self._done: queue.Queue[tuple[Shard, ShardOutput | BaseException]] = queue.Queue()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        backend = None
        try:
            while (shard := self._todo.get()) is not None:
                try:
                    backend = backend or self._config.create()
                    self._done.put((shard, run_shard(self._request, backend, shard, self._stop.is_set)))
                except Exception as exc:  # the driver decides: it ends the run with this sentence
                    self._done.put((shard, exc))
        finally:
            if backend is not None:
                backend.close()

    def submit(self, shard: Shard) -> None:
        self._todo.put(shard)

    def next_done(self, timeout: float) -> tuple[Shard, ShardOutput | BaseException] | None:
        try:
            return self._done.get(timeout=timeout)
        except queue.Empty:
            return None

    def worker_lost(self, exc: BaseException) -> bool:
        return False  # a thread does not die on its own: an exception is the shard's failure

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()
        for _ in self._threads:
            self._todo.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
