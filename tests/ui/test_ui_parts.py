"""UI pieces without a browser or a model: run pickers, empty-table hints, and failures that keep the page."""

from __future__ import annotations

from collections import Counter

import gradio as gr
import pytest
from fakes import FakeBackend

from synth_gradio.errors import InputError, StorageError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import BatchResult, GenerationRequest
from synth_gradio.ui.common import file_events, records_frame, stream_run
from synth_gradio.ui.pickers import hint_frame, refresh_picker, run_choices, run_label, run_ref

CODED = load_schema({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 10**6}}})


def test_run_refs_accept_plain_ids_and_labels() -> None:
    assert run_ref(12) == 12 and run_ref(12.0) == 12 and run_ref("12") == 12
    assert run_ref("#7 · customer_data · completed · 50 · 2026-01-31 10:22") == 7
    assert run_ref(None) is None and run_ref("") is None and run_ref(0) is None
    with pytest.raises(InputError, match="pick a run"):
        run_ref("customer data")


def test_pickers_list_recent_runs_newest_first_filtered_by_search(studio) -> None:
    for seed, title in ((1, "alpha"), (2, "beta"), (3, "alpha two")):
        list(studio.run(GenerationRequest(schema=CODED, n=2, seed=seed, title=title), FakeBackend([])))
    choices = run_choices(studio)
    assert [c[1] for c in choices] == [3, 2, 1]
    label = choices[0][0]
    assert label.startswith("#3 · alpha two · completed · 2 · ") and len(label.split(" · ")[-1]) == 16
    assert run_label(studio.get_run(2)).startswith("#2 · beta · completed · 2")
    assert [c[1] for c in run_choices(studio, "alpha")] == [3, 1]
    update = refresh_picker(studio, 2, "alpha")  # the selected run is listed even when the search hides it
    assert update["value"] == 2 and [c[1] for c in update["choices"]] == [2, 3, 1]
    assert (
        "value" not in refresh_picker(studio, None, "nothing-matches")
        and not refresh_picker(studio, None, "zz")["choices"]
    )


def test_empty_tables_show_a_hint_not_placeholder_columns() -> None:
    assert list(hint_frame("No runs yet").columns) == ["No runs yet"]
    assert list(records_frame([], hint="Press Generate").columns) == ["Press Generate"]
    assert list(records_frame([{"a": 1}]).columns) == ["a"]


def _result(achieved: int) -> BatchResult:
    return BatchResult(
        run_id=5, batch_index=0, accepted=[{"n": achieved}], rejected=[], achieved=achieved, requested=10,
        candidates=achieved, reject_counts=Counter(), elapsed_s=1.0,
    )  # fmt: skip


def test_a_failure_midway_keeps_the_table_and_says_what_happened() -> None:
    def results():
        yield _result(3)
        raise StorageError("the history database is locked")

    updates = list(stream_run(5, results()))
    assert len(updates[1][3]) == 1  # the records table after the first batch
    run_id, progress, counts, table = updates[-1]
    assert run_id == 5 and "the history database is locked" in progress and "3 records made so far are kept" in progress
    assert counts == gr.update() and table == gr.update()


def test_a_failed_download_is_a_sentence_on_the_page_and_an_error_for_the_api() -> None:
    def broken(run: float | None, fmt: str) -> str:
        raise StorageError("cannot write the export folder")

    with gr.Blocks() as demo:
        run, fmt, button, out, note = gr.Number(1), gr.Textbox("csv"), gr.Button(), gr.File(), gr.Markdown()
        file_events(button, broken, [run, fmt], out, note, "download")
    page = next(f.fn for f in demo.fns.values() if f.fn is not None and f.fn.__name__ == "for_page")
    api = next(f for f in demo.fns.values() if f.api_name == "download")
    kept, sentence = page(1, "csv")
    assert kept == gr.update() and sentence == "The file could not be made: cannot write the export folder"
    with pytest.raises(gr.Error, match="cannot write the export folder"):
        api.fn(1, "csv")


def test_with_a_reference_realism_leads_the_quality_tab_and_validity_sits_beneath(studio, tmp_path) -> None:
    from sklearn.datasets import load_iris

    from synth_gradio.ui.quality import lead_text, score_text

    reference = tmp_path / "iris.csv"
    load_iris(as_frame=True).frame.to_csv(reference, index=False)
    learned = studio.resolve_schema(reference=reference, seed=2)
    run = list(
        studio.run(GenerationRequest(schema=learned.schema, n=120, seed=2, learned=learned.learned), FakeBackend([]))
    )
    report = studio.quality_report(run[-1].run_id, reference)
    text = lead_text(report)
    assert text.startswith(f"## Realism against your data: {report['realism']['score']} / 100\n")
    beneath = f"### Beneath it, validity of the records. Quality score: {report['score']['score']} / 100"
    assert beneath in text and text.index(beneath) > 0
    alone = studio.quality_report(run[-1].run_id)
    assert lead_text(alone) == score_text(alone) and lead_text(alone).startswith("## Quality score: ")


def test_the_generate_tab_shows_no_run_box_until_a_run_exists(studio) -> None:
    from synth_gradio.ui.app import build_app

    demo = build_app(studio)
    boxes = [b for b in demo.blocks.values() if isinstance(b, gr.Number) and b.label == "Run"]
    assert len(boxes) == 1 and boxes[0].visible is False
    results = studio.run(GenerationRequest(schema=CODED, n=2, seed=1), FakeBackend([]))
    first = next(stream_run(7, results, show_run=True))[0]
    assert isinstance(first, gr.Number) and first.visible is True and first.value == 7
    assert next(stream_run(7, iter([])))[0] == 7  # History's hidden run id stays a plain number
