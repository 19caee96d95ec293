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


def available_kinds() -> list[str]:
    return sorted(FACTORIES)


def create_backend(kind: str, **options: Any) -> Backend:
    """Build a backend of `kind`; unknown kinds raise an InputError listing the known ones."""
    try:
        factory = FACTORIES[kind]
    except KeyError:
        raise InputError(f"unknown backend {kind!r}; available: {', '.join(available_kinds())}") from None
    return factory(**options)
