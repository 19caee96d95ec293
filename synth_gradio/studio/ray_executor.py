"""Shards on a Ray cluster: one actor per worker, each building its own backend once.

Ray is an optional extra (pip install -e ".[ray]"), imported through ray_connect. Without an address it
joins the cluster this process already uses, or starts a local one; with one it connects there, and
a cluster that does not answer is one sentence. A worker that dies is replaced by a fresh actor and
the driver sends its shard again. Stop sets a flag actor that every worker reads between records
(at most twice a second), so running shards stop and send back what they made.

On a cluster of several machines, every node needs this package installed (the actors import it).
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from typing import Any

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.shards import Shard, ShardOutput, run_shard
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.studio.ray_connect import connect, ray_module

FLAG_EVERY_S = 0.5  # how often a worker asks whether the run was stopped


class StopFlag:
    """One per run: set by Stop, read by every worker."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


class ShardWorker:
    """A Ray actor: the run's request and its own backend, kept for every shard it is given."""

    def __init__(self, request: GenerationRequest, config: BackendConfig, flag: Any) -> None:
        self._request, self._flag = request, flag
        self._backend = config.create()
        self._checked, self._stopped = 0.0, False

    def ready(self) -> int:
        import os

        return os.getpid()

    def run(self, shard: Shard) -> ShardOutput:
        return run_shard(self._request, self._backend, shard, self._cancelled)

    def _cancelled(self) -> bool:
        now = time.monotonic()
        if not self._stopped and now - self._checked >= FLAG_EVERY_S:
            self._checked = now
            self._stopped = bool(ray_module().get(self._flag.is_set.remote()))
        return self._stopped


class RayExecutor:
    kind = "ray"

    def __init__(
        self,
        request: GenerationRequest,
        config: BackendConfig,
        *,
        address: str = "",
        workers: int | None = None,
        cpus_per_worker: float = 1.0,
    ) -> None:
        self.ray_module = ray = connect(address)
        cpus = ray.cluster_resources().get("CPU", 1)
        self.workers = workers or max(1, int(cpus // cpus_per_worker))
        if self.workers * cpus_per_worker > cpus:
            raise InputError(
                f"the Ray cluster offers {cpus:g} CPUs and {self.workers} workers need {self.workers * cpus_per_worker:g}; "
                "ask for fewer workers, or start the cluster with more (ray start --head --num-cpus N)"
            )
        self._flag = ray.remote(num_cpus=0)(StopFlag).remote()
        self._worker_cls = ray.remote(num_cpus=cpus_per_worker, max_restarts=0)(ShardWorker)
        if config.is_local and not config.local_options.get("n_threads"):
            # A local model on each worker uses the CPUs Ray gave it, not every core of the node.
            options = {**config.local_options, "n_threads": max(1, int(cpus_per_worker))}
            config = dataclasses.replace(config, local_options=options)
        self._args = (request, config, self._flag)
        self._actors = [self._new_actor() for _ in range(self.workers)]
        self._idle: deque[Any] = deque(self._actors)
        self._queued: deque[Shard] = deque()
        self._running: dict[Any, tuple[Shard, Any]] = {}  # object ref -> (shard, actor)

    def _new_actor(self) -> Any:
        return self._worker_cls.remote(*self._args)

    def wait_ready(self, timeout: float = 120.0) -> list[int]:
        """Block until every worker has built its backend; their process ids (benchmarks time runs after this)."""
        return self.ray_module.get([a.ready.remote() for a in self._actors], timeout=timeout)

    def submit(self, shard: Shard) -> None:
        self._queued.append(shard)
        self._dispatch()

    def _dispatch(self) -> None:
        while self._idle and self._queued:
            actor, shard = self._idle.popleft(), self._queued.popleft()
            self._running[actor.run.remote(shard)] = (shard, actor)

    def next_done(self, timeout: float) -> tuple[Shard, ShardOutput | BaseException] | None:
        if not self._running:
            time.sleep(min(timeout, 0.05))
            return None
        ready, _ = self.ray_module.wait(list(self._running), num_returns=1, timeout=timeout)
        if not ready:
            return None
        shard, actor = self._running.pop(ready[0])
        try:
            out: ShardOutput | BaseException = self.ray_module.get(ready[0])
        except self.ray_module.exceptions.RayError as exc:
            out = exc
        if isinstance(out, BaseException) and self.worker_lost(out):
            self._replace(actor)
        else:
            self._idle.append(actor)
        self._dispatch()
        if isinstance(out, self.ray_module.exceptions.RayTaskError) and isinstance(out.cause, BaseException):
            out = out.cause  # the shard's own error (a BackendError, say), as the driver knows it
        return shard, out

    def _replace(self, actor: Any) -> None:
        self.ray_module.kill(actor, no_restart=True)
        fresh = self._new_actor()
        self._actors[self._actors.index(actor)] = fresh
        self._idle.append(fresh)

    def worker_lost(self, exc: BaseException) -> bool:
        errors = self.ray_module.exceptions
        lost = (errors.RayActorError, errors.WorkerCrashedError, errors.ObjectLostError, errors.NodeDiedError)
        return isinstance(exc, lost)

    def stop(self) -> None:
        """Queued shards still go out: they see the flag at once and come back empty, as the driver expects."""
        self._flag.set.remote()

    def close(self) -> None:
        for actor in self._actors:
            self.ray_module.kill(actor, no_restart=True)
        self.ray_module.kill(self._flag, no_restart=True)
