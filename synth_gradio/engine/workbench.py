"""The application service behind the UI and the client API.

It owns the history, the template catalog and the cancel signals of running runs. Per-user
values (API keys, chosen backend) arrive with each call in a BackendChoice and are never stored:
the run keeps only the backend kind and model name.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.backends.llamacpp import DEFAULT_MODEL_NAME
from synth_gradio.backends.registry import create_backend
from synth_gradio.engine.catalog import Catalog
from synth_gradio.engine.exporting import export_run
from synth_gradio.engine.run import generate
from synth_gradio.engine.service import request_from_run
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.export import FORMATS
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History
from synth_gradio.storage.template_store import TemplateStore

EXPORT_FORMATS = [ext.lstrip(".") for ext in FORMATS]


@dataclass
class BackendChoice:
    """What one session picked; the key lives only as long as the call that carries it."""

    kind: str = "llamacpp"
    model: str = ""
    base_url: str = ""
    api_key: str = field(default="", repr=False)

    def options(self, settings: Settings) -> dict[str, Any]:
        opts: dict[str, Any] = dict(settings.backend_options(self.kind))
        if self.kind == "llamacpp":
            model = self.model.strip()
            opts["model"] = None if model in ("", DEFAULT_MODEL_NAME) else model
            return opts
        opts.update({"model": self.model.strip() or None, "base_url": self.base_url.strip() or None})
        if self.api_key:
            opts["api_key"] = self.api_key
        return opts


class Workbench:
    def __init__(self, settings: Settings, history: History | None = None) -> None:
        self.settings = settings
        self.history = history or History(settings.db_path)
        self.history.recover_interrupted()
        self.catalog = Catalog(TemplateStore(self.history))
        self._cancels: dict[int, threading.Event] = {}
        self._lock = threading.Lock()

    # ----- backends and schemas ---------------------------------------------------------------------
    def backend(self, choice: BackendChoice) -> Backend:
        return create_backend(choice.kind, **choice.options(self.settings))

    def schema_for(
        self, template: str | None, schema_text: str | None, version: int | None = None
    ) -> tuple[Schema, str | None, int | None]:
        """The schema from a template (built-in or saved) or from JSON text, with the template's version."""
        if template:
            schema, resolved_version = self.catalog.resolve(template, version)
            return schema, template, resolved_version
        if not schema_text or not schema_text.strip():
            raise InputError("choose a template or paste a JSON schema")
        return load_schema(schema_text), None, None

    # ----- runs ---------------------------------------------------------------------------------------
    def start(
        self, request: GenerationRequest, choice: BackendChoice, run_id: int | None = None, group_id: str | None = None
    ) -> tuple[int, Iterator[BatchResult]]:
        """Create (or reopen) the stored run now, so it can be cancelled before its first batch ends."""
        backend = self.backend(choice)
        if run_id is None:
            run_id = self.history.create_run(request, backend, group_id=group_id)
        if request.template and request.template_version is not None:
            self.catalog.mark_used(request.template, request.template_version)
        event = threading.Event()
        with self._lock:
            self._cancels[run_id] = event
        return run_id, self._stream(request, backend, run_id, event)

    def _stream(
        self, request: GenerationRequest, backend: Backend, run_id: int, event: threading.Event
    ) -> Iterator[BatchResult]:
        try:
            yield from generate(request, backend, history=self.history, run_id=run_id, cancel=event)
        finally:
            with self._lock:
                self._cancels.pop(run_id, None)

    def run(
        self, request: GenerationRequest, choice: BackendChoice, run_id: int | None = None
    ) -> Iterator[BatchResult]:
        """Start (or resume, with run_id) a stored run and stream its batches; cancel(run_id) stops it."""
        return self.start(request, choice, run_id)[1]

    def cancel(self, run_id: int) -> bool:
        """Ask a running run to stop after its current batch; False when it is not running here."""
        with self._lock:
            event = self._cancels.get(int(run_id))
        if event is None:
            return False
        event.set()
        return True

    @staticmethod
    def _stored_choice(run: dict[str, Any], choice: BackendChoice | None) -> BackendChoice:
        """The run's own backend; a key (never stored) and overrides come from the session's choice."""
        stored_url = (run.get("params") or {}).get("base_url") or ""
        if choice is None or choice.kind != run["backend"]:
            return BackendChoice(kind=run["backend"], model=run["model"], base_url=stored_url)
        return BackendChoice(
            kind=choice.kind,
            model=choice.model or run["model"],
            base_url=choice.base_url or stored_url,
            api_key=choice.api_key,
        )

    def rerun(self, run_id: int, choice: BackendChoice | None = None) -> tuple[int, Iterator[BatchResult]]:
        """A new run with the stored run's schema and parameters."""
        run = self.history.get_run(int(run_id))
        return self.start(request_from_run(run), self._stored_choice(run, choice))

    def resume(self, run_id: int, choice: BackendChoice | None = None) -> tuple[int, Iterator[BatchResult]]:
        """Complete an interrupted, cancelled or failed run to its N."""
        run = self.history.get_run(int(run_id))
        if run["status"] == "completed":
            raise InputError(f"run {run_id} is already completed; use re-run for a new one")
        if int(run_id) in self._cancels:
            raise InputError(f"run {run_id} is still running")
        return self.start(request_from_run(run), self._stored_choice(run, choice), run_id=int(run_id))

    # ----- history ------------------------------------------------------------------------------------
    def list_runs(self, **filters: Any) -> list[dict[str, Any]]:
        return self.history.list_runs(**filters)

    def get_run(self, run_id: int) -> dict[str, Any]:
        return self.history.get_run(int(run_id))

    def preview(self, run_id: int, limit: int = 200) -> list[dict[str, Any]]:
        out = []
        for record in self.history.iter_records(int(run_id), batch=limit):
            out.append(record)
            if len(out) >= limit:
                break
        return out

    def delete_run(self, run_id: int) -> None:
        if int(run_id) in self._cancels:
            raise InputError(f"run {run_id} is still running; stop it first")
        self.history.delete_run(int(run_id))

    def export_run(self, run_id: int, fmt: str = "csv") -> Path:
        """Write the run to a new temporary file in `fmt`; returns its path."""
        fmt = fmt.lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        run = self.get_run(run_id)
        folder = Path(tempfile.mkdtemp(prefix="synth_export_"))
        slug = "".join(c if c.isalnum() else "_" for c in (run["template"] or run["title"] or "records"))[:40]
        path = folder / f"run{run['id']}_{slug}.{fmt}"
        export_run(self.history, run["id"], path)
        return path
