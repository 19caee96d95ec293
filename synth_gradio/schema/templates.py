"""Built-in templates, stored as data files in schema/templates/*.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.schema.model import Schema, load_schema


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    schema: Schema

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "schema": self.schema.json_schema,
            "examples": list(self.schema.examples),
        }


def _files() -> dict[str, Any]:
    folder = resources.files("synth_gradio.schema") / "templates"
    return {p.name[:-5]: p for p in folder.iterdir() if p.name.endswith(".json")}


def builtin_names() -> list[str]:
    return sorted(_files())


def template_from_dict(data: dict[str, Any]) -> Template:
    """Build a Template from its JSON form (name, description, schema, examples)."""
    if not isinstance(data, dict) or "schema" not in data:
        raise InputError("a template file must be a JSON object with 'name', 'schema' and 'examples'")
    schema = load_schema(data["schema"], examples=data.get("examples") or None)
    return Template(
        name=str(data.get("name", schema.title)), description=str(data.get("description", "")), schema=schema
    )


def get_template(name: str) -> Template:
    files = _files()
    if name not in files:
        raise InputError(f"unknown template {name!r}; built-in templates are: {', '.join(sorted(files))}")
    return template_from_dict(json.loads(files[name].read_text(encoding="utf-8")))
