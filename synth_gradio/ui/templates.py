"""Template Builder tab: a field table that builds the schema, examples, versions, import/export.

The template JSON (name, description, schema, examples) is the one source of truth: the visual
editor writes it, save_template reads it, get_template returns it.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import InputError, SchemaError, SynthError
from synth_gradio.schema.builder import COLUMNS, TYPES, rows_to_schema, schema_to_rows
from synth_gradio.schema.model import load_schema, parse_json_text
from synth_gradio.studio import Studio
from synth_gradio.ui import distributions
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded, opt_int
from synth_gradio.ui.generate import GenerateTab, template_choices, template_editor_text
from synth_gradio.ui.imports import build_schema_imports

LATEST = "latest"
EMPTY_ROW = {c: "" for c in COLUMNS} | {
    "type": "string",
    "required": True,
    "nullable": False,
    "unique": False,
    "uniqueItems": False,
}


def templates_frame(studio: Studio) -> pd.DataFrame:
    return pd.DataFrame(
        studio.catalog.list(),
        columns=["name", "source", "version", "description", "fields", "use_count", "last_used"],
    )


def _rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return frame.fillna("").to_dict("records")


def compose(
    name: str, description: str, frame: pd.DataFrame, examples_text: str, rules_text: str = "[]"
) -> tuple[str, str]:
    """(template JSON, validation message) from the visual editor's state."""
    try:
        schema = rows_to_schema(_rows(frame), title=name or "", description=description or "")
        examples = parse_json_text(examples_text or "[]", "examples")
        if not isinstance(examples, list):
            raise SchemaError("examples must be a JSON list of records", "$.examples")
        rules = parse_json_text(rules_text or "[]", "rules")
        if rules:
            schema["x-rules"] = rules
        checked = load_schema(schema, examples=examples or None)
    except SynthError as exc:
        return gr.update(), f"❌ {exc}"
    template = {
        "name": name or "",
        "description": description or "",
        "schema": checked.json_schema,
        "examples": examples,
    }
    return json.dumps(
        template, indent=2, ensure_ascii=False
    ), f"✅ Valid: {len(checked.fields)} fields, {len(checked.examples)} examples"


def decompose(text: str) -> tuple[Any, ...]:
    data = parse_json_text(text, "template")
    if not isinstance(data, dict) or "schema" not in data:
        raise InputError("a template file is a JSON object with name, description, schema and examples")
    schema = load_schema(data["schema"], examples=data.get("examples") or None).json_schema
    frame = pd.DataFrame(schema_to_rows(schema), columns=COLUMNS)
    return (
        data.get("name", ""),
        data.get("description", ""),
        frame,
        json.dumps(data.get("examples", []), indent=2, ensure_ascii=False),
        json.dumps(schema.get("x-rules", []), indent=2, ensure_ascii=False),
    )


