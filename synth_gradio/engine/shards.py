"""Shards of one run: what a worker is given, how it runs its part, and what it hands back.

A run of N records is cut into shards whose sizes and seeds depend only on N, the run's seed and how
many records it already holds, never on how many workers there are. A worker runs its shard with the
ordinary `engine.generate` (no history: only the driver commits), so every check a local run makes
is made in the shard, and a seeded shard gives the same records wherever and however often it runs.
"""

from __future__ import annotations

import math
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from synth_gradio.engine.types import GenerationRequest

if TYPE_CHECKING:
    from synth_gradio.backends.base import Backend
    from synth_gradio.engine.state import CancelCheck

MAX_SHARD = 10_000  # records per shard at most: a worker's memory stays flat however large the run


@dataclass(frozen=True)
class Shard:
    index: int  # its place in the run: results are committed in this order
    n: int
    seed: int


@dataclass
class ShardOutput:
    """A finished (or stopped) shard: its records in the order they were accepted, and its counters."""

    index: int
    records: list[dict[str, Any]] = field(default_factory=list)
    candidates: int = 0
    reject_counts: Counter = field(default_factory=Counter)
    tokens: int = 0
    prompt_tokens: int = 0
    model_s: float = 0.0
    strategies: dict[str, str] = field(default_factory=dict)
    coherence: Counter = field(default_factory=Counter)
    status: str = "completed"
    error: str | None = None
    worker: int = 0  # the process id that ran it
    peak_rss_mb: float = 0.0  # that process's peak resident memory so far


def shard_size(request: GenerationRequest) -> int:
    """Records per shard: a few batches, more for big runs (about 64 shards), at most MAX_SHARD."""
    return max(request.batch_size, min(MAX_SHARD, math.ceil(request.n / 64)))


def shard_seed(run_seed: int, index: int) -> int:
    return (run_seed * 1_000_003 + index * 104_729 + 7) % 2**31


def plan_shards(n: int, size: int, run_seed: int, first_index: int = 0) -> list[Shard]:
    """Shards covering `n` records, numbered from `first_index` (top-ups continue the numbering)."""
    count = math.ceil(n / size)
    return [
        Shard(first_index + i, min(size, n - i * size), shard_seed(run_seed, first_index + i)) for i in range(count)
    ]


def shard_request(request: GenerationRequest, shard: Shard) -> GenerationRequest:
    return replace(request, n=shard.n, seed=shard.seed, judge=None)


def run_shard(request: GenerationRequest, backend: Backend, shard: Shard, cancel: CancelCheck) -> ShardOutput:
    """Run one shard to its end (or until `cancel`) with the ordinary engine, without a history."""
    from synth_gradio.engine.run import generate  # run.py imports this module's neighbours

    out = ShardOutput(shard.index)
    t0 = time.perf_counter()
    for result in generate(shard_request(request, shard), backend, cancel=cancel):
        out.records.extend(result.accepted)
        out.candidates = result.candidates
        out.reject_counts = Counter(result.reject_counts)
        out.tokens = result.total_tokens
        out.prompt_tokens = result.total_prompt_tokens
        out.status, out.error = result.status, result.error
        out.strategies, out.coherence = result.strategies, Counter(result.coherence)
    out.model_s = time.perf_counter() - t0
    out.worker = os.getpid()
    out.peak_rss_mb = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
