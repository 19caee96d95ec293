"""Structured output on OpenAI-compatible servers: a server fault never turns it off, a refusal does.

The fake follows the chat completions API (tests/fake_servers.py): POST /v1/chat/completions with
`response_format` {"type": "json_schema", "json_schema": {...}} or {"type": "json_object"}; errors
are {"error": {"message", "type"}} with an HTTP status.
"""

from __future__ import annotations

import itertools

import pytest
from fake_servers import FakeService, Step

from synth_gradio.backends.http import RetryPolicy
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.schema.model import load_schema

MODEL = "meta-llama/Llama-3.1-8B-Instruct"
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)
SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {
            "bio": {"type": "string", "description": "a short bio"},
            "level": {"type": "integer", "minimum": 1, "maximum": 3},
        },
        "required": ["bio", "level"],
    }
)
SERVER_FAULT = {"error": {"message": "Internal server error", "type": "server_error"}}


class EverySecondFails(FakeService):
    """Answers 500 to every second chat request (the first one too when `first_fails`)."""

    def __init__(self, first_fails: bool) -> None:
        super().__init__("openai", models=[MODEL])
        self._posts = itertools.count(1 if first_fails else 0)

    def next_step(self, method: str) -> Step:
        if method == "GET":
            return self.get_step
        return Step(500, SERVER_FAULT) if next(self._posts) % 2 else Step()


@pytest.fixture
def router():
    service = FakeService("openai", models=[MODEL])
    yield service
    service.close()


def formats(service: FakeService) -> list[str | None]:
    return [(p.get("response_format") or {}).get("type") for p in service.chat_requests()]


def run(backend: OpenAICompatBackend, n: int, batch_size: int = 4):
    return list(generate(GenerationRequest(schema=SCHEMA, n=n, seed=1, batch_size=batch_size), backend))


@pytest.mark.parametrize("first_fails", [True, False])
def test_a_500_on_every_second_request_keeps_constrained_output(first_fails: bool) -> None:
    server = EverySecondFails(first_fails)
    try:
        backend = OpenAICompatBackend(model=MODEL, base_url=server.url + "/v1", retry=FAST)
        results = run(backend, n=12)
    finally:
        server.close()
    final = results[-1]
    assert final.status == "completed" and final.achieved == 12, final.error
    assert backend.mode == "json_schema" and backend.capabilities.constrained
    sent = formats(server)
    assert sent.count(None) == 0 and set(sent) == {"json_schema"}
    assert len(sent) > 12  # the 500s were retried, in the same mode


def test_a_server_that_always_fails_keeps_the_mode_and_reports_the_fault(router) -> None:
    router.default = Step(500, SERVER_FAULT)
    backend = OpenAICompatBackend(
        model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1, breaker_threshold=2
    )
    final = run(backend, n=3, batch_size=1)[-1]
    assert final.status == "failed" and "HTTP 500" in final.error and "failed requests in a row" in final.error
    assert backend.mode == "json_schema"  # the request without response_format failed too: not the mode's fault


def test_a_refusal_that_names_the_mode_steps_down_one_level_at_a_time(router) -> None:
    router.then(
        Step(400, {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request"}}),
        Step(422, {"error": "json_object is not supported by this model"}),
    )
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1)
    final = run(backend, n=3, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "prompt"
    assert not backend.capabilities.constrained
    assert formats(router)[:3] == ["json_schema", "json_object", None]


def test_a_refusal_is_logged_without_the_server_echoing_the_schema(router, caplog) -> None:
    """A server's refusal may quote the schema (an enum value, a description): the log keeps only the status."""
    secret = "Project Nightingale payroll"
    echo = {"error": {"message": f"response_format json_schema rejected: enum '{secret}' unsupported", "type": "x"}}
    router.then(Step(400, echo))
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1)
    with caplog.at_level("WARNING"):
        final = run(backend, n=2, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "json_object"
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused and all("HTTP 400" in m and secret not in m for m in refused)
    assert secret not in caplog.text


def test_a_500_naming_the_mode_steps_down_only_after_the_plain_request_succeeds(router) -> None:
    router.then(Step(500, {"error": "json_schema: grammar compilation failed"}))
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1)
    final = run(backend, n=2, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "json_object"
    assert formats(router)[:3] == ["json_schema", None, "json_object"]  # the probe had no response_format


def test_once_a_mode_has_answered_a_5xx_naming_it_is_only_retried(router) -> None:
    router.then(Step(), Step(503, {"error": "response_format handler overloaded"}))
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1)
    final = run(backend, n=3, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "json_schema"
    assert set(formats(router)) == {"json_schema"}


def test_a_bare_400_is_checked_with_the_same_request_without_response_format(router) -> None:
    router.then(Step(400, {"error": "Bad Request"}))
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1)
    final = run(backend, n=2, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "json_object"
    assert formats(router)[:3] == ["json_schema", None, "json_object"]
