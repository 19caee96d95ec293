"""The Generate tab's front door: four ways in (describe in words, a template, my data, SQL), each
landing in the same editor, and the fields shown as people read them (the JSON sits under Advanced)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import SynthError
from synth_gradio.schema.describe import EXAMPLE
from synth_gradio.schema.friendly import COLUMNS, friendly_rows, rules_in_words
from synth_gradio.schema.model import load_schema
from synth_gradio.studio.sources import pick_table
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded
from synth_gradio.ui.inputs import drafting_backend, into_editor

DESCRIBE, TEMPLATE, MY_DATA, SQL = "Describe in words", "Start from a template", "Learn from my data", "From SQL"
WAYS = [DESCRIBE, TEMPLATE, MY_DATA, SQL]
MY_DATA_NOTE = "Upload a real table under **Learn from your data** below; the new rows follow its patterns."


@dataclass
class FrontDoor:
    ways: gr.Radio
    describe: gr.Column
    words: gr.Textbox
    draft: gr.Button
    templates: gr.Column
    sql_box: gr.Column
    sql: gr.Code
    use_sql: gr.Button
    my_data: gr.Markdown
    note: gr.Markdown


def build() -> FrontDoor:
    """The four ways in; the template picker is placed by the caller inside `templates`."""
    ways = gr.Radio(WAYS, value=DESCRIBE, label="How do you want to start?", elem_id="ways-in")
    with gr.Column(visible=True) as describe:
        words = gr.Textbox(
            label="Describe the records you need",
            placeholder=EXAMPLE,
            lines=2,
            max_lines=8,
            elem_id="describe-box",
        )
        draft = gr.Button("Draft the fields", elem_id="draft-button")
    templates = gr.Column(visible=False)
    with gr.Column(visible=False) as sql_box:
        sql = gr.Code("", language="sql", label="CREATE TABLE statement (PostgreSQL, MySQL or SQLite)", lines=6)
        use_sql = gr.Button("Use this table")
    my_data = gr.Markdown(MY_DATA_NOTE, visible=False)
    note = gr.Markdown(label="draft note", show_label=False)
    return FrontDoor(ways, describe, words, draft, templates, sql_box, sql, use_sql, my_data, note)


def fields_frame(schema_text: str) -> pd.DataFrame:
    """The editor's schema as rows people read: field, kind, settings, description (and its rules)."""
    try:
        data = load_schema(schema_text).json_schema if schema_text and schema_text.strip() else {}
    except SynthError:
        data = {}
    rows = friendly_rows(data) or [["", "", "", "The fields appear here once the schema is valid"]]
    rows += [["(rule)", "", rule, ""] for rule in rules_in_words(data)]
    return pd.DataFrame(rows, columns=COLUMNS)


def wire(
    access: Access, door: FrontDoor, template: Any, schema: Any, check: Any, n: Any, fields: Any, backend: Any
) -> None:
    """Events: switching the way in, drafting from words (the chosen backend adds fields unless it is the
    bundled model), converting SQL; the fields follow the editor."""

    def on_way(way: str) -> tuple[Any, ...]:
        return tuple(gr.update(visible=way == w) for w in WAYS)

    door.ways.change(
        on_way, door.ways, [door.describe, door.templates, door.my_data, door.sql_box], api_visibility="private"
    )

    @guarded
    def describe(text: str, kind: str = "llamacpp", model: str = "", base_url: str = "", api_key: str = "") -> Any:
        """Draft a record schema from a description in words; the count it names becomes N.

        Args:
            text: what the records are, e.g. "500 customer complaints for a telecom company".
            kind: a backend that adds fields to the draft (the bundled llamacpp model does not; any other does).
            model: that backend's model; with llamacpp, a downloaded GGUF drafts too.
            base_url: the backend's server address.
            api_key: its API key, used for this draft only.
        """
        with drafting_backend(access.studio, kind, model, base_url, api_key) as helper:
            draft = access.studio.describe(text, helper)
        fields_count = len(draft.schema["properties"])
        said = f"Drafted **{fields_count} fields** for *{draft.schema['title']}*"
        said += f" and N = {draft.n:,}" if draft.n else ""
        said += ". Check them below, then press **Preview 5** or **Generate**."
        notes = "".join(f"\n- {note}" for note in draft.notes)
        return (*into_editor(draft.schema), draft.n or gr.update(), said + notes)

    asked = [door.words, *backend]
    door.draft.click(describe, asked, [schema, template, check, n, door.note], api_name="describe")
    door.words.submit(describe, asked, [schema, template, check, n, door.note], api_visibility="private")

    @guarded
    def from_sql(text: str) -> tuple[Any, ...]:
        tables = access.studio.parse_ddl(text)
        chosen = pick_table(tables, "")
        others = [t.name for t in tables if t is not chosen]
        said = f"Converted table **{chosen.name}**" + (
            f"; for {', '.join(others)} as well, use *Generate several tables from SQL* below" if others else ""
        )
        return (*into_editor(chosen.schema.json_schema), said)

    door.use_sql.click(from_sql, door.sql, [schema, template, check, door.note], api_visibility="private")
    schema.change(fields_frame, schema, fields, api_visibility="private", trigger_mode="always_last")
