"""Preview 5 (Generate tab): a few records made now and stored nowhere, with the estimated time,
tokens and cost of the whole run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from synth_gradio.studio import GenerationRequest
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded_stream, records_frame
from synth_gradio.ui.inputs import backend_choice

PREVIEW_K = 5


def estimate_text(estimate: dict[str, Any], sentence: str, made: int) -> str:
    lines = [f"**Preview**: {made} records, not stored.", f"**Estimate** for {sentence}."]
    if estimate["accept_rate"] < 1:
        lines.append(f"{estimate['accept_rate']:.0%} of the preview's candidates were accepted; rejects are included.")
    return "\n\n".join(lines)


def wire_preview(
    access: Access,
    button: gr.Button,
    request_from: Callable[..., GenerationRequest],
    inputs: list[Any],
    outputs: list[Any],
) -> None:
    """`inputs`: template, schema, kind, model, base_url, api_key, n, temperature, batch size, seed,
    price in, price out. `outputs`: progress text, records table, estimate JSON."""

    @guarded_stream
    def preview(
        template_name: str,
        schema_text: str,
        kind_: str,
        model_: str,
        base_url_: str,
        api_key_: str,
        n_: float | None,
        temperature_: float,
        batch_size_: float,
        seed_: str | float | None,
        price_in_: float | None = 0,
        price_out_: float | None = 0,
        request: gr.Request = None,
    ) -> Iterator[tuple[str, Any, dict[str, Any] | None]]:
        """Make 5 records now without storing a run, and estimate the time, tokens and cost of N records.

        The speed is measured on one batch of the run's own size (so a preview takes about as long as
        one batch); records are shown as they arrive, the estimate comes last.

        Args:
            template_name: a template from list_templates, or "(custom JSON schema)" to use schema_text.
            schema_text: a JSON schema for one record (used when template_name is "(custom JSON schema)").
            kind_: the backend: "llamacpp" (offline, bundled model), "transformers", "ollama", "hf_inference" or "openai_compat".
            model_: model name or path; empty for the backend's default.
            base_url_: server address for remote backends; empty for the default.
            api_key_: API key for remote backends, used for this call only and never stored.
            n_: the number of records the estimate is for.
            temperature_: sampling temperature, 0 to 2.
            batch_size_: records per batch in the full run.
            seed_: a whole number, or empty for a random one.
            price_in_: USD per million prompt tokens (0: no cost estimate).
            price_out_: USD per million generated tokens (0: no cost estimate).

        Returns:
            A sentence with the estimate, the preview records, and the estimate's numbers (wall_s, records_per_s, tokens, prompt_tokens, cost_usd, load_s).
        """
        studio = access.view(request)
        wanted = request_from(
            studio, template_name, schema_text, n_, temperature_, batch_size_, seed_, price_in_, price_out_
        )
        choice = backend_choice(studio, kind_, model_, base_url_, api_key_)
        yield "**Preview**: making records and measuring the speed of this backend...", gr.update(), None
        for result in studio.preview(wanted, choice, k=PREVIEW_K, stream=True):
            table = records_frame(result.records, hint="The preview made no record")
            if result.estimate is None:
                text = f"**Preview**: {len(result.records)} records so far; measuring the speed for the estimate..."
                yield text, table, None
                continue
            numbers = result.estimate.to_dict()
            yield estimate_text(numbers, result.estimate.sentence(), len(result.records)), table, numbers

    button.click(preview, inputs, outputs, api_name="preview", concurrency_id="generate")
