"""The streamed path of engine.generate, with a fake backend whose records finish out of order."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

from fakes import FakeBackend

from synth_gradio.backends.base import Capabilities, Completion, GenerationParams, StreamItem, streams
from synth_gradio.engine.run import generate
from synth_gradio.engine.stream import EMIT_EVERY
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendError, BackendQuotaError
from synth_gradio.schema.model import load_schema

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "bio": {"type": "string", "minLength": 5, "description": "a short bio"},
            "level": {"type": "integer", "minimum": 1, "maximum": 3},
        },
        "required": ["bio", "level"],
    }
)
WORDS = ["bees", "trains", "stamps", "kites", "maps", "tea", "clocks", "boats", "ferns", "chess", "jazz", "owls"]


def text_for(item: StreamItem) -> str:
    """A deterministic completion from the record's own seed: every 4th is garbage, some repeat."""
    seed = item.seed or 0
    if seed % 4 == 0:
        return "not json at all"
    return json.dumps({"bio": f"Collects {WORDS[seed % len(WORDS)]} and {WORDS[(seed // 7) % len(WORDS)]}."})


class StreamingFake:
    """Decodes up to `slots` records at once; record k needs a seed-dependent number of steps."""

    kind = "fake-stream"
    model = "stream"

    def __init__(self, fail_after: int | None = None, fatal_after: int | None = None, on_finish=None) -> None:
        self.capabilities = Capabilities(constrained=True, batching=True, max_batch=4, local=True)
        self.finished: list[int] = []  # keys in the order they finished
        self.items: list[StreamItem] = []
        self.fail_after = fail_after
        self.fatal_after = fatal_after
        self.on_finish = on_finish
        self.closed = False

    def complete(self, request: Any) -> list[Completion]:
        raise AssertionError("a streaming backend is driven through complete_stream")

    def complete_stream(
        self,
        feed: Callable[[], StreamItem | None],
        json_schema: dict[str, Any] | None,
        params: GenerationParams,
        stop: Callable[[], bool] | None = None,
        slots: int | None = None,
    ) -> Iterator[tuple[int, Completion]]:
        live: dict[int, list] = {}
        try:
            while not (stop and stop()):
                while len(live) < (slots or 4):
                    item = feed()
                    if item is None:
                        break
                    self.items.append(item)
                    live[item.key] = [item, 1 + (item.seed or 0) % 5]  # steps left
                if not live:
                    return
                done = []
                for key, entry in live.items():
                    entry[1] -= 1
                    if entry[1] <= 0:
                        done.append(key)
                for key in sorted(done):
                    item = live.pop(key)[0]
                    self.finished.append(key)
                    if self.fail_after is not None and len(self.finished) > self.fail_after:
                        raise BackendError("the model crashed", kind="generation")
                    if self.fatal_after is not None and len(self.finished) > self.fatal_after:
                        yield key, Completion(text="", finish_reason="error", error=BackendQuotaError("no credits"))
                        continue
                    yield key, Completion(text=text_for(item), tokens=10, prompt_tokens=3)
                    if self.on_finish:
                        self.on_finish(len(self.finished))
        finally:
            self.closed = True

    def close(self) -> None:
        pass


def records(results) -> list[dict]:
    return [r for res in results for r in res.accepted]


def test_records_finishing_out_of_order_still_give_exactly_n_reproducibly() -> None:
    backend = StreamingFake()
    assert streams(backend) and not streams(FakeBackend([]))
    first = list(generate(GenerationRequest(schema=SCHEMA, n=30, seed=7, batch_size=4), backend))
    again = list(generate(GenerationRequest(schema=SCHEMA, n=30, seed=7, batch_size=4), StreamingFake()))
    other = list(generate(GenerationRequest(schema=SCHEMA, n=30, seed=8, batch_size=4), StreamingFake()))
    made = records(first)
    assert first[-1].status == "completed" and len(made) == 30 == first[-1].achieved
    assert len({json.dumps(r, sort_keys=True) for r in made}) == 30
    assert all(SCHEMA.validator.is_valid(r) for r in made)
    assert backend.finished != sorted(backend.finished)  # records really finished out of order
    assert made == records(again)  # same seed, same records in the same order
    assert made != records(other)
    # each record's seed depends on its plan index only, never on its slot or finishing time
    seeds = {item.key: item.seed for item in backend.items}
    assert len(set(seeds.values())) == len(seeds)
    rejected = first[-1].candidates - 30
    assert rejected > 0 and sum(first[-1].reject_counts.values()) == rejected
    assert backend.closed


