"""History: publish the selected run to the Hugging Face Hub as a dataset repository."""

from __future__ import annotations

from typing import Any

import gradio as gr

from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded
from synth_gradio.ui.pickers import need_run

NOTE = (
    "Uploads the selected run as a dataset repository: the records as Parquet, `metadata.json` and a dataset "
    "card with the schema, model, parameters and quality. The token is used for this upload only: it is never "
    "stored or logged. Empty: the server's `HF_TOKEN`."
)


def build_publish(access: Access, run_id: Any) -> None:
    with gr.Accordion("Publish to the Hugging Face Hub", open=False):
        gr.Markdown(NOTE)
        with gr.Row():
            repo = gr.Textbox(label="Dataset repository", placeholder="user/name or organization/name", scale=2)
            private = gr.Checkbox(False, label="Private", scale=1)
            token = gr.Textbox(
                label="Hugging Face token (write access)", type="password", placeholder="hf_...", scale=2
            )
            push = gr.Button("Publish", variant="primary", scale=1)
        result = gr.Markdown(label="result", show_label=False)

    @guarded
    def push_to_hub(
        run: float | None, repo_id: str, private_: bool = False, token_: str = "", request: gr.Request = None
    ) -> str:
        """Publish a stored run to the Hugging Face Hub as a dataset repository (Parquet, metadata.json, dataset card).

        Args:
            run: the run id.
            repo_id: the dataset repository, "user/name" or "organization/name"; created when missing.
            private_: create the repository as private.
            token_: a Hugging Face token with write access, used for this upload only and never stored (empty: the server's HF_TOKEN).

        Returns:
            A sentence with the repository's address.
        """
        studio = access.view(request)
        url = studio.push_to_hub(need_run(run), repo_id, token=token_ or None, private=bool(private_))
        return f"Published run {int(run)} to [{url}]({url})."

    push.click(push_to_hub, [run_id, repo, private, token], result, api_name="push_to_hub")
