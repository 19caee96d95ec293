"""Seconds from a Preview click to the first records on the page, from a warm app (prints figures).

    python bench/preview_latency.py [--rounds 3]

Launches the app on the bundled model, warms it with one preview, then for each schema (a built-in
template with model-written text, one drawn in code, and a schema described in words) submits
/preview through gradio_client as the page does and times the first streamed update that holds a
record, and the whole preview. Target (issue 24): first records within 10 s of the click.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CUSTOM = "(custom JSON schema)"


def first_records_s(client, template: str, schema_text: str) -> tuple[float, float]:
    args = [template, schema_text, "llamacpp", "", "", "", 50, 1.0, 32, "7"]
    t0 = time.perf_counter()
    job = client.submit(*args, api_name="/preview")
    first = None
    for _text, table, _estimate in job:
        rows = table.get("data") if isinstance(table, dict) else None
        if first is None and rows and any(str(v).strip() for v in rows[0]):
            first = time.perf_counter() - t0
    return first or float("nan"), time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from gradio_client import Client

    import app as app_module
    from synth_gradio.schema.describe import draft_schema
    from synth_gradio.settings import Settings

    settings = Settings(db_path=Path(tempfile.mkdtemp()) / "history.db")
    demo = app_module.create(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = app_module.launch_options(app_module.parse_args([]), settings, demo)
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
    described = json.dumps(draft_schema("customer complaints for a telecom company").schema)
    cases = [("support_tickets", "support_tickets", ""), ("customer_data", "customer_data", ""),
             ("described complaints", CUSTOM, described)]  # fmt: skip
    try:
        warm = first_records_s(client, "customer_data", "")
        print(json.dumps({"warm_up_first_s": round(warm[0], 2), "warm_up_total_s": round(warm[1], 2)}), flush=True)
        for name, template, text in cases:
            got = [first_records_s(client, template, text) for _ in range(args.rounds)]
            print(json.dumps({"schema": name, "first_records_s": [round(g[0], 2) for g in got],
                              "whole_preview_s": [round(g[1], 2) for g in got]}), flush=True)  # fmt: skip
    finally:
        demo.close()


if __name__ == "__main__":
    main()
