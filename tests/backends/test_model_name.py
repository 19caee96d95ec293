"""The model name on OpenAI-compatible servers: one listed model is used when the name is empty or unknown."""

from __future__ import annotations

import logging

import pytest
from fake_servers import FakeService

from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import BackendNotFoundError
from synth_gradio.schema.model import load_schema

SCHEMA = load_schema(
    {"type": "object", "properties": {"bio": {"type": "string", "description": "a short bio"}}, "required": ["bio"]}
)
ONLY = "gemma-3-270m-it"


@pytest.fixture
def server():
    service = FakeService("openai", models=[ONLY])
    yield service
    service.close()


def test_an_unlisted_name_uses_the_only_listed_model_with_a_warning(server, caplog) -> None:
    backend = OpenAICompatBackend(model="gpt-4o-mini", base_url=server.url + "/v1", mode="json_object")
    with caplog.at_level(logging.WARNING, logger="synth_gradio.backends.openai_compat"):
        assert backend.resolve_model() == ONLY
    assert "'gpt-4o-mini' is not listed" in caplog.text and ONLY in caplog.text
    assert "using 'gemma-3-270m-it'" in backend.notice
    backend.close()


def test_an_empty_name_picks_the_only_listed_model_and_the_run_stores_it(server, studio) -> None:
    backend = OpenAICompatBackend(model="", base_url=server.url + "/v1", mode="json_object")
    final = list(studio.run(GenerationRequest(schema=SCHEMA, n=2, seed=1, batch_size=2), backend))[-1]
    assert final.status == "completed"
    assert {p["model"] for p in server.chat_requests()} == {ONLY}
    assert studio.get_run(final.run_id)["model"] == ONLY
    assert backend.notice == ""  # nothing was replaced: no name was given


def test_an_empty_name_with_several_models_names_them(server) -> None:
    server.models = [ONLY, "qwen2.5-0.5b"]
    backend = OpenAICompatBackend(model="", base_url=server.url + "/v1")
    with pytest.raises(BackendNotFoundError, match=r"needs a model name.*qwen2\.5-0\.5b"):
        backend.resolve_model()
    backend.close()


def test_a_listed_name_is_kept(server) -> None:
    backend = OpenAICompatBackend(model=ONLY, base_url=server.url + "/v1")
    assert backend.resolve_model() == ONLY and backend.notice == ""
    backend.close()
