"""Remote backends against local fakes that follow the Ollama and HF router APIs."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from fake_servers import FakeService, Step

from synth_gradio.backends.hf_inference import HFInferenceBackend
from synth_gradio.backends.http import AdaptiveLimiter, RetryPolicy, parse_retry_after
from synth_gradio.backends.ollama import OllamaBackend
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
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


def run(backend, n: int = 4, history=None, batch_size: int = 4):
    return list(
        generate(GenerationRequest(schema=SCHEMA, n=n, seed=1, batch_size=batch_size), backend, history=history)
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def test_ollama_model_not_pulled_is_fatal_without_retry(ollama) -> None:
    ollama.default = Step(404, {"error": "model 'mistral' not found, try pulling it first"})
    backend = OllamaBackend(model="mistral", base_url=ollama.url, retry=FAST)
    final = run(backend)[-1]
    assert final.status == "failed" and "ollama pull mistral" in final.error
    assert backend.attempts <= 8  # at most one per request in flight (concurrency 8), none retried


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, "token is invalid"),
        (402, "credits are exhausted"),
        (404, "not available on the HuggingFace Inference API"),
    ],
)
def test_hf_errors_are_distinct_and_not_retried(router, status: int, message: str) -> None:
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


def test_accepted_records_survive_a_failure_midway(router, history) -> None:
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", api_key="sk-test-secret", retry=FAST
    )
    backend._checked = True
    router.then(*[Step() for _ in range(4)])
    router.default = Step(401, {"error": {"message": "Incorrect API key provided: sk-test-secret"}})
    results = run(backend, n=10, history=history)
    final = results[-1]
    assert final.status == "failed" and "API key was rejected" in final.error
    assert history.count_records(final.run_id) == 4
    assert "sk-test-secret" not in final.error
    assert b"sk-test-secret" not in Path(history.path).read_bytes()


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


def test_structured_output_steps_down_to_prompt_and_parse(router) -> None:
    router.then(
        Step(500, {"error": "json_schema not supported"}), Step(400, {"error": "response_format not supported"})
    )
    backend = OpenAICompatBackend(
        model="meta-llama/Llama-3.1-8B-Instruct", base_url=router.url + "/v1", retry=FAST, concurrency=1
    )
    final = run(backend, n=3, batch_size=1)[-1]
    assert final.status == "completed" and backend.mode == "prompt"
    formats = [p.get("response_format", {}).get("type") for p in router.chat_requests()]
    assert formats[:3] == ["json_schema", "json_object", None]


def test_unknown_model_on_a_server_that_lists_models(router) -> None:
    backend = OpenAICompatBackend(model="gpt-nope", base_url=router.url + "/v1", retry=FAST)
    final = run(backend)[-1]
    assert final.status == "failed" and "'gpt-nope' is not served" in final.error


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
