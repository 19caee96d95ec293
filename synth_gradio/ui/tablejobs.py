"""Streaming a job of several tables into a status line and downloads (SQL tables or learned related tables).

One place for both: progress per table, then a zip of CSV files, a workbook with a sheet per table
and a SQLite file, with what was kept said plainly when a table stopped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from synth_gradio.export import write_tables
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded

DOWNLOADS = ("tables.zip", "tables.xlsx", "tables.sqlite")


def stream_tables(
    access: Access,
    files: gr.File,
    group: str,
    events: Iterator[tuple[str, Any, dict[str, Any]]],
    schemas: dict[str, dict[str, Any]],
    request: gr.Request | None,
    start: str,
) -> Iterator[tuple[Any, ...]]:
    """Yield (job id, status sentence, downloads or None) while the job runs and once it ends."""
    results: dict = {}
    yield group, start, None
    try:
        for table, batch, results in events:  # noqa: B007 - results is read after the loop
            yield group, f"**{table}**: {batch.achieved}/{batch.requested} ({batch.status})", None
    finally:
        events.close()  # a closed tab or a cancelled call stops the job; finished records stay stored
    if not results:
        return
    folder = Path(tempfile.mkdtemp(prefix="synth_tables_"))
    data = {name: r.records for name, r in results.items()}
    paths = [folder / name for name in DOWNLOADS]
    for path in paths:
        write_tables(data, path, schemas)
    done = ", ".join(f"{name} {len(rows)}" for name, rows in data.items())
    failed = [name for name, r in results.items() if r.last is None or r.last.status != "completed"]
    if failed:
        last = results[failed[0]].last
        reason = (last.error if last else None) or "stopped"
        message = f"Stopped at {failed[0]} ({reason}); kept: {done}"
    else:
        message = f"Done: {done} (job {group})"
    yield group, message, [access.files.keep(files, p, request) for p in paths]


def wire_stop(access: Access, stop: gr.Button, job: gr.Textbox, status: gr.Markdown, api_name: str) -> None:
    """The Stop button of a table job: cancels the job by its id, keeping finished tables."""

    @guarded
    def cancel(group: str, request: gr.Request = None) -> str:
        """Stop a multi-table generation after its current batch; finished tables are kept.

        Args:
            group: the job id the generation returned.
        """
        if group and access.view(request).cancel(group):
            return "Stopping after the current batch; finished tables are kept."
        return "No table generation is running."

    cancel.__name__ = api_name
    stop.click(cancel, job, status, api_name=api_name, queue=False)
