"""The judge's settings and how the facade turns them into a Judge with its own backend.

A JudgeSettings is plain data, like a BackendConfig: what a UI form, a CLI call or a script chose.
`stored()` is what a run keeps with its parameters (the rubric, threshold, column and the judge's
backend kind, model and address; never a key), so re-run and resume judge the same way.

Which backend judges: the one given, else the generation backend's config. The local llama.cpp
backend gets a judge instance of its own: a run's stream holds sequences and KV cells of its model's
context while the engine judges a finished record, so a judge on that same context could wait for
cells the suspended stream never frees. The judge's context is smaller (one sequence, 4096 cells);
llama.cpp maps the GGUF file, so the weights' pages are shared by the page cache.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.backends.config import BackendConfig
from synth_gradio.backends.registry import FACTORIES, create_backend
from synth_gradio.engine.judge import DEFAULT_THRESHOLD, Judge, check_column, check_threshold
from synth_gradio.engine.judge_prompt import parse_rubric
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.settings import Settings

JUDGE_CONTEXT = 4096  # tokens: the prompt (about 700), one record and its verdict
COLUMN_NOTE = "the LLM judge's score, 0 to 1 (higher is better); added by the judge, not generated"


@dataclass(frozen=True)
class JudgeSettings:
    """Judge every record. `backend`: None to judge with the generation backend's config, or a
    BackendConfig (a ready Backend also works, for scripts and tests)."""

    backend: BackendConfig | Backend | None = None
    rubric: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    column: str | None = None

    def __post_init__(self) -> None:  # every interface refuses bad settings before any model time
        parse_rubric(self.rubric)
        check_threshold(self.threshold)
        object.__setattr__(self, "column", check_column(self.column))

    @classmethod
    def coerce(cls, value: Any) -> JudgeSettings | None:
        """None/False: no judge; True: the defaults; a dict of the fields; a JudgeSettings as it is."""
        if value is None or value is False:
            return None
        if value is True:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(cls.__dataclass_fields__))
            if unknown:
                raise InputError(f"unknown judge setting {unknown[0]!r}; use backend, rubric, threshold or column")
            return cls(**value)
        raise InputError(f"judge takes True, a dict of settings or JudgeSettings, got {type(value).__name__}")

    def stored(self) -> dict[str, Any]:
        """What a run keeps: no key, ever (backend None means "the generation backend")."""
        backend = self.backend
        if isinstance(backend, BackendConfig):
            described: dict[str, Any] | None = backend.stored()
        elif backend is not None:
            described = {
                "backend": backend.kind,
                "model": backend.model,
                "base_url": getattr(backend, "base_url", None),
            }
        else:
            described = None
        return {"backend": described, "rubric": self.rubric, "threshold": self.threshold, "column": self.column}


def attach(
    request: GenerationRequest, judge: Any, choice: BackendConfig | Backend, backend: Backend, settings: Settings
) -> tuple[GenerationRequest, Backend | None, dict[str, Any] | None]:
    """The request with its judge, the judge's own backend (to close after the run) and what the run stores.

    `judge`: anything JudgeSettings.coerce takes; `choice` is the generation backend as given (its
    config when it has one) and `backend` the one built from it.
    """
    wanted = JudgeSettings.coerce(judge)
    if wanted is None:
        return request, None, describe(request.judge)
    if wanted.column and any(f.name == wanted.column for f in request.schema.fields):
        raise InputError(f"the judge column {wanted.column!r} is already a field of the record; choose another name")
    built, own = build_judge(wanted, choice if isinstance(choice, BackendConfig) else backend, settings)
    return dataclasses.replace(request, judge=built), built.backend if own else None, wanted.stored()


def describe(judge: Judge | None) -> dict[str, Any] | None:
    """What a run stores about a Judge made by the caller (a script that built its own)."""
    if judge is None:
        return None
    backend = {
        "backend": judge.backend.kind,
        "model": judge.backend.model,
        "base_url": getattr(judge.backend, "base_url", None),
    }
    return {"backend": backend, **judge.settings()}


def stored_judge(run: dict[str, Any], backend: Any, judge: Any) -> Any:
    """The judge given, else the run's own (a key for its backend from `backend` of the same kind)."""
    stored = (run.get("params") or {}).get("judging")
    if judge is not None or not stored:
        return judge
    return from_stored(stored, backend if isinstance(backend, BackendConfig) else None)


