"""The backend error model: status mapping, class flags, and no API key in any message."""

from __future__ import annotations

import pickle

import pytest
from fake_servers import FakeService, Step

from synth_gradio.backends.base import Completion, CompletionRequest
from synth_gradio.backends.http import RetryPolicy, error_for_status
from synth_gradio.backends.openai_compat import OpenAICompatBackend
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
    SynthError,
)

FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02)


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BackendRequestError),
        (401, BackendAuthError),
        (402, BackendQuotaError),
        (403, BackendAuthError),
        (404, BackendNotFoundError),
        (408, BackendServerError),
        (409, BackendServerError),
        (413, BackendRequestError),
        (422, BackendRequestError),
        (429, BackendRateLimitError),
        (500, BackendServerError),
        (502, BackendServerError),
        (503, BackendServerError),
        (200, BackendResponseError),
    ],
)
def test_error_for_status_picks_the_class(status: int, error_type: type[BackendError]) -> None:
    error = error_for_status(status, "it failed", retry_after=2.5)
    assert type(error) is error_type
    assert error.status == status and error.retry_after == 2.5
    assert str(error) == "it failed"


@pytest.mark.parametrize(
    ("error_type", "retryable", "fatal"),
    [
        (BackendAuthError, False, True),
        (BackendQuotaError, False, True),
        (BackendNotFoundError, False, True),
        (BackendRateLimitError, True, False),
        (BackendTimeoutError, True, False),
        (BackendUnreachableError, True, False),
        (BackendServerError, True, False),
        (BackendRequestError, False, False),
        (BackendResponseError, False, False),
        (BackendCircuitOpenError, False, True),
        (BackendError, False, False),
    ],
)
def test_each_class_says_whether_to_retry_or_stop(error_type: type[BackendError], retryable: bool, fatal: bool) -> None:
    error = error_type("message")
    assert error.retryable is retryable and error.fatal is fatal
    assert not (error.retryable and error.fatal)  # a fatal error is never worth sending again
    assert isinstance(error, BackendError) and isinstance(error, SynthError)
    assert error.kind and isinstance(error.hint, str)


def test_user_facing_classes_give_a_hint() -> None:
    for error_type in (
        BackendAuthError,
        BackendQuotaError,
        BackendNotFoundError,
        BackendRateLimitError,
        BackendTimeoutError,
        BackendUnreachableError,
        BackendServerError,
        BackendCircuitOpenError,
    ):
        hint = error_type("m").hint
        assert hint.endswith(".") and len(hint) < 100, error_type
    assert "key" in BackendAuthError("m").hint.lower()
    assert "url" in BackendUnreachableError("m").hint.lower()


def test_overrides_replace_class_defaults_only_when_given() -> None:
    legacy = BackendError("could not load the model", kind="model_load")  # the form existing callers use
    assert legacy.kind == "model_load" and not legacy.retryable and not legacy.fatal and legacy.hint == ""
    error = BackendServerError("busy", retryable=False, fatal=True, hint="Wait.", kind="busy")
    assert (error.kind, error.retryable, error.fatal, error.hint) == ("busy", False, True, "Wait.")
    assert BackendServerError("busy").retryable  # the class default is untouched
    assert BackendResponseError("bad", kind="grammar").kind == "grammar"
    assert BackendResponseError("bad").kind == "response"


def test_errors_survive_pickling_with_their_flags() -> None:
    error = error_for_status(429, "slow down", retry_after=3.0, hint="Wait a minute.")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is BackendRateLimitError and str(copy) == "slow down"
    assert copy.retry_after == 3.0 and copy.hint == "Wait a minute." and copy.status == 429


def test_completion_fatal_follows_its_error() -> None:
    assert not Completion(text="{}").fatal
    assert not Completion(text="", finish_reason="error", error=BackendServerError("busy")).fatal
    assert Completion(text="", finish_reason="error", error=BackendAuthError("bad key")).fatal
    assert Completion(text="", finish_reason="error", error=BackendServerError("x", fatal=True)).fatal


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 429, 500])
def test_no_message_contains_the_api_key_even_when_the_server_echoes_it(status: int) -> None:
    secret = "sk-proj-Zq8secretvalue"
    service = FakeService("openai", models=["m"])
    service.default = Step(status, {"error": {"message": f"Incorrect API key provided: {secret}"}})
    backend = OpenAICompatBackend(
        model="m", base_url=service.url + "/v1", api_key=secret, retry=FAST, concurrency=1, mode="json_object"
    )
    backend._checked = True
    try:
        (completion,) = backend.complete(CompletionRequest(prefix="", suffixes=["Record:"]))
    finally:
        backend.close()
        service.close()
    assert isinstance(completion.error, BackendError) and completion.error.status == status
    for text in (str(completion.error), repr(completion.error), completion.error.hint):
        assert secret not in text
