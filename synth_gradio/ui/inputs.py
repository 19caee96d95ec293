"""The run form's shared inputs: templates, the schema source, the backend choice, seed and prices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from synth_gradio.backends.base import Backend
from synth_gradio.errors import InputError, SynthError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import BackendConfig, ResolvedSchema, Studio
from synth_gradio.studio.judging import DEFAULT_THRESHOLD, JudgeSettings
from synth_gradio.ui.common import CUSTOM

SAME_BACKEND = "(same as generation)"


def template_choices(studio: Studio) -> list[str]:
    return [CUSTOM] + [t["name"] for t in studio.catalog.list()]


def template_editor_text(studio: Studio, name: str) -> str:
    data = studio.catalog.get(name)
    schema = dict(data["schema"])
    if data["examples"]:
        schema["examples"] = data["examples"]
    return json.dumps(schema, indent=2, ensure_ascii=False)


def into_editor(schema: dict) -> tuple[str, str, str]:
    """What the Generate tab's editor shows for a schema made on the page: its JSON text, the custom
    choice in the template picker, and the check line."""
    text = json.dumps(schema, indent=2, ensure_ascii=False)
    return text, CUSTOM, validate_text(text)


def validate_text(text: str) -> str:
    """One line about a schema text: the problem with its JSON path, or the fields and examples found."""
    if not text or not text.strip():
        return "Paste a JSON schema, or choose a template."
    try:
        schema = load_schema(text)
    except SynthError as exc:
        return f"❌ {exc}"
    names = ", ".join(f.name for f in schema.fields[:8]) + (" ..." if len(schema.fields) > 8 else "")
    return f"✅ Valid schema: {len(schema.fields)} fields ({names}), {len(schema.examples)} examples"


def schema_source(studio: Studio, template_name: str | None, schema_text: str | None) -> ResolvedSchema:
    """The Generate tab's schema: the picked template, or the JSON editor when "custom" is picked."""
    if template_name and template_name != CUSTOM:
        return studio.resolve_schema(template=template_name)
    return studio.resolve_schema(text=schema_text)


def backend_choice(studio: Studio, kind: str, model: str, base_url: str, api_key: str) -> BackendConfig:
    """This session's backend picks; the key lives only in the call that carries it."""
    return studio.backend_config(kind or None, model=model, base_url=base_url, api_key=api_key)


def parse_seed(value: str | float | None) -> int | None:
    """Blank means a random seed; anything else must be a whole number (0 included)."""
    if value is None or not str(value).strip():
        return None
    try:
        return int(float(str(value).strip()))
    except ValueError:
        raise InputError(f"the seed must be a whole number, got {value!r}") from None


def price(value: float | None) -> float | None:
    """USD per million tokens from a form field; 0 or blank means no price."""
    return float(value) if value else None


def judge_choice(
    studio: Studio,
    on: bool | None,
    kind: str | None = "",
    model: str | None = "",
    base_url: str | None = "",
    api_key: str | None = "",
    threshold: float | None = DEFAULT_THRESHOLD,
    rubric: str | None = "",
    column: str | None = "",
) -> JudgeSettings | None:
    """The Judge accordion's settings (None when the judge is off); a blank rubric is the default one."""
    if not on:
        return None
    kind = (kind or "").strip()
    backend = None
    if kind and kind != SAME_BACKEND:
        backend = studio.backend_config(kind, model=model or "", base_url=base_url or "", api_key=api_key or "")
    return JudgeSettings(
        backend=backend,
        rubric=rubric if rubric and rubric.strip() else None,
        threshold=DEFAULT_THRESHOLD if threshold is None else float(threshold),
        column=column or None,
    )


@contextmanager
def drafting_backend(studio: Studio, kind: str, model: str, base_url: str, api_key: str) -> Iterator[Backend | None]:
    """The backend that adds fields to a description's draft: none for the bundled model (too small to
    help); a remote one is closed after the draft, a local one stays loaded for the run."""
    capable = (kind or "llamacpp") != "llamacpp" or bool((model or "").strip())
    helper = studio.backend(backend_choice(studio, kind, model, base_url, api_key)) if capable else None
    try:
        yield helper
    finally:
        if helper is not None and not helper.capabilities.local:
            helper.close()