def from_stored(data: dict[str, Any], override: BackendConfig | None = None) -> JudgeSettings:
    """A stored run's judge. A key (never stored) comes from `override` when it is of the same kind."""
    described = data.get("backend")
    config = None
    if described:
        kind = described.get("backend") or ""
        if kind not in FACTORIES:
            raise InputError(
                f"the run was judged with a {kind!r} backend, which cannot be rebuilt; give a judge backend"
            )
        same = override if override is not None and override.kind == kind else None
        config = BackendConfig(
            kind=kind,
            model=(same.model if same and same.model else "") or described.get("model") or "",
            base_url=(same.base_url if same else "") or described.get("base_url") or "",
            api_key=same.api_key if same else "",
        )
    threshold = data.get("threshold")
    return JudgeSettings(
        backend=config,
        rubric=data.get("rubric"),
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        column=data.get("column"),
    )


def build_judge(judge: JudgeSettings, generation: BackendConfig | Backend, settings: Settings) -> tuple[Judge, bool]:
    """The Judge, and whether its backend is the judge's own (to close after the run)."""
    source = judge.backend if judge.backend is not None else generation
    if isinstance(source, BackendConfig):
        clash = isinstance(generation, BackendConfig) and generation.kind == source.kind == "transformers"
        if clash and (source.model or "") != (generation.model or ""):
            raise InputError(
                "the transformers backend keeps one model in memory; judge with the generation model "
                "or choose another judge backend"
            )
        return _judge(judge, _create(source, settings)), True
    if getattr(source, "kind", "") == "llamacpp" and source is generation:  # a loaded local model: own context
        return _judge(judge, _llamacpp(source.model, settings.backend_options("llamacpp"))), True
    return _judge(judge, source), False


def _judge(judge: JudgeSettings, backend: Backend) -> Judge:
    return Judge(backend, rubric=judge.rubric, threshold=judge.threshold, column=judge.column)


def _create(config: BackendConfig, settings: Settings) -> Backend:
    if config.kind != "llamacpp":
        return config.create()
    return _llamacpp(config.model, {**settings.backend_options("llamacpp"), **config.local_options})


def _llamacpp(model: str, options: dict[str, Any]) -> Backend:
    """A judge instance of the local backend: one sequence and its own (smaller) context."""
    n_ctx = JUDGE_CONTEXT if options.get("n_ctx", 8192) != JUDGE_CONTEXT else JUDGE_CONTEXT + 512
    return create_backend(
        "llamacpp", model=model or None, n_threads=options.get("n_threads", 0), max_batch=1, n_ctx=n_ctx
    )


def with_column(schema: dict[str, Any], column: str | None) -> dict[str, Any]:
    """The run's stored schema with the judge's column, so exports and dataset cards show it."""
    if not column:
        return schema
    if column in schema.get("properties", {}):
        raise InputError(f"the judge column {column!r} is already a field of the record; choose another name")
    prop = {"type": "number", "minimum": 0, "maximum": 1, "description": COLUMN_NOTE, "x-judge": True}
    return {**schema, "properties": {**schema.get("properties", {}), column: prop}}


def without_column(run: dict[str, Any]) -> dict[str, Any]:
    """A stored run as its request needs it: the judge's column is not a field to generate."""
    props = (run.get("schema") or {}).get("properties") or {}
    column = ((run.get("params") or {}).get("judging") or {}).get("column")
    if not column or not (props.get(column) or {}).get("x-judge"):
        return run
    kept = {k: v for k, v in props.items() if k != column}
    return {**run, "schema": {**run["schema"], "properties": kept}}
