"""The masking filter and the handler set-up, on real logging records."""

from __future__ import annotations

import ast
import io
import json
import logging
from pathlib import Path

import pytest

import synth_gradio.logs
from synth_gradio.logs import configure_logging, log_context, redact
from synth_gradio.logs.setup import SynthHandler

PG_URL = "postgresql://synth:Pg-Pass-4417@db.internal:5432/synth"


def lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"cannot connect to {PG_URL}: refused", "Pg-Pass-4417"),
        ("Authorization: Bearer abcdef0123456789xyz", "abcdef0123456789xyz"),
        ("Incorrect API key provided: sk-proj-AbC123dEf456", "AbC123dEf456"),
        ("token hf_AbCdEfGhIjKlMnOpQr rejected", "AbCdEfGhIjKlMnOpQr"),
        ("GET https://api.example/v1/models?key=AIzaSyQ-123&alt=json", "AIzaSyQ-123"),
        ('{"api_key": "plain words secret", "n": 3}', "plain words secret"),
        ("password=hunter2; user=ann", "hunter2"),
    ],
)
def test_redact_masks_each_kind_of_secret(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked
    assert "***" in masked


def test_redact_keeps_ordinary_text() -> None:
    text = "run 3: batch 2 committed, 16 accepted, prompt_tokens=70 tokens=5, the key was rejected"
    assert redact(text) == text
    assert redact(PG_URL) == "postgresql://synth:***@db.internal:5432/synth"  # user and host stay readable


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_postgres_password_is_masked_in_message_extra_and_traceback(fmt: str, restore_root) -> None:
    stream = io.StringIO()
    configure_logging(fmt, "DEBUG", stream=stream)
    log = logging.getLogger("synth_gradio.storage.test")
    log.warning("cannot open %s", PG_URL, extra={"event": "db_error", "url": PG_URL, "db_password": "x-Pg-Pass-4417"})
    try:
        raise RuntimeError(f"connection to {PG_URL} failed")
    except RuntimeError:
        log.exception("unexpected")
    out = stream.getvalue()
    assert "Pg-Pass-4417" not in out
    assert out.count("postgresql://synth:***@db.internal:5432/synth") >= 2  # message, then the traceback
    if fmt == "json":
        first, second = (json.loads(line) for line in lines(stream))
        assert first["url"] == "postgresql://synth:***@db.internal:5432/synth"
        assert first["db_password"] == "***"
        assert first["event"] == "db_error" and first["level"] == "WARNING"
        assert "RuntimeError" in second["exception"]


def test_json_lines_carry_context_and_time_in_utc(restore_root) -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    with log_context(run_id=7, backend="openai_compat", model="m1"):
        logging.getLogger("synth_gradio.engine.x").info("step", extra={"event": "batch_committed", "accepted": 3})
    logging.getLogger("synth_gradio.engine.x").info("outside")
    inside, outside = (json.loads(line) for line in lines(stream))
    assert inside["time"].endswith("+00:00") and "T" in inside["time"]
    assert inside["logger"] == "synth_gradio.engine.x" and inside["message"] == "step"
    assert (inside["run_id"], inside["backend"], inside["model"], inside["accepted"]) == (7, "openai_compat", "m1", 3)
    assert "run_id" not in outside  # the context ended with the block


def test_configuring_again_replaces_the_handler(restore_root, monkeypatch) -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("text", stream=first)
    configure_logging("json", stream=second)
    monkeypatch.setenv("SYNTH_LOG_FORMAT", "json")
    monkeypatch.setenv("SYNTH_LOG_LEVEL", "debug")
    third = io.StringIO()
    configure_logging(stream=third)
    assert sum(isinstance(h, SynthHandler) for h in logging.getLogger().handlers) == 1
    logging.getLogger("synth_gradio.t").debug("once")
    assert first.getvalue() == second.getvalue() == ""
    assert [json.loads(line)["message"] for line in lines(third)] == ["once"]


def test_a_wrong_environment_value_falls_back_with_a_warning(restore_root, monkeypatch) -> None:
    monkeypatch.setenv("SYNTH_LOG_FORMAT", "yaml")
    stream = io.StringIO()
    configure_logging(stream=stream)
    assert "SYNTH_LOG_FORMAT='yaml' is not text or json; using text" in stream.getvalue()


def test_logs_package_imports_only_the_standard_library() -> None:
    """Every layer may import it (tests/test_layout.py), so it must not import any layer back."""
    package = Path(synth_gradio.logs.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("synth_gradio"):
                assert node.module.startswith("synth_gradio.logs"), f"{path.name} imports {node.module}"
