"""The Quality tab's section for related tables: a job's tables against the real ones they were learned from."""

from __future__ import annotations

from typing import Any

import gradio as gr

from synth_gradio.errors import InputError
from synth_gradio.studio import related as relating
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded
from synth_gradio.ui.related import FILE_TYPES


def build(access: Access) -> None:
    with gr.Accordion("Related tables: compare a job with the real tables it learned from", open=False):
        with gr.Row():
            job = gr.Textbox(label="Job id (shown when related tables are done)", placeholder="a1b2c3d4e5f6")
            files = gr.File(label="The real tables", file_types=FILE_TYPES, file_count="multiple", type="filepath")
            go = gr.Button("Compare the tables")
        summary = gr.Markdown(label="summary", show_label=False)
        raw = gr.JSON(label="Report (JSON)", visible=False)

    @guarded
    def compare_tables(group: str, paths: list[str] | None, request: gr.Request = None) -> tuple[str, Any]:
        """A related job against its real tables: similarity per table, children per parent, parent-child trends,
        and for sequences lag-1 autocorrelation, constant columns, transitions and privacy per entity.

        Args:
            group: the job id generate_related returned.
            paths: the real tables the job was learned from (several files, a workbook or a SQLite file).

        Returns:
            The findings as text (each target with its worst case) and the full report as JSON.
        """
        if not (group or "").strip():
            raise InputError("give the job id (it is shown when related tables are done)")
        if not paths:
            raise InputError("upload the real tables the job was learned from")
        report = access.view(request).quality_tables(group.strip(), paths)
        return "\n".join(f"- {line}" for line in relating.family_lines(report)), report

    go.click(compare_tables, [job, files], [summary, raw], api_name="compare_tables")
