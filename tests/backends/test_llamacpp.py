"""The real bundled model through llama.cpp: every record valid and unique by construction."""

from __future__ import annotations

import json

import pytest

from synth_gradio.backends.base import CompletionRequest, GenerationParams
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendError
from synth_gradio.schema.model import load_schema
from synth_gradio.schema.templates import get_template

pytestmark = pytest.mark.model


def test_constrained_completions_match_patterns_and_formats(llama_backend) -> None:
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
            "when": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])$"},
            "size": {"type": "integer", "minimum": 3, "maximum": 9},
            "mood": {"enum": ["calm", "busy"]},
        },
        "required": ["code", "when", "size", "mood"],
        "additionalProperties": False,
    }
    from synth_gradio.schema.validation import compile_validator

    validator = compile_validator(schema)
    request = CompletionRequest("Records:\n", ["Record: "] * 6, schema, GenerationParams(max_tokens=64, seed=5))
    outs = llama_backend.complete(request)
    assert len(outs) == 6
    for out in outs:
        assert out.finish_reason == "stop", out
        assert validator.is_valid(json.loads(out.text)), out.text


def test_same_seed_reproduces_completions(llama_backend) -> None:
    schema = {
        "type": "object",
        "properties": {"word": {"type": "string", "maxLength": 12}},
        "required": ["word"],
        "additionalProperties": False,
    }
    request = CompletionRequest("Words as JSON:\n", ["Record: "] * 3, schema, GenerationParams(max_tokens=24, seed=42))
    assert [c.text for c in llama_backend.complete(request)] == [c.text for c in llama_backend.complete(request)]


@pytest.mark.parametrize("template", ["product_catalog", "user_profile"])
def test_engine_on_real_model_gives_valid_unique_records(llama_backend, template: str) -> None:
    schema = get_template(template).schema
    results = list(generate(GenerationRequest(schema=schema, n=12, seed=3, batch_size=8), llama_backend))
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed", results[-1].error
    assert len(records) == 12
    assert all(schema.validator.is_valid(r) for r in records)
    assert len({json.dumps(r, sort_keys=True) for r in records}) == 12
    assert results[-1].total_tokens > 0


def test_model_written_names_are_diverse(llama_backend) -> None:
    schema = load_schema(
        {
            "name": {"type": "string", "description": "a person's full name", "x-strategy": "model"},
            "country": {"enum": ["US", "DE", "FR", "JP", "BR"]},
        }
    )
    records = [
        r for res in generate(GenerationRequest(schema=schema, n=40, seed=8), llama_backend) for r in res.accepted
    ]
    assert len(records) == 40
    assert len({r["name"] for r in records}) >= 36


def test_missing_model_file_is_a_clear_error() -> None:
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    with pytest.raises(BackendError, match=r"model file not found: /no/such\.gguf"):
        LlamaCppBackend(model="/no/such.gguf").load()


def test_sequences_that_overflow_the_context_are_split_into_groups() -> None:
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    small = LlamaCppBackend(max_batch=8, n_ctx=1024)
    schema = {
        "type": "object",
        "properties": {"w": {"type": "string", "maxLength": 20}},
        "required": ["w"],
        "additionalProperties": False,
    }
    outs = small.complete(
        CompletionRequest("Words:\n", ["Record: "] * 8, schema, GenerationParams(max_tokens=200, seed=1))
    )
    assert len(outs) == 8 and all(json.loads(o.text)["w"] for o in outs)
    with pytest.raises(BackendError, match="context holds 1024"):
        small.complete(CompletionRequest("Words:\n", ["Record: "], schema, GenerationParams(max_tokens=2000)))


@pytest.mark.parametrize("template", __import__("synth_gradio").builtin_names())
def test_every_template_generates_on_the_default_backend(llama_backend, template: str) -> None:
    schema = get_template(template).schema
    results = list(
        generate(GenerationRequest(schema=schema, n=3, seed=5, batch_size=8, attempt_factor=5), llama_backend)
    )
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed", (results[-1].error, dict(results[-1].reject_counts))
    assert len(records) == 3 and all(schema.validator.is_valid(r) for r in records)
    assert all(rule.check(r) is None for r in records for rule in schema.rules)


def test_the_shortlist_samples_what_the_full_chain_samples(llama_backend) -> None:
    """Sampling from the logits near the best must pick exactly what llama.cpp's full-vocabulary
    sampler picks with the same seed, or a run's records would depend on the shortcut."""
    import llama_cpp
    import numpy as np

    from synth_gradio.backends.llamacpp_sampling import SHORTLIST_WINDOW, SeqSampler

    dec = llama_backend._decoder
    with dec.lm.lock:
        (seq,) = dec.lease(1, need=1)
        try:
            tokens = dec.tokenize("A customer wrote to the helpdesk about", add_bos=True)
            index = dec.decode([(t, i, seq, i == len(tokens) - 1) for i, t in enumerate(tokens)])[seq]
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(dec.ctx, index), shape=(dec.lm.n_vocab,))
            assert (logits >= logits.max() - SHORTLIST_WINDOW).sum() >= 40  # the shortcut is the path taken
            params = GenerationParams(temperature=1.0, top_k=40, top_p=0.95)
            short, full = SeqSampler(params, 11), SeqSampler(params, 11)
            picked = [short.sample(dec.ctx, index, dec.lm.n_vocab) for _ in range(200)]
            expected = [llama_cpp.llama_sampler_sample(full.chain.sampler, dec.ctx, index) for _ in range(200)]
            short.close()
            full.close()
        finally:
            llama_cpp.llama_memory_seq_rm(dec.mem, seq, -1, -1)
            dec.give_back([seq])
    assert picked == expected
    assert len(set(picked)) > 5  # a real distribution was sampled, not one token
