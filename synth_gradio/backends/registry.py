"""Backend kind -> factory. Heavy imports happen inside the factories, only when a kind is used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.backends.hub_models import suggested
from synth_gradio.errors import InputError


def _llamacpp(**options: Any) -> Backend:
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend(**options)


def _openai_compat(**options: Any) -> Backend:
    from synth_gradio.backends.openai_compat import OpenAICompatBackend

    return OpenAICompatBackend(**options)


def _ollama(**options: Any) -> Backend:
    from synth_gradio.backends.ollama import OllamaBackend

    return OllamaBackend(**options)


def _hf_inference(**options: Any) -> Backend:
    from synth_gradio.backends.hf_inference import HFInferenceBackend

    return HFInferenceBackend(**options)


def _transformers(**options: Any) -> Backend:
    from synth_gradio.backends.transformers_local import TransformersBackend

    return TransformersBackend(**options)


# (label, model id): instruction-tuned models the transformers backend loads in 4 bits on a CUDA GPU.
TRANSFORMERS_4BIT: list[tuple[str, str]] = [
    ("Qwen2.5 3B instruct, 4-bit: about 2.5 GB of GPU memory", "Qwen/Qwen2.5-3B-Instruct"),
    ("Mistral 7B instruct v0.3, 4-bit: about 5 GB of GPU memory", "mistralai/Mistral-7B-Instruct-v0.3"),
    ("Qwen2.5 7B instruct, 4-bit: about 5.5 GB of GPU memory", "Qwen/Qwen2.5-7B-Instruct"),
    (
        "Llama 3.1 8B instruct, 4-bit: about 6 GB of GPU memory (gated: needs HF_TOKEN)",
        "meta-llama/Llama-3.1-8B-Instruct",
    ),
]

FACTORIES: dict[str, Callable[..., Backend]] = {
    "llamacpp": _llamacpp,
    "transformers": _transformers,
    "ollama": _ollama,
    "hf_inference": _hf_inference,
    "openai_compat": _openai_compat,
}

# What the UI shows for each kind: a label, whether it runs in this process (one model shared by
# every session), and which settings it takes.
BACKEND_INFO: dict[str, dict[str, Any]] = {
    "llamacpp": {
        "label": "llama.cpp (offline, bundled Gemma 3 270M or any GGUF file)",
        "local": True,
        "settings": ("model",),
        "model_hint": "empty: the bundled Gemma 3 270M; a .gguf path; or a Hub model, ORG/REPO or ORG/REPO:FILE.gguf "
        "(downloaded once)",
    },
    "transformers": {
        "label": "transformers (local; 4-bit bitsandbytes on a CUDA GPU)",
        "local": True,
        "settings": ("model",),
        "model_hint": "a HuggingFace model id or local folder, e.g. meta-llama/Llama-3.1-8B-Instruct",
        "suggested": TRANSFORMERS_4BIT,
    },
    "ollama": {
        "label": "Ollama (native API, default http://localhost:11434)",
        "local": False,
        "settings": ("model", "base_url"),
        "model_hint": "a pulled model, e.g. llama3.1:8b",
        "default_url": "http://localhost:11434",
    },
    "hf_inference": {
        "label": "HuggingFace Inference API (token from this session or HF_TOKEN)",
        "local": False,
        "settings": ("model", "api_key"),
        "model_hint": "a model id, e.g. meta-llama/Llama-3.1-8B-Instruct",
        "default_url": "https://router.huggingface.co/v1",
    },
    "openai_compat": {
        "label": "OpenAI-compatible endpoint (OpenAI, vLLM, TGI, LM Studio, llama.cpp server)",
        "local": False,
        "settings": ("model", "base_url", "api_key"),
        "model_hint": "the model name the server expects",
        "default_url": "https://api.openai.com/v1",
    },
}


def list_models(kind: str, **options: Any) -> list[str]:
    """Models a backend offers (local files are not listed).

    Failures propagate as the backend's own BackendError subclass: already one sentence for the user.
    """
    if kind not in ("ollama", "hf_inference", "openai_compat"):
        raise InputError(f"{kind} does not list models; give a model name or path")
    backend = create_backend(kind, model=options.pop("model", None) or "-", **options)
    try:
        return backend.list_models()  # type: ignore[attr-defined]
    finally:
        backend.close()


def available_kinds() -> list[str]:
    return sorted(FACTORIES)


def create_backend(kind: str, **options: Any) -> Backend:
    """Build a backend of `kind`; unknown kinds raise an InputError listing the known ones."""
    try:
        factory = FACTORIES[kind]
    except KeyError:
        raise InputError(f"unknown backend {kind!r}; available: {', '.join(available_kinds())}") from None
    return factory(**options)


def suggested_models(kind: str) -> list[tuple[str, str]]:
    """(label, model) choices for a kind's model picker, computed now: the memory free and the speed to
    expect on this machine change while the app runs (a model downloaded, another app started)."""
    return suggested() if kind == "llamacpp" else []
