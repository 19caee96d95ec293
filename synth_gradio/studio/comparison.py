"""Multi-model comparison: one schema and N on 2 to 4 backend configurations, side by side.

The runs start together, each in its own thread, and are stored in history under one group id.
Local models still take turns batch by batch through their model lock; remote ones run in parallel.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError, SynthError
from synth_gradio.storage.history import History

if TYPE_CHECKING:
    from synth_gradio.studio.facade import Studio

_DONE = object()


def label(choice: BackendConfig, temperature: float | None) -> str:
    model = choice.model or "default"
    return f"{choice.kind}:{model}" + (f" @T={temperature:g}" if temperature is not None else "")


def compare_models(
    studio: Studio, request: GenerationRequest, configs: list[tuple[BackendConfig, float | None]]
) -> Iterator[tuple[str, dict[str, BatchResult], dict[str, str]]]:
    """Yield (group id, latest BatchResult per configuration, errors per configuration) as runs progress."""
    if not 2 <= len(configs) <= 4:
        raise InputError("choose 2 to 4 backend configurations to compare")
    group_id = uuid.uuid4().hex[:12]
    labels = [label(choice, temp) for choice, temp in configs]
    if len(set(labels)) != len(labels):
        raise InputError("two configurations are identical; change a model or a temperature")
    events: queue.Queue = queue.Queue()
    latest: dict[str, BatchResult] = {}
    errors: dict[str, str] = {}

    def worker(name: str, choice: BackendConfig, temperature: float | None) -> None:
        try:
            req = replace(request, temperature=temperature) if temperature is not None else request
            _, results = studio.start(req, choice, group_id=group_id)
            for result in results:
                events.put((name, result))
        except SynthError as exc:
            events.put((name, exc))
        except Exception as exc:  # a thread must report, never die silently
            events.put((name, SynthError(f"{type(exc).__name__}: {exc}")))
        finally:
            events.put((name, _DONE))

    threads = [
        threading.Thread(target=worker, args=(name, c, t), daemon=True)
        for name, (c, t) in zip(labels, configs, strict=True)
    ]
    for t in threads:
        t.start()
    running = len(threads)
    while running:
        name, item = events.get()
        if item is _DONE:
            running -= 1
            continue
        if isinstance(item, Exception):
            errors[name] = str(item)
        else:
            latest[name] = item
        yield group_id, dict(latest), dict(errors)


def comparison_table(history: History, group_id: str) -> list[dict[str, Any]]:
    """One row per run of the group: the numbers a user picks a model by."""
    rows = []
    for run in sorted(history.list_runs(group_id=group_id, limit=10), key=lambda r: r["id"]):
        quality = run.get("quality") or {}
        score = quality.get("score") or {}
        metrics = quality.get("metrics") or {}
        comps = score.get("components") or {}
        achieved = max(1, run["achieved"])
        rows.append(
            {
                "configuration": f"{run['backend']}:{run['model']} @T={run['params'].get('temperature')}",
                "status": run["status"],
                "records": run["achieved"],
                "validity": metrics.get("validity_rate"),
                "duplicate rate": metrics.get("duplicate_rate"),
                "diversity": comps.get("diversity"),
                "coherence": comps.get("coherence"),
                "quality score": score.get("score"),
                "records/s": round(run["achieved"] / run["duration_s"], 2) if run["duration_s"] else None,
                "tokens/record": round(run["tokens"] / achieved, 1),
                "est. cost $": round(run["tokens"] * run["params"]["price_out"] / 1e6, 4)
                if run["params"].get("price_out")
                else None,
                "run": run["id"],
            }
        )
    return rows
