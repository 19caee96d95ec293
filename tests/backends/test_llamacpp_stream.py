"""Continuous decoding on the real bundled model: same guarantees as the batch path."""

from __future__ import annotations

import json
import threading
import time

import pytest

from synth_gradio.backends.base import CompletionRequest, GenerationParams, StreamItem
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.templates import get_template

pytestmark = pytest.mark.model

WORD = {
    "type": "object",
    "properties": {"w": {"type": "string", "minLength": 2, "maxLength": 12}},
    "required": ["w"],
    "additionalProperties": False,
}


class BatchOnly:
    """The same model without its streaming entry point: the engine falls back to batches."""

    def __init__(self, inner) -> None:
        self.inner, self.kind, self.model = inner, inner.kind, inner.model
        self.capabilities = inner.capabilities

    def complete(self, request):
        return self.inner.complete(request)

    def close(self) -> None:
        pass


def feed_of(items: list[StreamItem]):
    todo = list(items)
    return lambda: todo.pop(0) if todo else None


def test_continuous_decoding_gives_as_many_valid_unique_records_as_the_batch_path(llama_backend) -> None:
    schema = get_template("product_catalog").schema
    request = GenerationRequest(schema=schema, n=12, seed=3, batch_size=8)
    steps = llama_backend.decode_stats["steps"]
    streamed = list(generate(request, llama_backend))
    assert llama_backend.decode_stats["steps"] > steps
    batched = list(generate(request, BatchOnly(llama_backend)))
    for results in (streamed, batched):
        records = [r for res in results for r in res.accepted]
        assert results[-1].status == "completed", results[-1].error
        assert len(records) == 12 == results[-1].achieved
        assert all(schema.validator.is_valid(r) for r in records)
        assert len({json.dumps(r, sort_keys=True) for r in records}) == 12
        assert results[-1].total_tokens > 0


def test_a_streamed_run_repeats_for_the_same_seed(llama_backend) -> None:
    schema = get_template("support_tickets").schema
    runs = [
        [
            r
            for res in generate(GenerationRequest(schema=schema, n=6, seed=11, batch_size=4), llama_backend)
            for r in res.accepted
        ]
        for _ in range(2)
    ]
    assert len(runs[0]) == 6 and runs[0] == runs[1]


def test_a_record_is_kept_from_ending_on_a_value_the_engine_would_reject(llama_backend) -> None:
    params = GenerationParams(temperature=0, max_tokens=24, seed=1)
    prefix = 'Favourite words as JSON:\nRecord: {"w": "apple"}\nRecord: {"w": "river"}\n'
    item = StreamItem(key=0, prefix=prefix, suffix="Record: ", seed=1)
    plain = dict(llama_backend.complete_stream(feed_of([item]), WORD, params))[0]
    word = json.loads(plain.text)["w"]  # greedy decoding copies an example here
    steered_item = StreamItem(key=0, prefix=item.prefix, suffix=item.suffix, seed=1, avoid=lambda f, t: t == word)
    steered = dict(llama_backend.complete_stream(feed_of([steered_item]), WORD, params))[0]
    assert steered.finish_reason == "stop", steered
    assert json.loads(steered.text)["w"] != word


def test_a_text_the_engine_calls_lost_is_closed_at_the_next_token(llama_backend) -> None:
    """The engine's lost check, asked at word boundaries, closes the open string at once: the slot is not
    spent finishing a text that would be cut or rejected."""
    schema = {**WORD, "properties": {"w": {"type": "string", "minLength": 2, "maxLength": 200}}}
    params = GenerationParams(temperature=0, max_tokens=80, seed=1)
    prefix = 'Sentences as JSON:\nRecord: {"w": "The river runs past the old mill and on to the sea near the town."}\n'
    item = StreamItem(key=0, prefix=prefix, suffix="Record: ", seed=1)
    plain = json.loads(dict(llama_backend.complete_stream(feed_of([item]), schema, params))[0].text)["w"]
    asked: list[str] = []

    def lost(field: str, text: str) -> bool:
        asked.append(text)
        return len(text.split()) >= 3

    closed_item = StreamItem(key=0, prefix=prefix, suffix="Record: ", seed=1, lost=lost)
    closed = dict(llama_backend.complete_stream(feed_of([closed_item]), schema, params))[0]
    words = json.loads(closed.text)["w"].split()
    assert len(plain.split()) > 5 and 3 <= len(words) <= 4, (plain, words)
    assert asked and all(len(t.split()) <= 3 for t in asked)  # asked at word boundaries, not after the close


def test_two_streams_on_one_model_take_turns(llama_backend) -> None:
    params = GenerationParams(max_tokens=24, seed=4)
    finished: dict[str, list[float]] = {"a": [], "b": []}

    def run(name: str) -> None:
        items = [StreamItem(key=i, prefix=f"Words ({name}):\n", suffix="Record: ", seed=i) for i in range(6)]
        for _, completion in llama_backend.complete_stream(feed_of(items), WORD, params, slots=3):
            assert json.loads(completion.text)["w"]
            finished[name].append(time.perf_counter())

    threads = [threading.Thread(target=run, args=(n,)) for n in "ab"]
    for th in threads:
        th.start()
    for th in threads:
        th.join(300)
    assert len(finished["a"]) == len(finished["b"]) == 6
    # interleaved step by step: neither run waited for the other one to end
    assert min(finished["b"]) < max(finished["a"]) and min(finished["a"]) < max(finished["b"])


def test_the_batch_call_is_a_stream_over_its_list(llama_backend) -> None:
    request = CompletionRequest("Words as JSON:\n", ["Record: "] * 10, WORD, GenerationParams(max_tokens=24, seed=2))
    outs = llama_backend.complete(request)
    assert len(outs) == 10 and all(json.loads(o.text)["w"] for o in outs)
    assert [o.text for o in outs] == [o.text for o in llama_backend.complete(request)]