def test_results_come_in_small_chunks_and_the_first_record_at_once() -> None:
    results = list(generate(GenerationRequest(schema=SCHEMA, n=40, seed=3, batch_size=4), StreamingFake()))
    assert len(results) > 2
    assert all(len(r.accepted) + len(r.rejected) <= EMIT_EVERY for r in results)
    assert len(results[0].accepted) == 1  # emitted as soon as the first record is accepted
    assert [r.batch_index for r in results] == list(range(len(results)))


def test_cancelling_mid_stream_keeps_every_finished_record(studio, history) -> None:
    cancel = threading.Event()
    backend = StreamingFake(on_finish=lambda n: cancel.set() if n == 9 else None)
    results = list(
        studio.start(GenerationRequest(schema=SCHEMA, n=50, seed=5, batch_size=4), backend, cancel=cancel).results
    )
    final = results[-1]
    assert final.status == "cancelled"
    run = history.get_run(final.run_id)
    kept = records(results)
    # every completion the backend handed over was checked, and every accepted one was committed
    assert final.candidates == len(backend.finished) == run["candidates"]
    assert history.count_records(final.run_id) == len(kept) == run["achieved"] == final.achieved > 0
    assert list(history.iter_records(final.run_id)) == kept
    assert len(backend.finished) < 50 and backend.closed


def test_a_backend_failure_mid_stream_keeps_what_finished_before(studio, history) -> None:
    backend = StreamingFake(fail_after=12)
    results = list(studio.run(GenerationRequest(schema=SCHEMA, n=40, seed=2, batch_size=4), backend))
    final = results[-1]
    assert final.status == "failed" and "the model crashed" in final.error
    assert final.candidates == 12
    assert history.count_records(final.run_id) == len(records(results)) == final.achieved > 0


def test_a_fatal_completion_stops_the_stream_and_keeps_the_records(studio, history) -> None:
    backend = StreamingFake(fatal_after=10)
    results = list(studio.run(GenerationRequest(schema=SCHEMA, n=40, seed=2, batch_size=4), backend))
    final = results[-1]
    assert final.status == "failed" and "no credits" in final.error
    assert history.count_records(final.run_id) == final.achieved == len(records(results)) > 0
    assert len(backend.finished) < 40


def test_closing_the_generator_frees_the_stream() -> None:
    backend = StreamingFake()
    results = generate(GenerationRequest(schema=SCHEMA, n=40, seed=1, batch_size=4), backend)
    next(results)
    results.close()
    assert backend.closed


def test_the_attempt_budget_counts_records_in_flight() -> None:
    class Garbage(StreamingFake):
        def complete_stream(self, feed, json_schema, params, stop=None, slots=None):
            for key, _ in super().complete_stream(feed, json_schema, params, stop, slots):
                yield key, Completion(text="garbage")

    backend = Garbage()
    results = list(generate(GenerationRequest(schema=SCHEMA, n=5, seed=1, attempt_factor=2), backend))
    assert results[-1].status == "failed" and "attempt budget" in results[-1].error
    assert results[-1].candidates == 15 == len(backend.items)  # never more started than the budget (5 + 10)


def test_a_streamed_run_counts_each_record_once_in_its_quality(studio, history) -> None:
    results = list(studio.start(GenerationRequest(schema=SCHEMA, n=20, seed=11, batch_size=4), StreamingFake()).results)
    final = results[-1]
    quality = history.get_run(final.run_id)["quality"]
    assert final.status == "completed"
    assert quality["metrics"]["records"] == 20 == final.achieved
    assert quality["metrics"]["validity_rate"] == round(20 / final.candidates, 4) < 1
    assert 0 < quality["score"]["score"] <= 100
