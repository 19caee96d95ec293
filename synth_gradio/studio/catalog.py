"""Templates from one place: the built-ins (data files) and the user's saved, versioned ones."""

from __future__ import annotations

import json
import re
from typing import Any

from synth_gradio.errors import InputError, SchemaError
from synth_gradio.schema.model import Schema, load_schema, parse_json_text
from synth_gradio.schema.templates import builtin_names, get_template
from synth_gradio.storage.template_store import TemplateStore

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$")


class Catalog:
    def __init__(self, store: TemplateStore) -> None:
        self.store = store

    def list(self) -> list[dict[str, Any]]:
        rows = []
        for name in builtin_names():
            t = get_template(name)
            rows.append(
                {
                    "name": name,
                    "source": "built-in",
                    "version": None,
                    "description": t.description,
                    "fields": len(t.schema.fields),
                    "use_count": None,
                    "last_used": None,
                }
            )
        for saved in self.store.list():
            rows.append(
                {
                    "name": saved["name"],
                    "source": "saved",
                    "version": saved["version"],
                    "description": saved["description"],
                    "fields": len(saved["schema"].get("properties", {})),
                    "use_count": saved["use_count"],
                    "last_used": saved["last_used_at"],
                }
            )
        return rows

    def get(self, name: str, version: int | None = None) -> dict[str, Any]:
        if name in builtin_names():
            data = get_template(name).to_dict()
            return {**data, "source": "built-in", "version": None}
        saved = {t["name"] for t in self.store.list()}
        if name not in saved:
            names = ", ".join(builtin_names())
            extra = f"; saved: {', '.join(sorted(saved))}" if saved else ""
            raise InputError(f"unknown template {name!r}; built-in templates are: {names}{extra}")
        return {**self.store.get(name, version), "source": "saved"}

    def versions(self, name: str) -> list[int]:
        """A saved template's versions this user may open, newest first; [] for a built-in or unknown name.

        Version numbers count per name across users, so another user's versions are skipped.
        """
        if not name or name in builtin_names() or name not in {t["name"] for t in self.store.list()}:
            return []
        return [v for v in range(self.store.get(name)["version"], 0, -1) if self._visible(name, v)]

    def _visible(self, name: str, version: int) -> bool:
        try:
            self.store.get(name, version)
        except InputError:
            return False
        return True

    def resolve(self, name: str, version: int | None = None) -> tuple[Schema, int | None]:
        data = self.get(name, version)
        return load_schema(data["schema"], examples=data["examples"] or None), data["version"]

    def save(self, data: dict[str, Any] | str) -> dict[str, Any]:
        """Validate and store a template ({name, description, schema, examples}); returns name and version."""
        if isinstance(data, str):
            data = parse_json_text(data, "template")
        if not isinstance(data, dict):
            raise InputError("a template is a JSON object with name, description, schema and examples")
        name = str(data.get("name", "")).strip()
        if not _NAME.match(name):
            raise InputError("a template name needs 1-63 letters, digits, spaces, '.', '_' or '-'")
        if name in builtin_names():
            raise InputError(f"{name!r} is a built-in template; save your version under another name")
        examples = data.get("examples") or []
        if not isinstance(examples, list):
            raise SchemaError("'examples' must be a list of example records", "$.examples")
        schema = load_schema(data.get("schema") or {}, examples=examples or None)
        version = self.store.save(name, str(data.get("description", "")), schema.json_schema, list(schema.examples))
        return {"name": name, "version": version}

    def export_json(self, name: str, version: int | None = None) -> str:
        data = self.get(name, version)
        keep = {k: data[k] for k in ("name", "description", "schema", "examples")}
        return json.dumps(keep, indent=2, ensure_ascii=False)

    def mark_used(self, name: str, version: int | None) -> None:
        if version is not None:
            self.store.mark_used(name, version)
