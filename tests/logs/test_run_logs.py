"""A real CLI run that logs, in both formats: events with the run's fields, and nothing secret.

The fake OpenAI-compatible server answers the first request with 429 and Retry-After, then valid
records; the API key and a string in every record are planted, and must appear in neither format.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_servers import FakeService, Step

import app as app_module
from synth_gradio.backends.base import CompletionRequest
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.logs import configure_logging, log_context

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-test-PLANTED-SECRET-123"
PLANTED = "PLANTED-RECORD-CONTENT-7f3a"
MODEL = "fake-chat-1"


class PlantingService(FakeService):
    """The shared fake, with the planted string in every record it writes."""

    def answer(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = super().answer(payload)
        message = body["choices"][0]["message"]
        message["content"] = message["content"].replace("from the fake server", f"by {PLANTED}")
        return body


@pytest.fixture
def server():
    service = PlantingService("openai", models=[MODEL])
    yield service
    service.close()


def generate(server: FakeService, tmp_path: Path, fmt: str, flag: list[str]) -> subprocess.CompletedProcess:
    schema = tmp_path / "schema.json"
    schema.write_text(
        json.dumps(
            {
                "type": "object",
                "properties": {
                    "note": {"type": "string", "description": "a short note about the account"},
                    "tier": {"enum": [PLANTED]},
                },
                "required": ["note", "tier"],
            }
        )
    )
    server.then(Step(429, {"error": {"message": "slow down"}}, {"Retry-After": "0.2"}))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SYNTH_DB_PATH": str(tmp_path / f"{fmt}.db"),
        "SYNTH_LOG_FORMAT": fmt,
        "SYNTH_LOG_LEVEL": "DEBUG",  # everything, third-party lines included, goes through the mask
        "PLANTED_KEY": SECRET,
    }
    args = [*flag, "generate", "--schema", str(schema), "-n", "6", "--backend", "openai_compat", "--model", MODEL]
    args += [
        "--base-url",
        f"{server.url}/v1",
        "--api-key-env",
        "PLANTED_KEY",
        "--concurrency",
        "2",
        "--batch-size",
        "3",
    ]
    args += ["--quiet", "--out", str(tmp_path / f"{fmt}.jsonl")]
    return subprocess.run(
        [sys.executable, "-m", "synth_gradio", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def test_json_logs_carry_run_events_and_no_secret_or_record(server: FakeService, tmp_path: Path) -> None:
    proc = generate(server, tmp_path, "json", [])
    assert proc.returncode == 0, proc.stderr
    assert PLANTED in (tmp_path / "json.jsonl").read_text()  # the records really hold the planted string
    sent = [headers.get("Authorization") for _, _, headers in server.requests]
    assert f"Bearer {SECRET}" in sent  # the key really was used
    logs = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    others = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("{")]
    assert others == [line for line in others if line.startswith(("wrote ", "run 1:"))]  # CLI summary lines only
    for entry in logs:
        assert {"time", "level", "logger", "message"} <= entry.keys()
    events = {e.get("event"): e for e in logs}
    retry, started, finished = events["backend_retry"], events["run_started"], events["run_finished"]
    assert (retry["run_id"], retry["backend"], retry["model"]) == (1, "openai_compat", MODEL)
    assert retry["reason"] == "HTTP 429" and retry["wait_s"] >= 0.2 and retry["attempt"] == 1
    batches = [e for e in logs if e.get("event") == "batch_committed"]
    assert batches and all((b["run_id"], b["backend"], b["model"]) == (1, "openai_compat", MODEL) for b in batches)
    assert [b["batch_index"] for b in batches] == list(range(len(batches)))
    assert sum(b["accepted"] for b in batches) == 6 and batches[-1]["achieved"] == batches[-1]["requested"] == 6
    assert started["requested"] == 6 and finished["status"] == "completed" and finished["duration_s"] > 0
    assert SECRET not in proc.stderr and "PLANTED-SECRET" not in proc.stderr
    assert PLANTED not in proc.stderr


def test_a_rejected_key_is_one_backend_error_event_without_the_key(server: FakeService, restore_root) -> None:
    # Real servers echo the key they reject ("Incorrect API key provided: sk-...").
    server.default = Step(401, {"error": {"message": f"Incorrect API key provided: {SECRET}"}})
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    backend = OpenAICompatBackend(model=MODEL, base_url=f"{server.url}/v1", api_key=SECRET, concurrency=2)
    try:
        with log_context(run_id=42):
            done = backend.complete(CompletionRequest(prefix="Make a record.\n", suffixes=["Record:"] * 3))
    finally:
        backend.close()
    assert all(c.error is not None for c in done)
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    errors = [e for e in events if e.get("event") == "backend_error"]
    assert errors and errors[0]["reason"] == "HTTP 401" and errors[0]["fatal"] is True
    assert (errors[0]["run_id"], errors[0]["backend"], errors[0]["model"]) == (42, "openai_compat", MODEL)
    assert not [e for e in events if e.get("event") == "backend_retry"]  # a bad key is not retried
    assert SECRET not in stream.getvalue()


def test_app_takes_the_log_format_option() -> None:
    assert app_module.parse_args(["--log-format", "json"]).log_format == "json"
    assert app_module.parse_args([]).log_format is None  # then SYNTH_LOG_FORMAT decides


def test_text_logs_read_as_sentences_and_hold_no_secret_or_record(server: FakeService, tmp_path: Path) -> None:
    proc = generate(server, tmp_path, "json", ["--log-format", "text"])  # the option wins over the variable
    assert proc.returncode == 0, proc.stderr
    assert PLANTED in (tmp_path / "json.jsonl").read_text()
    assert "openai_compat request failed (HTTP 429); retry in " in proc.stderr
    assert "run 1: batch 0 committed" in proc.stderr and "run 1 completed: 6/6 records" in proc.stderr
    assert not any(line.startswith("{") for line in proc.stderr.splitlines())
    assert SECRET not in proc.stderr and "PLANTED-SECRET" not in proc.stderr
    assert PLANTED not in proc.stderr
