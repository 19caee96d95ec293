"""One backend configuration for every interface: what a session, a stored run or a CLI call picked.

A BackendConfig is plain data. API keys live in it only for the call that carries it: `stored()`
is what a run keeps (kind, model, server address), never the key, and `repr` hides the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.backends.registry import BACKEND_INFO, create_backend
from synth_gradio.backends.urls import check_base_url
from synth_gradio.errors import InputError
from synth_gradio.settings import Settings


@dataclass(frozen=True)
class BackendConfig:
    kind: str = "llamacpp"
    model: str = ""
    base_url: str = ""
    api_key: str = field(default="", repr=False)
    concurrency: int | None = None
    local_options: dict[str, Any] = field(default_factory=dict)  # threads and batch size of a local model

    def __post_init__(self) -> None:
        if self.base_url and not self.is_local:
            check_base_url(self.base_url, self.kind)  # UI, API and CLI refuse a bad address before any run

    # ----- constructors -----------------------------------------------------------------------------
    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        kind: str | None = None,
        model: str | None = "",
        base_url: str | None = "",
        api_key: str | None = "",
        concurrency: int | None = None,
    ) -> BackendConfig:
        """A choice from the UI or Python; blanks fall back to the settings (SYNTH_BACKEND, SYNTH_MODEL)."""
        kind = (kind or settings.backend or "llamacpp").strip()
        default_model = settings.model if kind == settings.backend else ""
        return cls(
            kind=kind,
            model=(model or "").strip() or default_model,
            base_url=(base_url or "").strip(),
            api_key=api_key or "",
            concurrency=concurrency or None,
            local_options=dict(settings.backend_options(kind)),
        )

    @classmethod
    def from_args(
        cls,
        settings: Settings,
        backend: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        api_key_env: str | None = None,
        concurrency: int | None = None,
    ) -> BackendConfig:
        """CLI flags: the key is read from the environment variable the user named, never from a flag."""
        return cls.from_settings(settings, backend, model, base_url, key_from_env(api_key_env), concurrency)

    @classmethod
    def from_run(cls, run: dict[str, Any], settings: Settings, override: BackendConfig | None = None) -> BackendConfig:
        """The stored run's backend. A key (never stored) and overrides come from `override` of the same kind."""
        stored_url = (run.get("params") or {}).get("base_url") or ""
        same = override if override is not None and override.kind == run["backend"] else None
        # The override's address replaces the stored one before it is checked: a run stored with a
        # bad address can be resumed against a good one.
        return cls(
            kind=run["backend"],
            model=(same.model if same else "") or run.get("model") or "",
            base_url=(same.base_url if same else "") or stored_url,
            api_key=same.api_key if same else "",
            concurrency=same.concurrency if same else None,
            local_options=dict(settings.backend_options(run["backend"])),
        )

    # ----- use --------------------------------------------------------------------------------------
    @property
    def is_local(self) -> bool:
        return bool(BACKEND_INFO.get(self.kind, {}).get("local", False))

    def options(self) -> dict[str, Any]:
        """Keyword arguments for the backend's factory."""
        opts: dict[str, Any] = {"model": self.model or None}
        if self.is_local:
            opts.update(self.local_options)
            return opts
        opts["base_url"] = self.base_url or None
        if self.api_key:
            opts["api_key"] = self.api_key
        if self.concurrency:
            opts["concurrency"] = self.concurrency
        return opts

    def create(self) -> Backend:
        return create_backend(self.kind, **self.options())

    def stored(self, backend: Backend | None = None) -> dict[str, Any]:
        """What a run keeps about its backend: no key, ever."""
        return {
            "backend": backend.kind if backend is not None else self.kind,
            "model": backend.model if backend is not None else self.model,
            "base_url": getattr(backend, "base_url", None) if backend is not None else (self.base_url or None),
        }


def key_from_env(var: str | None) -> str:
    """The API key held by the environment variable `var` ('' when no variable was named)."""
    if not var:
        return ""
    value = os.environ.get(var)
    if not value:
        raise InputError(f"environment variable {var} is not set (it should hold the API key)")
    return value
