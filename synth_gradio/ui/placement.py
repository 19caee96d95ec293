"""The Generate tab's "Where it runs": this machine, the provider's batch API, or a Ray cluster (offered
only when SYNTH_RAY_ADDRESS is set)."""

from __future__ import annotations

import gradio as gr

from synth_gradio.errors import InputError
from synth_gradio.studio import ExecutorChoice

HERE = "this machine"
BATCH = "provider batch API"
RAY = "Ray cluster"


def build(cluster: str) -> tuple[gr.Radio, gr.Number]:
    with gr.Accordion("Where it runs", open=False):
        ways = [HERE, BATCH, *([RAY] if cluster else [])]
        info = "Batch API: openai_compat providers answer within 24 h at half the price."
        if cluster:
            info += f" Ray cluster at {cluster}: shards of the run on its workers, each with its own backend."
        where = gr.Radio(ways, value=HERE, label="Run on", info=info, elem_id="executor")
        workers = gr.Number(
            0, label="Ray workers (0: one per CPU of the cluster)", precision=0, minimum=0, visible=bool(cluster)
        )
    return where, workers


def choice(cluster: str, where: str | None, workers: float | None) -> tuple[ExecutorChoice | None, bool]:
    """(the executor, whether the run goes through the batch API) for the tab's choice."""
    if where == BATCH:
        return None, True
    if where != RAY:
        return None, False
    if not cluster:
        raise InputError("no Ray cluster is configured: set SYNTH_RAY_ADDRESS (host:port) and restart the app")
    return ExecutorChoice(kind="ray", address=cluster, workers=int(workers) if workers else None), False
