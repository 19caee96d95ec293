"""Fields that describe the work in progress (run id, backend, model), attached to every log line.

A ContextVar, so concurrent runs in one process (several app sessions) never see each other's
fields; threads started for a run get them only when the context is copied to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_FIELDS: ContextVar[Mapping[str, Any]] = ContextVar("synth_gradio_log_fields", default=_EMPTY)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add `fields` (None values skipped) to every record logged inside the block, in this context.

    Keep the block synchronous: a generator that yields inside it would hand the fields to its consumer.
    """
    merged = {**_FIELDS.get(), **{k: v for k, v in fields.items() if v is not None}}
    token = _FIELDS.set(MappingProxyType(merged))
    try:
        yield
    finally:
        _FIELDS.reset(token)


def current_context() -> Mapping[str, Any]:
    """The fields set by the enclosing `log_context` blocks (read-only)."""
    return _FIELDS.get()