def build(access: Access, generate_tab: GenerateTab) -> Any:
    """Returns (refresh function, its outputs): the page load fills the lists with the user's templates."""
    initial = access.initial
    listing = gr.Dataframe(
        templates_frame(initial), label="Built-in and saved templates", interactive=False, max_height=240
    )
    with gr.Row():
        pick = gr.Dropdown(
            [t["name"] for t in initial.catalog.list()], label="Template", allow_custom_value=True, scale=2
        )
        version = gr.Dropdown(
            [LATEST],
            value=None,
            label="Version",
            allow_custom_value=True,
            info="Saved templates keep every version",
            scale=1,
        )
        load = gr.Button("Load", scale=1)
        new = gr.Button("New", scale=1)
    with gr.Row():
        name = gr.Textbox(label="Name", scale=1)
        description = gr.Textbox(label="Description", scale=3)
    fields = gr.Dataframe(
        pd.DataFrame([EMPTY_ROW], columns=COLUMNS),
        headers=COLUMNS,
        label=f"Fields (types: {', '.join(TYPES)}; nested objects: dotted names like address.city)",
        interactive=True,
        row_count=1,
        wrap=True,
    )
    with gr.Row():
        field_name = gr.Textbox(label="Field name", scale=2)
        add = gr.Button("Add field")
        remove = gr.Button("Remove field")
        up = gr.Button("Move up")
        down = gr.Button("Move down")
    examples = gr.Code("[]", language="json", label="Few-shot example records (JSON list)", lines=8)
    rules = gr.Code(
        "[]",
        language="json",
        lines=6,
        label='Coherence rules (JSON list), e.g. [{"kind": "map", "from": "country", "to": "currency", "values": {"DE": "EUR"}}]',
    )
    status = gr.Markdown(label="status", show_label=False)
    template_json = gr.Code(
        "",
        language="json",
        label="Template JSON (live preview; this is what is saved and exported)",
        lines=14,
        interactive=True,
    )
    with gr.Row():
        save = gr.Button("Save (new version)", variant="primary")
        use = gr.Button("Use in Generate")
        export = gr.Button("Export JSON")
        upload = gr.File(label="Import a template JSON file", file_types=[".json"], type="filepath")
    exported = gr.File(label="Exported template", interactive=False)
    build_schema_imports(access, template_json)
    rewrites = distributions.build(access, template_json, generate_tab)

    editor = [name, description, fields, examples, rules]
    for comp in editor:
        comp.change(compose, editor, [template_json, status], api_visibility="private", trigger_mode="always_last")

    @guarded
    def get_template(template: str, ver: float | str | None = None, request: gr.Request = None) -> str:
        """A template as JSON: name, description, JSON schema and example records.

        Args:
            template: a template name from list_templates.
            ver: a saved template's version (empty or "latest": the newest; built-in templates have none).
        """
        if not template:
            raise InputError("choose a template")
        return access.view(request).catalog.export_json(template, None if ver == LATEST else opt_int(ver))

    def version_choices(template: str, request: gr.Request) -> Any:
        versions = access.view(request).catalog.versions(template or "")
        return gr.update(choices=[LATEST, *versions], value=LATEST)

    pick.change(version_choices, pick, version, api_visibility="private")

    load.click(get_template, [pick, version], template_json, api_name="get_template").then(
        guarded(decompose), template_json, editor, api_visibility="private"
    )
    for event in rewrites:  # declarations written into the JSON show in the field table too
        event.then(guarded(decompose), template_json, editor, api_visibility="private")
    new.click(
        lambda: ("", "", pd.DataFrame([EMPTY_ROW], columns=COLUMNS), "[]", "[]"), None, editor, api_visibility="private"
    )

    def edit_rows(frame: pd.DataFrame, field: str, action: str) -> pd.DataFrame:
        rows = _rows(frame)
        index = next((i for i, r in enumerate(rows) if str(r.get("name", "")).strip() == (field or "").strip()), None)
        if action == "add":
            rows.append(EMPTY_ROW | {"name": field or f"field_{len(rows) + 1}"})
        elif index is None:
            raise InputError(f"no field named {field!r} in the table")
        elif action == "remove":
            rows.pop(index)
        else:
            target = index - 1 if action == "up" else index + 1
            if 0 <= target < len(rows):
                rows[index], rows[target] = rows[target], rows[index]
        return pd.DataFrame(rows or [EMPTY_ROW], columns=COLUMNS)

    for button, action in ((add, "add"), (remove, "remove"), (up, "up"), (down, "down")):
        button.click(
            guarded(lambda f, n, a=action: edit_rows(f, n, a)), [fields, field_name], fields, api_visibility="private"
        )

    @guarded
    def save_template(text: str, request: gr.Request = None) -> str:
        """Save a template as a new version (a new name starts at version 1); built-in names are refused.

        Args:
            text: the template JSON: {"name", "description", "schema", "examples"}.
        """
        saved = access.view(request).catalog.save(text)
        return f"Saved **{saved['name']}** version {saved['version']}."

    def refreshed(template: str, request: gr.Request) -> tuple[Any, Any, Any, Any]:
        studio = access.view(request)
        names = [t["name"] for t in studio.catalog.list()]
        return (
            templates_frame(studio),
            gr.update(choices=names),
            gr.update(choices=template_choices(studio)),
            version_choices(template, request),
        )

    save.click(save_template, template_json, status, api_name="save_template").then(
        refreshed, pick, [listing, pick, generate_tab.template, version], api_visibility="private"
    )

    def list_templates(request: gr.Request = None) -> pd.DataFrame:
        """List the built-in and saved templates a run can use.

        Returns:
            A table: name, source (built-in or saved), version, description, fields, use_count, last_used.
        """
        return templates_frame(access.view(request))

    gr.Button("Refresh list", size="sm").click(list_templates, None, listing, api_name="list_templates")

    @guarded
    def use_in_generate(template: str, text: str, request: gr.Request) -> tuple[Any, Any]:
        studio = access.view(request)
        data = json.loads(text) if text else {}
        saved_name = data.get("name") or template
        if saved_name in template_choices(studio):
            return gr.update(choices=template_choices(studio), value=saved_name), template_editor_text(
                studio, saved_name
            )
        schema = dict(data.get("schema", {}))
        if data.get("examples"):
            schema["examples"] = data["examples"]
        return gr.update(value=template_choices(studio)[0]), json.dumps(schema, indent=2, ensure_ascii=False)

    use.click(
        use_in_generate, [pick, template_json], [generate_tab.template, generate_tab.schema], api_visibility="private"
    )

    @guarded
    def export_json(text: str) -> str:
        data = parse_json_text(text, "template")
        folder = Path(tempfile.mkdtemp(prefix="synth_template_"))
        slug = "".join(c if c.isalnum() else "_" for c in str(data.get("name") or "template"))
        path = folder / f"{slug}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        return str(path)

    export.click(export_json, template_json, exported, api_visibility="private")

    @guarded
    def import_file(path: str | None) -> tuple[Any, ...]:
        if not path:
            raise InputError("the upload is empty")
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        return (text, *decompose(text))

    upload.upload(import_file, upload, [template_json, *editor], api_visibility="private")
    return refreshed, pick, [listing, pick, generate_tab.template, version]
