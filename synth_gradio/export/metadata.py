"""The provenance that travels with an exported file (Parquet metadata or a .meta.json sidecar)."""

from __future__ import annotations

from typing import Any


def run_metadata(run: dict[str, Any]) -> dict[str, Any]:
    """What a consumer of the file needs to know about where the data came from (no secrets).

    `run` is a stored run as a plain dict, so this works with any storage.
    """
    quality = run.get("quality") or {}
    return {
        "generator": "synth_gradio",
        "run_id": run["id"],
        "created_at": run["created_at"],
        "title": run["title"],
        "template": run["template"],
        "template_version": run["template_version"],
        "backend": run["backend"],
        "model": run["model"],
        "parameters": run["params"],
        "strategies": run["strategies"],
        "schema": run["schema"],
        "quality": {
            "score": quality.get("score"),
            "validity_rate": (quality.get("metrics") or {}).get("validity_rate"),
        },
        "status": run["status"],
    }
