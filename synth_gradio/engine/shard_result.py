"""The sharded run's one set of counters. Every shard checks its own records; only the ledger sees them
all: it drops a record that repeats one committed in any shard (or before a resume), numbers `sequence`
fields across the run (each shard counts from 1), and makes each shard's committed BatchResult."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from synth_gradio.engine.dedup import Deduplicator
from synth_gradio.engine.dedup import for_run as dedup_for_run
from synth_gradio.engine.run import cost_of
from synth_gradio.engine.shards import ShardOutput
from synth_gradio.engine.strategies import counted_from
from synth_gradio.engine.types import BatchResult, GenerationRequest, Rejection, reason_kind
from synth_gradio.quality.metrics import RunAccumulator


class ShardLedger:
    def __init__(
        self, request: GenerationRequest, run_id: int, stored: dict[str, Any], existing: list[dict[str, Any]]
    ) -> None:
        self.request, self.run_id = request, run_id
        self.dedup = Deduplicator(request.schema)  # until the first shard tells which fields are prose
        names = [f.name for f in request.schema.fields]
        self.resumed_from = self.achieved = len(existing)
        self.candidates = max(int(stored.get("candidates") or 0), self.achieved)
        self.counts: Counter = Counter(stored.get("reject_counts") or {})
        self.tokens = int(stored.get("tokens") or 0)
        self.prompt_tokens = 0
        self.model_s = 0.0
        self.prior_duration_s = float(stored.get("duration_s") or 0.0)
        self.coherence: Counter = Counter()
        self.metrics = RunAccumulator(names)
        self.metrics.add(existing)
        self.strategies: dict[str, str] = {}
        self.sequences: dict[str, int] = {}
        self._existing = existing

    def take(self, output: ShardOutput) -> tuple[list[dict[str, Any]], list[Rejection]]:
        """The shard's records that are new to the run (at most the run's shortfall), and the rest."""
        if output.strategies and not self.strategies:  # how each field is drawn, known from the first shard
            self.strategies = dict(output.strategies)
            seq = [name for name, s in self.strategies.items() if s == "sequence"]
            fields = {f.name: f.schema for f in self.request.schema.fields}
            self.sequences = {name: _highest(self._existing, name, counted_from(fields.get(name, {}))) for name in seq}
            model = [name for name, s in self.strategies.items() if s == "model"]
            self.dedup = dedup_for_run(
                self.request.schema, model, self.request.learned, self.request.n
            )  # prose is compared across shards too
            for record in self._existing:
                self.dedup.add({k: v for k, v in record.items() if k in self.metrics.fields})
        accepted: list[dict[str, Any]] = []
        rejected: list[Rejection] = []
        for record in output.records:
            record = self._numbered(record)
            reason = self.dedup.check(record)
            if reason is None and self.achieved + len(accepted) >= self.request.n:
                reason = "surplus: the run already has its N records"
            if reason is not None:
                rejected.append(Rejection(reason))
                self.counts[reason_kind(reason)] += 1
                continue
            self.dedup.add(record)
            accepted.append(record)
            for name in self.sequences:
                self.sequences[name] += 1
        self.achieved += len(accepted)
        self.candidates += output.candidates
        self.counts.update(output.reject_counts)
        self.tokens += output.tokens
        self.prompt_tokens += output.prompt_tokens
        self.model_s += output.model_s
        self.coherence.update(output.coherence)
        self.metrics.add(accepted)
        return accepted, rejected

    def _numbered(self, record: dict[str, Any]) -> dict[str, Any]:
        """Each shard counts its sequence fields from 1: the run's numbering continues from the last
        accepted record (the counter moves only when the record is accepted, so there are no gaps)."""
        if not self.sequences:
            return record
        return {**record, **{name: self.sequences[name] + 1 for name in self.sequences if name in record}}

    def result(
        self,
        batch: int,
        accepted: list[dict[str, Any]],
        rejected: list[Rejection],
        output: ShardOutput,
        status: str,
        error: str | None,
        started: float,
    ) -> BatchResult:
        elapsed = time.perf_counter() - started
        return BatchResult(
            run_id=self.run_id,
            batch_index=batch,
            accepted=accepted,
            rejected=rejected,
            achieved=self.achieved,
            requested=self.request.n,
            candidates=self.candidates,
            reject_counts=Counter(self.counts),
            tokens=output.tokens,
            prompt_tokens=output.prompt_tokens,
            total_tokens=self.tokens,
            elapsed_s=elapsed,
            batch_s=output.model_s,
            model_s=self.model_s,
            status=status,
            error=error,
            strategies=dict(self.strategies),
            total_prompt_tokens=self.prompt_tokens,
            cost_usd=cost_of(self.request, self.prompt_tokens, self.tokens),
            coherence=dict(self.coherence),
            resumed_from=self.resumed_from,
            duration_s=self.prior_duration_s + elapsed,
        )


def _highest(records: list[dict[str, Any]], name: str, before: int = 0) -> int:
    return max((r[name] for r in records if isinstance(r.get(name), int)), default=before)
