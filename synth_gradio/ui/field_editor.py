"""Edit a field without JSON: pick it, change its kind, values and shares, range, typical value, length
or "rises with level", apply; its histogram and five sample records follow every change."""

from __future__ import annotations

import json
from dataclasses import astuple
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import InputError, SynthError
from synth_gradio.quality import plots
from synth_gradio.schema.field_edit import KINDS, FieldForm, apply_form, read_form
from synth_gradio.studio.previews import declared_values, sample_rows
from synth_gradio.ui.common import guarded
from synth_gradio.ui.inputs import into_editor

NEW = "+ new field"
SAMPLES = 5


def _schema(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "")
    except json.JSONDecodeError:
        raise InputError("the JSON schema under Advanced is not valid JSON; fix it there first") from None
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise InputError("the schema has no fields yet; describe the data or pick a template first")
    return data


def field_choices(text: str) -> list[str]:
    try:
        return [*_schema(text)["properties"], NEW]
    except InputError:
        return [NEW]


def _histogram(data: dict[str, Any], name: str) -> str | None:
    try:
        drawn = declared_values(data, name, n=1000)
    except SynthError:
        return None
    if all(v is None for v in drawn):
        return None  # written by the model: nothing to draw before generation
    return plots.field_figure_file(name, drawn)


def _samples(data: dict[str, Any]) -> pd.DataFrame:
    try:
        return pd.DataFrame(sample_rows(data, SAMPLES, seed=0)).astype(str)
    except SynthError as exc:
        return pd.DataFrame({"sample records": [f"No samples yet: {exc}"]})


def build(schema: Any, template: Any, check: Any) -> None:
    """The editor under the Fields table; it reads and writes the JSON editor `schema`."""
    with gr.Accordion("Edit a field (no JSON needed)", open=False):
        with gr.Row():
            pick = gr.Dropdown([NEW], value=None, label="Field", elem_id="field-pick")
            name = gr.Textbox(label="Name")
            kind = gr.Dropdown(KINDS, value="short text", label="Kind")
        description = gr.Textbox(label="Description (the model reads it; say who writes a text)")
        values = gr.Textbox(label="Values and shares (category)", placeholder="basic 60, pro 30, enterprise 10")
        with gr.Row():
            low = gr.Textbox(label="From", placeholder="0 or 2024-01-01")
            high = gr.Textbox(label="To")
            typical = gr.Textbox(label="Typical value")
            length = gr.Textbox(label="Longest text (characters)")
        depends = gr.Textbox(label="Depends on (in words)", placeholder="rises with level")
        with gr.Row():
            apply = gr.Button("Apply to the schema", variant="primary", elem_id="field-apply")
            remove = gr.Button("Remove this field")
        note = gr.Markdown(label="field note", show_label=False)
        with gr.Row():
            histogram = gr.Image(label="This field over 1,000 draws", type="filepath", height=260)
            samples = gr.Dataframe(
                label="Five sample records (drawn now; the model writes its fields at generation)",
                wrap=True,
                interactive=False,
                elem_id="field-samples",
            )
    form = [name, kind, description, values, low, high, typical, length, depends]

    def refresh(text: str) -> Any:
        return gr.update(choices=field_choices(text))

    schema.change(refresh, schema, pick, api_visibility="private", trigger_mode="always_last")

    @guarded
    def show(text: str, field: str | None) -> tuple[Any, ...]:
        if not field:
            return (*([gr.update()] * len(form)), None, gr.update(), "")
        if field == NEW:
            return (
                *astuple(FieldForm(name="", kind="short text")),
                None,
                gr.update(),
                "A new field: name it, pick its kind, apply.",
            )
        data = _schema(text)
        return (*astuple(read_form(data, field)), _histogram(data, field), _samples(data), "")

    pick.change(show, [schema, pick], [*form, histogram, samples, note], api_visibility="private")

    @guarded
    def apply_field(text: str, field: str | None, *entries: str) -> tuple[Any, ...]:
        data = _schema(text)
        form_ = FieldForm(*[(e or "") for e in entries])
        new = apply_form(data, None if field in (None, NEW) else field, form_)
        written = [k for k in new["properties"] if k not in data["properties"]] or [field]
        shown = written[0] if written[0] in new["properties"] else field
        said = f"Applied **{shown}**." if new != data else "Nothing changed."
        editor = into_editor(new)
        return (*editor, gr.update(choices=field_choices(editor[0]), value=shown),
                _histogram(new, shown), _samples(new), said)  # fmt: skip

    apply.click(apply_field, [schema, pick, *form], [schema, template, check, pick, histogram, samples, note],
                api_visibility="private")  # fmt: skip

    @guarded
    def remove_field(text: str, field: str | None) -> tuple[Any, ...]:
        data = _schema(text)
        if field in (None, NEW) or field not in data["properties"]:
            raise InputError("pick the field to remove")
        users = [k for k, v in data["properties"].items() if (v.get("x-distribution") or {}).get("by") == field]
        if users or field in json.dumps(data.get("x-rules", [])):
            raise InputError(f"{', '.join(users) or 'a rule'} depends on {field}; change that first")
        data["properties"].pop(field)
        if isinstance(data.get("required"), list):
            data["required"] = [r for r in data["required"] if r != field]
        editor = into_editor(data)
        return (*editor, gr.update(choices=field_choices(editor[0]), value=None), f"Removed **{field}**.")

    remove.click(remove_field, [schema, pick], [schema, template, check, pick, note], api_visibility="private")
