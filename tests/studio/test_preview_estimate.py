"""Preview (records made now, nothing stored) with its estimate, and analytics over stored runs."""

from __future__ import annotations

import json
import time

import pytest
from fakes import FakeBackend

from synth_gradio.backends.base import Capabilities, Completion
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import GenerationRequest
from synth_gradio.studio.estimate import LONG_RUN_SHARE, run_slots, steady_rate, wave_rate

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {"bio": {"type": "string", "description": "a short bio"}, "level": {"enum": [1, 2, 3]}},
        "required": ["bio", "level"],
    }
)


class TimedBackend(FakeBackend):
    """Valid unique bios, `per_record` seconds each, 12 generated and 40 prompt tokens per record."""

    def __init__(self, per_record: float = 0.02, local: bool = True, concurrency: int = 1, max_batch: int = 16) -> None:
        super().__init__([])
        self.per_record = per_record
        self.count = 0
        self.capabilities = Capabilities(
            constrained=True, batching=True, max_batch=max_batch, concurrency=concurrency, local=local
        )

    def complete(self, request):
        time.sleep(self.per_record * len(request.suffixes))
        out = []
        for _ in request.suffixes:
            self.count += 1
            out.append(
                Completion(text=json.dumps({"bio": f"Writer number {self.count}."}), tokens=12, prompt_tokens=40)
            )
        return out


def test_preview_makes_k_records_stores_nothing_and_estimates_n(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=1000, seed=1, batch_size=16, price_in=1.0, price_out=4.0)
    result = studio.preview(request, TimedBackend(per_record=0.02), k=5)
    assert len(result.records) == 5 and all(r["bio"].startswith("Writer") for r in result.records)
    assert studio.list_runs() == []
    est = result.estimate
    assert est.n == 1000 and 16 <= est.measured <= 32  # one batch-path wave (and what was in flight), then it stops
    assert 1000 * 0.02 * 0.8 <= est.wall_s <= 1000 * 0.02 * 1.6  # about 0.02 s per record, plus overhead
    assert est.tokens == 12_000 and est.prompt_tokens == 40_000
    assert est.cost_usd == pytest.approx((40_000 * 1.0 + 12_000 * 4.0) / 1e6)
    sentence = est.sentence()
    assert sentence.startswith("1000 records: about") and "12,000 generated + 40,000 prompt tokens" in sentence


def test_the_rate_is_measured_at_the_runs_own_parallelism() -> None:
    request = GenerationRequest(schema=SCHEMA, n=500, batch_size=16)
    assert (
        run_slots(request, TimedBackend(local=False, concurrency=12, max_batch=64)) == 24
    )  # 2 x concurrency in flight
    assert run_slots(request, TimedBackend()) == 16
    assert run_slots(GenerationRequest(schema=SCHEMA, n=3, batch_size=16), TimedBackend()) == 3
    # 4 slots: the first 4 candidates finished at 2, 2, 4 and 4 s -> mean 3 s -> 4 / 3 candidates per second.
    assert wave_rate([(2.0, 2), (4.0, 4), (6.0, 8)], 4) == pytest.approx(4 / 3)
    assert wave_rate([(5.0, 16)], 16) == pytest.approx(16 / 5)  # one batch: its size over its time
    assert wave_rate([], 4) == 0.0
    # Once every slot has turned over: the slope from the step that reached 4 candidates to the last.
    assert steady_rate([(2.0, 2), (4.0, 4), (6.0, 6), (8.0, 8)], 4) == pytest.approx(1.0)
    assert steady_rate([(5.0, 16)], 16) == pytest.approx(16 / 5)  # too short for a slope: the wave


class CpuLikeStream(TimedBackend):
    """A streaming backend like a local model on a CPU: a decode step costs more with more records in
    it, and records need 6 to 18 steps. A first wave that is left to drain runs its last records in a
    near-empty batch, far faster than a long run with every slot refilled."""

    def complete_stream(self, feed, json_schema, params, stop=None, slots=None):
        live: dict[int, int] = {}
        while not (stop and stop()):
            while len(live) < (slots or 4):
                item = feed()
                if item is None:
                    break
                live[item.key] = 6 + (item.seed or 0) % 13
            if not live:
                return
            time.sleep(0.0005 + 0.0015 * len(live))
            for key in sorted(live):
                live[key] -= 1
                if live[key] <= 0:
                    del live[key]
                    self.count += 1
                    text = json.dumps({"bio": f"Writer number {self.count}."})
                    yield key, Completion(text=text, tokens=12, prompt_tokens=40)


