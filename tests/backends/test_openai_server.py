"""openai_compat against a real OpenAI-compatible server: llama-cpp-python's, serving the bundled model.

That server answers `response_format: json_schema` with HTTP 500 and honours
`{"type": "json_object", "schema": ...}` as a grammar, and it answers for any model name; the
backend has to detect all of this.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.llama_process import llama_server

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[2]
SCHEMA = {
    "title": "City",
    "type": "object",
    "properties": {
        "city": {"type": "string", "maxLength": 40, "description": "a real city name", "x-strategy": "model"},
        "country": {"type": "string", "enum": ["FR", "DE", "JP", "BR", "US"]},
        "population": {"type": "integer", "minimum": 1000, "maximum": 20000000},
    },
    "required": ["city", "country", "population"],
    "examples": [
        {"city": "Lyon", "country": "FR", "population": 522000},
        {"city": "Osaka", "country": "JP", "population": 2750000},
        {"city": "Porto Alegre", "country": "BR", "population": 1330000},
    ],
}


@pytest.fixture(scope="module")
def server():
    with llama_server() as url:
        yield url


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SYNTH_DB_PATH": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "synth_gradio", *args], capture_output=True, text=True, env=env, timeout=600, cwd=ROOT
    )


def test_models_are_listed(server, tmp_path) -> None:
    proc = cli("models", "--backend", "openai_compat", "--base-url", server, db=tmp_path / "h.db")
    assert proc.returncode == 0 and proc.stdout.split() == ["gemma-270m"]


def test_five_valid_records_through_the_cli(server, tmp_path) -> None:
    schema = tmp_path / "city.json"
    schema.write_text(json.dumps(SCHEMA))
    out = tmp_path / "cities.jsonl"
    proc = cli(
        "generate",
        "--schema",
        str(schema),
        "-n",
        "5",
        "--backend",
        "openai_compat",
        "--base-url",
        server,
        "--model",
        "gemma-270m",
        "--concurrency",
        "2",
        "--seed",
        "3",
        "--out",
        str(out),
        "--quiet",
        db=tmp_path / "h.db",
    )
    assert proc.returncode == 0, proc.stderr
    from synth_gradio.schema.model import load_schema

    validator = load_schema(SCHEMA).validator
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 5 and all(validator.is_valid(r) for r in rows)
    assert len({json.dumps(r, sort_keys=True) for r in rows}) == 5


def test_an_unlisted_model_name_uses_the_only_served_model_with_a_warning(server, tmp_path) -> None:
    # llama.cpp's server answers for any name and lists one model: the listed one is used, with a warning
    proc = cli(
        "generate",
        "--template",
        "user_profile",
        "-n",
        "2",
        "--backend",
        "openai_compat",
        "--base-url",
        server,
        "--model",
        "gpt-4o",
        "--quiet",
        db=tmp_path / "h.db",
    )
    assert proc.returncode == 0, proc.stderr
    assert "model 'gpt-4o' is not listed at" in proc.stderr and "using 'gemma-270m'" in proc.stderr
    shown = json.loads(cli("history", "show", "1", "--json", db=tmp_path / "h.db").stdout)
    assert shown["model"] == "gemma-270m" and shown["achieved"] == 2
    assert "Traceback" not in proc.stderr
