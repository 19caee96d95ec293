from __future__ import annotations

import json
import threading

from fakes import FailingBackend, FakeBackend

from synth_gradio.backends.base import Completion
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendError
from synth_gradio.schema.model import load_schema

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "bio": {"type": "string", "minLength": 5, "description": "a short bio"},
            "level": {"type": "integer", "minimum": 1, "maximum": 3},
        },
        "required": ["bio", "level"],
        "examples": [{"bio": "Keeps bees in a tiny garden.", "level": 2}],
    }
)


def bio(text: str) -> str:
    return json.dumps({"bio": text})


def run_all(results):
    return list(results)


def test_valid_invalid_duplicate_and_garbage_are_sorted_with_reasons() -> None:
    texts = [
        bio("Writes short stories on trains."),
        bio("tiny"),  # schema violation: minLength
        "here you go: nothing",  # garbage
        bio("Writes short stories on trains."),  # may duplicate only if level matches; bio alone is not unique
        bio("lorem ipsum dolor"),  # placeholder
        bio("Keeps bees in a tiny garden."),  # copied from the few-shot example
        Completion(text='{"bio": "cut of', finish_reason="length"),
        json.dumps({"bio": "Restores old bicycles.", "extra": 1}),
    ] + [bio(f"Collects stamps from {i} countries.") for i in range(20)]
    backend = FakeBackend(texts)
    results = run_all(generate(GenerationRequest(schema=SCHEMA, n=6, seed=1, batch_size=4), backend))
    final = results[-1]
    assert final.status == "completed"
    accepted = [r for res in results for r in res.accepted]
    assert len(accepted) == 6
    assert all(SCHEMA.validator.is_valid(r) for r in accepted)
    assert len({json.dumps(r, sort_keys=True) for r in accepted}) == 6
    reasons = [rej.reason for res in results for rej in res.rejected]
    assert any(r.startswith("schema: $.bio") for r in reasons)
    assert any(r.startswith("parse error") for r in reasons)
    assert any(r.startswith("placeholder value at $.bio") for r in reasons)
    assert any(r.startswith("copied from an example") for r in reasons)
    assert any(r.startswith("truncated") for r in reasons)
    assert any("unexpected field 'extra'" in r for r in reasons)
    # the model is only asked for the model-written field; level is drawn in code
    assert backend.requests[0].json_schema["properties"].keys() == {"bio"}
    assert all('Given: {"level":' in s for s in backend.requests[0].suffixes)


def test_duplicates_are_rejected_exactly() -> None:
    schema = load_schema(
        {"type": "object", "properties": {"bio": {"type": "string", "unique": True}}, "required": ["bio"]}
    )
    texts = [bio("Same text here"), bio("Same text here"), bio("Other text here"), bio("Third text here")]
    results = run_all(generate(GenerationRequest(schema=schema, n=3, seed=1, batch_size=4), FakeBackend(texts)))
    assert [r["bio"] for res in results for r in res.accepted] == [
        "Same text here",
        "Other text here",
        "Third text here",
    ]
    assert results[-1].reject_counts == {"duplicate record": 1}


def test_attempt_budget_stops_with_a_report_and_keeps_valid_records(studio, history) -> None:
    texts = [bio("A real sentence one.")] + ["garbage"] * 100
    results = run_all(
        studio.run(GenerationRequest(schema=SCHEMA, n=5, seed=1, batch_size=4, attempt_factor=2), FakeBackend(texts))
    )
    final = results[-1]
    assert final.status == "failed"
    assert final.candidates == 15  # 5 * 2, but never fewer than 10 beyond n
    assert "attempt budget" in final.error and "parse error" in final.error
    run = history.get_run(final.run_id)
    assert run["status"] == "failed" and run["achieved"] == 1
    assert list(history.iter_records(final.run_id)) == [results[0].accepted[0]]


def test_backend_failure_keeps_committed_batches(studio, history) -> None:
    texts = [bio(f"Sentence number {i} here.") for i in range(4)]
    backend = FailingBackend(texts, BackendError("server unreachable", kind="connect"), ok_batches=1)
    results = run_all(studio.run(GenerationRequest(schema=SCHEMA, n=10, seed=1, batch_size=4), backend))
    assert results[-1].status == "failed" and "server unreachable" in results[-1].error
    run = history.get_run(results[-1].run_id)
    assert run["achieved"] == 4 and history.count_records(run["id"]) == 4


def test_cancel_stops_after_the_current_batch(studio, history) -> None:
    cancel = threading.Event()
    texts = [bio(f"Sentence number {i} here.") for i in range(40)]
    results = []
    for res in studio.start(
        GenerationRequest(schema=SCHEMA, n=20, seed=1, batch_size=4), FakeBackend(texts), cancel=cancel
    ).results:
        results.append(res)
        cancel.set()
    assert [r.status for r in results] == ["running", "cancelled"]
    assert history.get_run(results[-1].run_id)["achieved"] == 8


