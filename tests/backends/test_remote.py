"""Remote backends against local fakes that follow the Ollama and HF router APIs."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from fake_servers import FakeService, Step

from synth_gradio.backends.base import Completion, CompletionRequest
from synth_gradio.backends.hf_inference import HFInferenceBackend
from synth_gradio.backends.http import AdaptiveLimiter, RetryPolicy, parse_retry_after
from synth_gradio.backends.ollama import OllamaBackend
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.backends.registry import list_models
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import (
    BackendAuthError,
    BackendCircuitOpenError,
    BackendError,
    BackendNotFoundError,
    BackendQuotaError,
    BackendRateLimitError,
    BackendRequestError,
    BackendResponseError,
    BackendServerError,
    BackendTimeoutError,
    BackendUnreachableError,
    InputError,
)
from synth_gradio.schema.model import load_schema

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
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def ollama():
    service = FakeService("ollama")
    yield service
    service.close()


@pytest.fixture
def router():
    service = FakeService("openai", models=["meta-llama/Llama-3.1-8B-Instruct"])
    yield service
    service.close()


def run(backend, n: int = 4, studio=None, batch_size: int = 4):
    request = GenerationRequest(schema=SCHEMA, n=n, seed=1, batch_size=batch_size)
    return list(studio.run(request, backend) if studio is not None else generate(request, backend))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def complete_one(backend) -> Completion:
    """One record straight through the backend, so a test sees the Completion and its error."""
    request = CompletionRequest(prefix="Make a record.\n", suffixes=["Record:"], json_schema=SCHEMA_JSON)
    (completion,) = backend.complete(request)
    return completion


SCHEMA_JSON = {"type": "object", "properties": {"bio": {"type": "string"}}, "required": ["bio"]}
MODEL = "meta-llama/Llama-3.1-8B-Instruct"


def test_ollama_success_uses_native_chat_with_format(ollama) -> None:
    backend = OllamaBackend(model="llama3.1:8b", base_url=ollama.url, retry=FAST)
    results = run(backend, n=5)
    assert results[-1].status == "completed" and results[-1].achieved == 5
    payload = ollama.chat_requests()[0]
    assert payload["stream"] is False and payload["model"] == "llama3.1:8b"
    assert payload["format"]["properties"].keys() == {"bio"}
    assert payload["options"]["num_predict"] > 0
    assert results[-1].total_tokens == 5 * 20
    assert backend.list_models() == ["llama3.1:8b"]


def test_ollama_unreachable_says_how_to_start_it() -> None:
    backend = OllamaBackend(
        model="llama3.1:8b", base_url=f"http://127.0.0.1:{closed_port()}", retry=FAST, breaker_threshold=3
    )
    final = run(backend)[-1]
    assert final.status == "failed"
    assert "Ollama is not reachable" in final.error and "ollama serve" in final.error
    fresh = OllamaBackend(model="llama3.1:8b", base_url=backend.base_url, retry=FAST)
    completion = complete_one(fresh)  # the first backend's breaker is open by now
    assert isinstance(completion.error, BackendUnreachableError) and not completion.fatal
    assert completion.error.retryable and "ollama serve" in completion.error.hint
    assert fresh.attempts == FAST.max_attempts


def test_ollama_model_not_pulled_is_fatal_without_retry(ollama) -> None:
    ollama.default = Step(404, {"error": "model 'mistral' not found, try pulling it first"})
    backend = OllamaBackend(model="mistral", base_url=ollama.url, retry=FAST)
    final = run(backend)[-1]
    assert final.status == "failed" and "ollama pull mistral" in final.error
    assert backend.attempts <= 8  # at most one per request in flight (concurrency 8), none retried
    completion = complete_one(backend)
    assert isinstance(completion.error, BackendNotFoundError) and completion.fatal
    assert "ollama pull mistral" in completion.error.hint


@pytest.mark.parametrize(
    ("status", "message", "error_type"),
    [
        (401, "token is invalid", BackendAuthError),
        (402, "credits are exhausted", BackendQuotaError),
        (404, "not available on the HuggingFace Inference API", BackendNotFoundError),
    ],
)
def test_hf_errors_are_distinct_and_not_retried(router, status: int, message: str, error_type: type) -> None:
    router.default = Step(status, {"error": "nope"})
    backend = HFInferenceBackend(
        model="meta-llama/Llama-3.1-8B-Instruct",
        base_url=router.url + "/v1",
        api_key="hf_secret_value",
        retry=FAST,
        concurrency=1,
    )
    backend._checked = True  # skip the model-list check: every answer is the scripted error
    final = run(backend, batch_size=1)[-1]
    assert final.status == "failed" and message in final.error
    assert backend.attempts == 1
    assert "hf_secret_value" not in final.error
    completion = complete_one(backend)  # fatal: answered at once, nothing more sent
    assert backend.attempts == 1
    assert type(completion.error) is error_type and completion.error.status == status
    assert completion.fatal and not completion.error.retryable and completion.error.hint
    assert "hf_secret_value" not in str(completion.error) + completion.error.hint


def test_429_honours_retry_after_and_cuts_concurrency(router) -> None:
    router.then(Step(429, {"error": "slow down"}, {"Retry-After": "1"}))
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", retry=FAST, concurrency=4
    )
    started = time.monotonic()
    final = run(backend, n=1, batch_size=1)[-1]
    assert final.status == "completed"
    assert time.monotonic() - started >= 1.0
    assert backend.attempts == 2
    assert backend.limiter.limit == 2


def test_500_then_success_and_slow_response_are_retried(router) -> None:
    router.then(Step(500, {"error": "boom"}), Step(200, None, delay=1.5))
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct",
        base_url=router.url + "/v1",
        retry=FAST,
        timeout=0.5,
        mode="json_object",
    )
    final = run(backend, n=1, batch_size=1)[-1]
    assert final.status == "completed"
    assert backend.attempts == 3  # 500, timeout, success


def test_malformed_body_rejects_that_record_only(router) -> None:
    router.then(Step(200, "this is not json"))
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", retry=FAST, mode="json_object"
    )
    results = run(backend, n=3, batch_size=1)
    assert results[-1].status == "completed" and results[-1].achieved == 3
    assert any("malformed" in r.reason for res in results for r in res.rejected)


def test_persistent_429_is_a_retried_rate_limit_error(router) -> None:
    router.default = Step(429, {"error": "slow down"}, {"Retry-After": "0.01"})
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=4)
    backend._checked = True
    completion = complete_one(backend)
    assert isinstance(completion.error, BackendRateLimitError)
    assert completion.error.retry_after == pytest.approx(0.01) and not completion.fatal
    assert backend.attempts == FAST.max_attempts
    assert backend.limiter.limit == 1  # halved on every 429: 4 -> 2 -> 1


@pytest.mark.parametrize(
    ("step", "error_type", "attempts"),
    [
        (Step(500, {"error": "boom"}), BackendServerError, FAST.max_attempts),
        (Step(200, None, delay=0.6), BackendTimeoutError, FAST.max_attempts),
        (Step(200, "this is not json"), BackendResponseError, 1),
        (Step(200, {"id": "x", "choices": []}), BackendResponseError, 1),
        (Step(400, {"error": "max_tokens is too large"}), BackendRequestError, 1),
    ],
)
def test_failures_become_the_matching_error_and_retry_only_when_retryable(
    router, step: Step, error_type: type, attempts: int
) -> None:
    router.default = step
    backend = OpenAICompatBackend(
        model=MODEL, base_url=router.url + "/v1", retry=FAST, timeout=0.3, mode="json_object", concurrency=1
    )
    backend._checked = True
    completion = complete_one(backend)
    assert type(completion.error) is error_type
    assert completion.finish_reason == "error" and completion.text == ""
    assert completion.error.retryable == (attempts > 1) and not completion.fatal
    assert backend.attempts == attempts


def test_accepted_records_survive_a_failure_midway(router, studio, history) -> None:
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", api_key="sk-test-secret", retry=FAST
    )
    backend._checked = True
    router.then(*[Step() for _ in range(4)])
    router.default = Step(401, {"error": {"message": "Incorrect API key provided: sk-test-secret"}})
    results = run(backend, n=10, studio=studio)
    final = results[-1]
    assert final.status == "failed" and "API key was rejected" in final.error
    assert history.count_records(final.run_id) == 4
    assert "sk-test-secret" not in final.error
    assert b"sk-test-secret" not in Path(history.path).read_bytes()
    completion = complete_one(backend)
    assert isinstance(completion.error, BackendAuthError) and completion.fatal
    assert "key" in completion.error.hint.lower()


def test_a_key_echoed_back_by_the_server_is_scrubbed(router) -> None:
    router.default = Step(403, {"error": {"message": "key sk-echoed-secret may not use this model"}})
    backend = OpenAICompatBackend(
        model=MODEL, base_url=router.url + "/v1", api_key="sk-echoed-secret", retry=FAST, concurrency=1
    )
    backend._checked = True
    completion = complete_one(backend)
    assert isinstance(completion.error, BackendAuthError) and completion.error.status == 403
    assert "may not use this model" in str(completion.error)  # the server's reason is kept
    assert "sk-echoed-secret" not in str(completion.error) and "sk-echoed-secret" not in repr(completion.error)


def test_listing_models_raises_the_translated_error_without_the_key(router) -> None:
    router.get_step = Step(401, {"error": "Incorrect API key provided: sk-list-secret"})
    with pytest.raises(BackendAuthError) as caught:
        list_models("openai_compat", base_url=router.url + "/v1", api_key="sk-list-secret")
    assert "API key was rejected" in str(caught.value) and "sk-list-secret" not in str(caught.value)
    with pytest.raises(BackendUnreachableError):
        list_models("ollama", base_url=f"http://127.0.0.1:{closed_port()}")


def test_a_rejected_key_on_the_model_list_stops_before_any_request(router) -> None:
    router.get_step = Step(401, {"error": "bad key"})
    backend = OpenAICompatBackend(model=MODEL, base_url=router.url + "/v1", api_key="sk-x-secret", retry=FAST)
    with pytest.raises(BackendAuthError):
        complete_one(backend)
    assert router.chat_requests() == []


def test_circuit_breaker_stops_a_run_that_keeps_failing(router) -> None:
    router.default = Step(503, {"error": "overloaded"})
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct",
        base_url=router.url + "/v1",
        retry=FAST,
        concurrency=1,
        breaker_threshold=3,
        mode="json_object",
    )
    backend._checked = True
    final = run(backend, n=20, batch_size=1)[-1]
    assert final.status == "failed" and "failed requests in a row" in final.error
    assert backend.attempts <= 3 * FAST.max_attempts
    sent = backend.attempts
    completion = complete_one(backend)  # the breaker is open: nothing is sent
    assert backend.attempts == sent
    assert isinstance(completion.error, BackendCircuitOpenError) and completion.fatal
    assert not completion.error.retryable


def test_the_request_that_trips_the_breaker_keeps_its_cause(router) -> None:
    router.default = Step(503, {"error": "overloaded"})
    backend = OpenAICompatBackend(
        model=MODEL, base_url=router.url + "/v1", retry=FAST, concurrency=1, breaker_threshold=1, mode="json_object"
    )
    backend._checked = True
    completion = complete_one(backend)
    assert isinstance(completion.error, BackendCircuitOpenError) and completion.fatal
    assert isinstance(completion.error.__cause__, BackendServerError)
    assert "overloaded" in str(completion.error)


def test_structured_output_steps_down_to_prompt_and_parse(router) -> None:
    # Refusals that name the mode step down; a 5xx never does on its own (tests/backends/test_output_mode.py).
    router.then(
        Step(400, {"error": "json_schema not supported"}), Step(400, {"error": "response_format not supported"})
    )
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", retry=FAST, concurrency=1
    )
    final = run(backend, n=3, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "prompt"
    formats = [p.get("response_format", {}).get("type") for p in router.chat_requests()]
    assert formats[:3] == ["json_schema", "json_object", None]


def test_unknown_model_on_a_server_that_lists_models(router) -> None:
    router.models = [MODEL, "Qwen/Qwen2.5-7B-Instruct"]  # one listed model would be used instead (test_model_name)
    backend = OpenAICompatBackend(model="gpt-nope", base_url=router.url + "/v1", retry=FAST)
    final = run(backend)[-1]
    assert final.status == "failed" and "'gpt-nope' is not served" in final.error
    fresh = OpenAICompatBackend(model="gpt-nope", base_url=router.url + "/v1", retry=FAST)
    with pytest.raises(BackendNotFoundError) as caught:
        fresh.complete(CompletionRequest(prefix="", suffixes=["x"]))
    fresh.close()
    assert caught.value.fatal and isinstance(caught.value, BackendError)
    assert MODEL in str(caught.value)  # the message lists what the server does serve


def test_environment_key_goes_only_to_the_default_endpoint(router, monkeypatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    with pytest.raises(InputError, match="HF_TOKEN is only sent to the HF router"):
        HFInferenceBackend(model="m", base_url=router.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", mode="json_object"
    )
    run(backend, n=1, batch_size=1)
    assert all("authorization" not in {k.lower() for k in headers} for _, _, headers in router.requests)
    keyed = HFInferenceBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", api_key="hf_typed"
    )
    run(keyed, n=1, batch_size=1)
    assert router.requests[-1][2].get("Authorization") == "Bearer hf_typed"
    assert "hf_typed" not in repr(keyed)


def test_cost_and_latency_are_accounted(router) -> None:
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", mode="json_object"
    )
    results = list(
        generate(GenerationRequest(schema=SCHEMA, n=2, seed=1, batch_size=2, price_in=1.0, price_out=2.0), backend)
    )
    final = results[-1]
    assert final.total_prompt_tokens == 100 and final.total_tokens == 40
    assert final.cost_usd == pytest.approx((100 * 1.0 + 40 * 2.0) / 1e6)
    assert final.latency_s > 0


def test_limiter_and_retry_after_parsing() -> None:
    limiter = AdaptiveLimiter(8, recover_after=2)
    limiter.rate_limited()
    assert limiter.limit == 4
    for _ in range(4):
        limiter.succeeded()
    assert limiter.limit == 6
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after(None) is None
