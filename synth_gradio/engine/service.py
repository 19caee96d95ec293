"""Helpers shared by every interface: resolve a schema source, rebuild a stored run's request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.backends.llamacpp import DEFAULT_MODEL_NAME
from synth_gradio.backends.registry import create_backend
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.schema.templates import get_template


def resolve_schema(template: str | None = None, schema_file: str | Path | None = None) -> tuple[Schema, str | None]:
    """(schema, template name) from exactly one of a template name or a schema file."""
    if bool(template) == bool(schema_file):
        raise InputError("give exactly one of --template NAME or --schema FILE.json")
    if template:
        return get_template(template).schema, template
    path = Path(schema_file)  # type: ignore[arg-type]
    if not path.is_file():
        raise InputError(f"schema file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read schema file {path}: {exc}") from None
    return load_schema(text), None


def request_from_run(run: dict[str, Any]) -> GenerationRequest:
    """The request that produced a stored run, to resume it or run it again."""
    schema = load_schema(run["schema"], examples=run.get("examples") or None)
    params = dict(run.get("params") or {})
    return GenerationRequest(
        schema=schema,
        n=int(params.pop("n", run["requested"])),
        template=run.get("template"),
        template_version=run.get("template_version"),
        title=run.get("title"),
        **{k: v for k, v in params.items() if k in GenerationRequest.__dataclass_fields__ and k != "base_url"},
    )


def backend_for_run(run: dict[str, Any], **options: Any) -> Backend:
    """The stored run's backend; keys are never stored, so they come in `options` (or the environment)."""
    model = run.get("model") or None
    if run["backend"] == "llamacpp" and model == DEFAULT_MODEL_NAME:
        model = None
    base_url = (run.get("params") or {}).get("base_url")
    if base_url and run["backend"] != "llamacpp":
        options.setdefault("base_url", base_url)
    options = {k: v for k, v in options.items() if v is not None or k == "base_url"}
    return create_backend(run["backend"], model=model, **options)


def generate_records(
    n: int,
    *,
    template: str | None = None,
    schema: Schema | dict[str, Any] | str | None = None,
    backend: Backend | None = None,
    history: Any = None,
    seed: int | None = None,
    **request_options: Any,
) -> list[dict[str, Any]]:
    """Convenience for notebooks and scripts: run engine.generate to the end and return the records.

    Raises the run's error as a SynthError when it does not complete; with `history`, whatever was
    made is stored either way.
    """
    from synth_gradio.engine.run import generate
    from synth_gradio.errors import SynthError

    if template is not None:
        resolved, name = get_template(template).schema, template
    elif schema is not None:
        resolved, name = (schema if isinstance(schema, Schema) else load_schema(schema)), None
    else:
        raise InputError("give a template name or a schema")
    backend = backend or create_backend("llamacpp")
    request = GenerationRequest(schema=resolved, n=n, seed=seed, template=name, **request_options)
    records: list[dict[str, Any]] = []
    last = None
    for last in generate(request, backend, history=history):
        records.extend(last.accepted)
    if last is not None and last.status != "completed":
        raise SynthError(f"generation {last.status} with {len(records)} of {n} records: {last.error}")
    return records