def test_resume_completes_a_run_to_n_without_repeating_records(studio, history) -> None:
    schema = load_schema(
        {"type": "object", "properties": {"bio": {"type": "string", "unique": True}}, "required": ["bio"]}
    )
    stop = threading.Event()
    stop.set()
    first = run_all(
        studio.start(
            GenerationRequest(schema=schema, n=8, seed=1, batch_size=4),
            FakeBackend([bio("Alpha one")] * 1 + [bio("Beta two")] * 1 + ["x"] * 2),
            cancel=stop,
        ).results
    )
    run_id = first[-1].run_id
    assert first[-1].status == "cancelled" and history.get_run(run_id)["achieved"] == 2
    texts = [bio("Alpha one")] + [bio(f"Gamma {i}") for i in range(10)]
    resumed = run_all(
        studio.start(
            GenerationRequest(schema=schema, n=8, seed=1, batch_size=4), FakeBackend(texts), run_id=run_id
        ).results
    )
    assert resumed[-1].status == "completed"
    records = list(history.iter_records(run_id))
    assert len(records) == 8 and len({r["bio"] for r in records}) == 8
    # "Alpha one" is already stored: it is shown as an example and caught as a copy or a duplicate
    rejected = [rej.reason for res in resumed for rej in res.rejected]
    assert len(rejected) == 1 and rejected[0] in ("duplicate record", "copied from an example at $.bio")


def test_no_model_fields_means_no_backend_calls() -> None:
    schema = load_schema(
        {
            "age": {"type": "integer", "minimum": 1, "maximum": 99},
            "name": {"type": "string"},
            "when": {"type": "string", "format": "date"},
        }
    )
    backend = FakeBackend([])
    results = run_all(generate(GenerationRequest(schema=schema, n=50, seed=2), backend))
    assert results[-1].achieved == 50 and backend.requests == []


def test_same_seed_same_records() -> None:
    schema = load_schema(
        {"age": {"type": "integer"}, "name": {"type": "string"}, "id": {"type": "string", "format": "uuid"}}
    )
    a = [r for res in generate(GenerationRequest(schema=schema, n=20, seed=9), FakeBackend([])) for r in res.accepted]
    b = [r for res in generate(GenerationRequest(schema=schema, n=20, seed=9), FakeBackend([])) for r in res.accepted]
    assert a == b


def test_unique_field_repeats_are_rejected_even_when_records_differ() -> None:
    schema = load_schema(
        {
            "type": "object",
            "properties": {"sku": {"type": "string", "unique": True, "x-strategy": "model"}, "n": {"type": "integer"}},
            "required": ["sku", "n"],
        }
    )
    texts = [json.dumps({"sku": "AB-1"}), json.dumps({"sku": "AB-1"}), json.dumps({"sku": "AB-2"})]
    results = run_all(generate(GenerationRequest(schema=schema, n=2, seed=4, batch_size=4), FakeBackend(texts)))
    assert [r["sku"] for res in results for r in res.accepted] == ["AB-1", "AB-2"]
    assert results[-1].reject_counts == {"duplicate value for unique field sku": 1}


def test_counters_are_numbered_in_the_order_records_are_accepted() -> None:
    """A rejected candidate used a planned number; accepted rows still count 1, 2, 3 ... in the
    order they are handed out, as a table's own row counter does."""
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "x-sequence": True},
                "bio": {"type": "string", "minLength": 5, "description": "a short bio"},
            },
            "required": ["id", "bio"],
            "examples": [{"id": 1, "bio": "Keeps bees in a tiny garden."}],
        }
    )
    texts = [bio("tiny"), "garbage"] + [bio(f"Collects stamps from {i} countries.") for i in range(20)]
    results = run_all(generate(GenerationRequest(schema=schema, n=8, seed=1, batch_size=4), FakeBackend(texts)))
    accepted = [r for res in results for r in res.accepted]
    assert sum(len(res.rejected) for res in results) >= 2
    assert [r["id"] for r in accepted] == list(range(1, 9))


def test_a_counter_with_a_minimum_goes_on_from_it() -> None:
    """A reference whose ids run from 1,001 gives a counter from 1,001 (it was 1, 2, 3 ...)."""
    schema = load_schema(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "x-sequence": True, "minimum": 1001},
                "size": {"enum": ["S", "M"]},
            },
            "required": ["id", "size"],
        }
    )
    results = run_all(generate(GenerationRequest(schema=schema, n=5, seed=1), FakeBackend([])))
    assert [r["id"] for res in results for r in res.accepted] == list(range(1001, 1006))
