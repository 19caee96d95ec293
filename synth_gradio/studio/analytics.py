"""Analytics over the stored runs: volume per day, most-used templates, speed and score per model over
time, tokens and cost per backend and month. Plain numbers (lists of dicts) for charts, the API and the CLI.

One pass over the history, read in pages of summary rows, so a long history costs one scan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from synth_gradio.storage.history import History

PAGE = 500
TOP_TEMPLATES = 10
LOCAL_BACKENDS = ("llamacpp", "transformers")


def iter_runs(history: History, since: dt.datetime | None = None) -> Any:
    """Every stored run (newest first), page by page."""
    offset = 0
    while True:
        page = history.list_runs(since=since, limit=PAGE, offset=offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def run_cost(run: dict[str, Any]) -> float | None:
    """USD for a run: stored usage when the run kept it, else from its prices and tokens; 0 for local models."""
    usage = (run.get("quality") or {}).get("usage") or {}
    if usage.get("cost_usd") is not None:
        return float(usage["cost_usd"])
    params = run.get("params") or {}
    price_in, price_out = params.get("price_in"), params.get("price_out")
    if price_in is None and price_out is None:
        return 0.0 if run["backend"] in LOCAL_BACKENDS else None
    prompt = usage.get("prompt_tokens") or 0
    return round((prompt * (price_in or 0) + (run.get("tokens") or 0) * (price_out or 0)) / 1e6, 6)


def compute(history: History, since: dt.datetime | None = None) -> dict[str, Any]:
    """{totals, per_day, templates, models, usage}: see the module docstring."""
    days: dict[str, dict[str, int]] = defaultdict(lambda: {"runs": 0, "records": 0})
    templates: dict[str, dict[str, int]] = defaultdict(lambda: {"runs": 0, "records": 0})
    models: dict[tuple[str, str], dict[str, float]] = defaultdict(
        lambda: {"runs": 0, "records": 0, "seconds": 0.0, "score_sum": 0.0, "scored": 0}
    )
    usage: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"runs": 0, "tokens": 0, "prompt_tokens": 0, "cost_usd": 0.0, "priced": 0}
    )
    totals = {"runs": 0, "records": 0, "tokens": 0, "cost_usd": 0.0}
    for run in iter_runs(history, since):
        day, month = run["created_at"][:10], run["created_at"][:7]
        records = int(run["achieved"] or 0)
        totals["runs"] += 1
        totals["records"] += records
        totals["tokens"] += int(run.get("tokens") or 0)
        days[day]["runs"] += 1
        days[day]["records"] += records
        name = run.get("template") or "(custom schema)"
        templates[name]["runs"] += 1
        templates[name]["records"] += records
        model = models[(day, f"{run['backend']}:{run['model']}")]
        model["runs"] += 1
        if run.get("duration_s") and records:
            model["records"] += records
            model["seconds"] += float(run["duration_s"])
        score = ((run.get("quality") or {}).get("score") or {}).get("score")
        if score is not None:
            model["score_sum"] += float(score)
            model["scored"] += 1
        spent = usage[(month, run["backend"])]
        spent["runs"] += 1
        spent["tokens"] += int(run.get("tokens") or 0)
        spent["prompt_tokens"] += int(((run.get("quality") or {}).get("usage") or {}).get("prompt_tokens") or 0)
        cost = run_cost(run)
        if cost is not None:
            spent["cost_usd"] += cost
            spent["priced"] += 1
            totals["cost_usd"] += cost
    totals["cost_usd"] = round(totals["cost_usd"], 6)
    return {
        "totals": totals,
        "per_day": [{"day": d, **v} for d, v in sorted(days.items())],
        "templates": [
            {"template": t, **v}
            for t, v in sorted(templates.items(), key=lambda kv: (-kv[1]["runs"], -kv[1]["records"], kv[0]))
        ][:TOP_TEMPLATES],
        "models": [_model_row(day, name, v) for (day, name), v in sorted(models.items())],
        "usage": [
            {
                "month": m,
                "backend": b,
                "runs": u["runs"],
                "tokens": u["tokens"],
                "prompt_tokens": u["prompt_tokens"],
                "cost_usd": round(u["cost_usd"], 6) if u["priced"] else None,
            }
            for (m, b), u in sorted(usage.items())
        ],
    }


def _model_row(day: str, name: str, v: dict[str, float]) -> dict[str, Any]:
    return {
        "day": day,
        "model": name,
        "runs": int(v["runs"]),
        "records_per_s": round(v["records"] / v["seconds"], 3) if v["seconds"] else None,
        "score": round(v["score_sum"] / v["scored"], 1) if v["scored"] else None,
    }
