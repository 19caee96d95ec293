"""Backend kind -> factory. Heavy imports happen inside the factories, only when a kind is used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.errors import InputError


def _llamacpp(**options: Any) -> Backend:
    from synth_gradio.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend(**options)


FACTORIES: dict[str, Callable[..., Backend]] = {"llamacpp": _llamacpp}

# What the UI shows for each kind: a label, whether it runs in this process (one model shared by
# every session), and which settings it takes.
BACKEND_INFO: dict[str, dict[str, Any]] = {
    "llamacpp": {
        "label": "llama.cpp (offline, bundled Gemma 3 270M or any GGUF file)",
        "local": True,
        "settings": ("model",),
        "model_hint": "empty: the bundled Gemma 3 270M; or the path of a .gguf file",
    },
}


def available_kinds() -> list[str]:
    return sorted(FACTORIES)


def create_backend(kind: str, **options: Any) -> Backend:
    """Build a backend of `kind`; unknown kinds raise an InputError listing the known ones."""
    try:
        factory = FACTORIES[kind]
    except KeyError:
        raise InputError(f"unknown backend {kind!r}; available: {', '.join(available_kinds())}") from None
    return factory(**options)
