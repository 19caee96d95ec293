"""Describe in words with a capable backend: the library's draft plus the fields the model proposes.

A capable model cannot run here, so its answer comes from the OpenAI-compatible fake (scripted, as a
large model would answer); the bundled model through llama.cpp shows the path end to end offline."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from draft_answers import PROPOSAL, TEXT, answering
from fake_servers import FakeService, Step

from synth_gradio.backends.config import BackendConfig
from synth_gradio.schema.model import load_schema


@pytest.fixture
def capable():
    fake = FakeService("openai", models=["big-model"])
    yield fake
    fake.close()


def test_the_model_adds_the_fields_the_library_lacks_and_valid_ones_only(studio, capable) -> None:
    capable.default = answering(json.dumps(PROPOSAL))
    library = studio.describe(TEXT)
    backend = BackendConfig(kind="openai_compat", model="big-model", base_url=capable.url + "/v1").create()
    drafted = studio.describe(TEXT, backend)
    added = [name for name in drafted.schema["properties"] if name not in library.schema["properties"]]
    assert added == ["plan_name", "data_used_gb", "contract_start"]
    assert drafted.schema["properties"]["plan_name"]["enum"] == ["Basic", "Plus", "Max"]
    assert drafted.schema["properties"]["data_used_gb"]["maximum"] == 200
    assert {k: drafted.schema["properties"][k] for k in library.schema["properties"]} == library.schema["properties"]
    load_schema(drafted.schema)  # the whole draft is a valid schema
    assert drafted.n == 500 and any("big-model added: plan_name" in note for note in drafted.notes)


def test_a_model_that_fails_or_answers_garbage_leaves_the_library_draft_with_a_note(studio, capable) -> None:
    backend = BackendConfig(
        kind="openai_compat", model="big-model", base_url=capable.url + "/v1", api_key="sk-bad-key-123"
    )
    capable.default = Step(status=401, body={"error": {"message": "Incorrect API key provided: sk-bad-key-123"}})
    refused = studio.describe(TEXT, backend.create())
    assert refused.schema == studio.describe(TEXT).schema
    assert "did not draft fields" in refused.notes[-1] and "sk-bad-key-123" not in refused.notes[-1]
    capable.default = answering("I would suggest the following fields: name, plan, ...")
    garbage = studio.describe(TEXT, backend.create())
    assert garbage.schema == studio.describe(TEXT).schema and "proposed no field" in garbage.notes[-1]


def test_the_cli_drafts_with_a_backend(capable, tmp_path) -> None:
    capable.default = answering(json.dumps(PROPOSAL))
    out = tmp_path / "draft.json"
    cli = [sys.executable, "-m", "synth_gradio", "--db", str(tmp_path / "h.db"), "describe", TEXT, "--out", str(out)]
    done = subprocess.run(
        [*cli, "--backend", "openai_compat", "--model", "big-model", "--base-url", capable.url + "/v1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1500:]
    assert "plan_name" in json.loads(out.read_text())["properties"]
    assert "big-model added: plan_name, data_used_gb, contract_start" in done.stderr


@pytest.mark.model
def test_the_bundled_model_drafts_through_llama_cpp_and_the_draft_stays_valid(studio, llama_backend) -> None:
    drafted = studio.describe("300 gym memberships with member name, plan and monthly fee", llama_backend)
    library = studio.describe("300 gym memberships with member name, plan and monthly fee")
    load_schema(drafted.schema)
    assert set(library.schema["properties"]) <= set(drafted.schema["properties"])
    assert "added:" in drafted.notes[-1] or "no field" in drafted.notes[-1] or "did not draft" in drafted.notes[-1]
