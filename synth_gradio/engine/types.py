"""The request the engine takes and the BatchResult it yields after every batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from synth_gradio.schema.model import Schema

STATUSES = ("pending", "running", "completed", "failed", "cancelled", "interrupted")


SPARE_ATTEMPTS = 10  # candidates a run may try beyond n, however small n is


@dataclass
class GenerationRequest:
    schema: Schema
    n: int
    batch_size: int = 32
    temperature: float = 1.0
    top_p: float = 0.95
    top_k: int = 40
    max_tokens: int | None = None  # per record; None: estimated from the grammar
    seed: int | None = None
    attempt_factor: float = 3.0  # stop after n * attempt_factor candidates
    template: str | None = None
    template_version: int | None = None
    title: str | None = None
    price_in: float | None = None  # USD per million prompt tokens, for a cost estimate
    price_out: float | None = None  # USD per million generated tokens
    key_pools: dict[str, list[Any]] | None = None  # foreign-key field -> the parent's generated keys
    learned: Any = None  # a joint model of structured columns (synth_gradio.learn.LearnedModel), sampled per record
    judge: Any = None  # a per-record judge (synth_gradio.engine.judge.Judge); None: deterministic checks only
    batch_api: bool = False  # sent as provider batch jobs (studio/batching.py), priced at BATCH_PRICE

    def attempt_budget(self) -> int:
        """Candidates tried before a run stops: n * attempt_factor, and at least SPARE_ATTEMPTS more
        than n, since a run of a few records would otherwise stop on a few unlucky drafts (2 records
        with a 50% reject rate failed 11% of the time on 6 candidates, 0.3% on 12)."""
        return max(self.n, int(self.n * self.attempt_factor), self.n + SPARE_ATTEMPTS)

    def params(self) -> dict[str, Any]:
        """Everything needed to repeat the run (never keys or other secrets)."""
        return {
            "n": self.n,
            "batch_size": self.batch_size,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
            "attempt_factor": self.attempt_factor,
            "price_in": self.price_in,
            "price_out": self.price_out,
            "batch_api": self.batch_api,
        }


@dataclass
class Rejection:
    reason: str
    text: str = ""


@dataclass
class BatchResult:
    run_id: int | None
    batch_index: int
    accepted: list[dict[str, Any]]
    rejected: list[Rejection]
    achieved: int  # accepted so far in the run
    requested: int
    candidates: int  # candidates tried so far in the run
    reject_counts: Counter = field(default_factory=Counter)  # reason kind -> count, whole run
    tokens: int = 0  # generated tokens in this batch
    prompt_tokens: int = 0
    total_tokens: int = 0  # generated tokens so far in the run
    elapsed_s: float = 0.0  # run time so far
    batch_s: float = 0.0
    model_s: float = 0.0  # time inside the backend so far
    status: str = "running"
    error: str | None = None
    strategies: dict[str, str] = field(default_factory=dict)
    total_prompt_tokens: int = 0
    latency_s: float = 0.0  # mean request latency in this batch (remote backends)
    cost_usd: float | None = None  # run so far, when prices were given
    coherence: dict[str, int] = field(default_factory=dict)  # rule checks: checked, passed before/after fixes
    metrics_s: float = 0.0  # time spent updating the run's quality statistics so far
    resumed_from: int = 0  # records the run already had when this session started (resume)
    duration_s: float = 0.0  # run time over every session, as stored

    @property
    def rejected_total(self) -> int:
        """Candidates the run rejected so far, over every session (never negative)."""
        return max(0, self.candidates - self.achieved)

    @property
    def records_per_s(self) -> float:
        """Records made in this session per second of this session (a resumed run's old records excluded)."""
        made = self.achieved - self.resumed_from
        return made / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        rate = self.records_per_s
        if rate <= 0:
            return None
        return max(0.0, (self.requested - self.achieved) / rate)

    @property
    def done(self) -> bool:
        return self.status != "running"

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("accepted")
        data["rejected"] = len(self.rejected)
        data["reject_counts"] = dict(self.reject_counts)
        data["records_per_s"] = round(self.records_per_s, 3)
        data["rejected_total"] = self.rejected_total
        data["eta_s"] = self.eta_s
        return data


def reason_kind(reason: str) -> str:
    """Group reasons for counting: 'schema: $.age' keeps its path, free text is cut at the colon."""
    head = reason.split(":", 1)[0]
    if head == "schema" and ":" in reason:
        return "schema " + reason.split(":", 2)[1].strip()
    return head