def test_a_streaming_backends_estimate_matches_a_real_run(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=400, seed=3, batch_size=16)
    estimate = studio.preview(request, CpuLikeStream(), k=5).estimate
    started = time.perf_counter()
    final = list(studio.run(request, CpuLikeStream()))[-1]
    real_s = time.perf_counter() - started
    assert final.achieved == 400
    # This stream keeps its pace to the end; the estimate allows for the slowdown a long run on the
    # local model shows (LONG_RUN_SHARE), so it errs on the slow side here, by about that share.
    assert 0.95 * real_s <= estimate.wall_s * LONG_RUN_SHARE <= 1.25 * real_s, (estimate.wall_s, real_s)


def test_a_run_no_longer_than_the_measurement_is_made_and_timed_in_full(studio) -> None:
    request = GenerationRequest(schema=SCHEMA, n=12, seed=4, batch_size=16)
    backend = TimedBackend(per_record=0.01)
    result = studio.preview(request, backend, k=5)
    assert result.estimate.measured == 12 and backend.count == 12 + 5  # the warm-up's 5, then the run itself
    assert result.estimate.wall_s == pytest.approx(12 / result.estimate.records_per_s, abs=0.1)


def test_a_remote_backend_is_measured_with_its_requests_in_flight(studio) -> None:
    class Remote(TimedBackend):
        def complete(self, request):  # concurrent requests: a batch takes one latency, whatever its size
            per_record, self.per_record = self.per_record, 0.0
            time.sleep(per_record)
            out = super().complete(request)
            self.per_record = per_record
            return out

    backend = Remote(per_record=0.2, local=False, concurrency=8, max_batch=64)
    result = studio.preview(GenerationRequest(schema=SCHEMA, n=800, seed=1, batch_size=8), backend, k=5)
    # 16 records per 0.2 s batch: 80 records/s, 10 s for 800 (a 5-record batch would have said 25 records/s).
    assert 60 <= result.estimate.records_per_s <= 85 and 9 <= result.estimate.wall_s <= 14
    assert result.estimate.load_s == 0 and result.estimate.warmup_s == 0


def test_code_only_schemas_need_no_model_and_bad_k_is_refused(studio) -> None:
    coded = load_schema({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 10**6}}})
    result = studio.preview(GenerationRequest(schema=coded, n=50_000, seed=2), FakeBackend([]), k=3)
    assert len(result.records) == 3 and result.estimate.cost_usd is None and result.estimate.load_s == 0
    with pytest.raises(InputError, match="1 to 20 records"):
        studio.preview(GenerationRequest(schema=coded, n=5), FakeBackend([]), k=0)


def test_analytics_from_stored_runs(studio) -> None:
    priced = GenerationRequest(schema=SCHEMA, n=6, seed=1, batch_size=3, price_in=2.0, price_out=10.0, template="bios")
    list(studio.run(priced, TimedBackend(per_record=0.001)))
    list(studio.run(GenerationRequest(schema=SCHEMA, n=4, seed=2, batch_size=4), TimedBackend(per_record=0.001)))
    data = studio.analytics()
    assert data["totals"]["runs"] == 2 and data["totals"]["records"] == 10
    (day,) = data["per_day"]
    assert day["runs"] == 2 and day["records"] == 10
    assert [t["template"] for t in data["templates"]] == ["bios", "(custom schema)"]
    (model,) = data["models"]
    assert model["model"] == "fake:canned" and model["runs"] == 2 and model["records_per_s"] > 0
    assert 0 < model["score"] <= 100
    (usage,) = data["usage"]
    assert usage["backend"] == "fake" and usage["tokens"] == 10 * 12 and usage["prompt_tokens"] == 10 * 40
    # The priced run's cost is kept with the run; the other has no price: the month's cost is the priced one.
    assert usage["cost_usd"] == pytest.approx((6 * 40 * 2.0 + 6 * 12 * 10.0) / 1e6)


def test_analytics_reads_every_page(studio, monkeypatch) -> None:
    from synth_gradio.studio import analytics

    monkeypatch.setattr(analytics, "PAGE", 2)
    coded = load_schema({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 10**6}}})
    for seed in range(5):
        list(studio.run(GenerationRequest(schema=coded, n=2, seed=seed), FakeBackend([])))
    assert studio.analytics()["totals"] == {"runs": 5, "records": 10, "tokens": 0, "cost_usd": 0.0}
