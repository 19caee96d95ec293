"""The dataset card (README.md) of a run published to the Hugging Face Hub: schema, model, parameters, quality."""

from __future__ import annotations

import json
from typing import Any

DATA_FILE = "data/train-00000-of-00001.parquet"


def size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "n>1M"


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def schema_table(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required") or [])
    lines = ["| field | type | required | description |", "| --- | --- | --- | --- |"]
    for name, node in (schema.get("properties") or {}).items():
        kind = node.get("type") or ("enum" if "enum" in node else "any")
        if "enum" in node:
            kind = f"{kind}: {', '.join(map(str, node['enum'][:8]))}" + (" ..." if len(node["enum"]) > 8 else "")
        lines.append(
            f"| `{name}` | {_cell(kind)} | {'yes' if name in required else 'no'} | {_cell(node.get('description', ''))} |"
        )
    return lines


def quality_lines(quality: dict[str, Any] | None) -> list[str]:
    if not quality or not quality.get("score"):
        return ["No quality report was stored for this run."]
    score = quality["score"]
    metrics = quality.get("metrics") or {}
    lines = [
        f"Quality score **{score['score']} / 100** (synth_gradio's score: validity, uniqueness, diversity, coherence, ...).",
        "",
    ]
    lines += ["| component | value |", "| --- | --- |"]
    lines += [f"| {name} | {value:.3f} |" for name, value in (score.get("components") or {}).items()]
    if metrics:
        lines += [
            "",
            f"Validity rate {metrics.get('validity_rate', 0):.1%}, duplicate rate {metrics.get('duplicate_rate', 0):.1%}.",
        ]
    for sentence in (score.get("pulled_down_by") or [])[:5]:
        lines.append(f"- {sentence}")
    return lines


def dataset_card(run: dict[str, Any], repo_id: str) -> str:
    """README.md with YAML front matter the Hub reads (data files, size, tags) and a readable body."""
    title = run.get("template") or run.get("title") or f"run {run['id']}"
    params = {k: v for k, v in (run.get("params") or {}).items() if v is not None and k != "base_url"}
    front = [
        "---",
        "tags:",
        "- synthetic",
        "- synth_gradio",
        f"size_categories:\n- {size_category(int(run['achieved']))}",
        "configs:",
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        f"    path: {DATA_FILE}",
        "---",
    ]
    body = [
        f"# {repo_id.split('/')[-1]}",
        "",
        f"Synthetic records made with synth_gradio from **{title}**"
        + (f" (template version {run['template_version']})" if run.get("template_version") else "")
        + ". Every record is generated: none is a real person or transaction.",
        "",
        "## Generation",
        "",
        "| | |",
        "| --- | --- |",
        f"| backend | `{run['backend']}` |",
        f"| model | `{_cell(run['model'])}` |",
        f"| records | {run['achieved']} of {run['requested']} requested ({run['status']}) |",
        f"| created | {run['created_at']} UTC |",
        f"| run time | {run.get('duration_s', 0):.1f} s |",
        f"| parameters | `{_cell(params)}` |",
        "",
        "## Schema",
        "",
        *schema_table(run.get("schema") or {}),
        "",
        "## Quality",
        "",
        *quality_lines(run.get("quality")),
        "",
        "## Files",
        "",
        f"- `{DATA_FILE}`: the records (the schema and run metadata are also in the Parquet key-value metadata)",
        "- `metadata.json`: schema, template, backend, model, parameters, strategies and quality",
        "",
    ]
    return "\n".join(front + body)
