"""Exporting stored runs: metadata that travels with the data, and train/validation/test splits."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.export import write_records
from synth_gradio.storage.history import History

SPLITS = ("train", "validation", "test")


def run_metadata(run: dict[str, Any]) -> dict[str, Any]:
    """What a consumer of the file needs to know about where the data came from (no secrets)."""
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


def parse_ratios(text: str) -> tuple[float, float, float]:
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        raise InputError(f"split ratios look like 0.8,0.1,0.1; got {text!r}") from None
    if len(parts) != 3 or any(p < 0 for p in parts) or abs(sum(parts) - 1) > 1e-6:
        raise InputError(f"give three non-negative split ratios that add up to 1, got {text!r}")
    return parts[0], parts[1], parts[2]


def split_of(index: int, ratios: tuple[float, float, float], seed: int) -> str:
    """The same record always lands in the same part for a given seed (it is a pure function)."""
    u = random.Random(f"{seed}:{index}").random()
    return "train" if u < ratios[0] else "validation" if u < ratios[0] + ratios[1] else "test"


def export_run(
    history: History,
    run_id: int,
    out: str | Path,
    *,
    split: tuple[float, float, float] | None = None,
    seed: int = 0,
    neutralize_formulas: bool = True,
) -> dict[Path, int]:
    """Write a run (or its three split parts); returns file -> records written."""
    run = history.get_run(run_id)
    meta = run_metadata(run)
    out = Path(out)
    if split is None:
        n = write_records(
            history.iter_records(run["id"]), out, run["schema"], metadata=meta, neutralize_formulas=neutralize_formulas
        )
        return {out: n}
    written = {}
    for part in SPLITS:

        def records(part: str = part) -> Iterator[dict[str, Any]]:
            for i, record in enumerate(history.iter_records(run["id"])):
                if split_of(i, split, seed) == part:
                    yield record

        path = out.with_name(f"{out.stem}.{part}{out.suffix}")
        part_meta = {**meta, "split": {"part": part, "ratios": list(split), "seed": seed}}
        written[path] = write_records(
            records(), path, run["schema"], metadata=part_meta, neutralize_formulas=neutralize_formulas
        )
    return written
