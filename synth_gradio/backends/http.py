"""Shared machinery for every remote backend: one retry layer, adaptive concurrency, a circuit
breaker and usage accounting, over one httpx.Client.

- Errors: `_request` is the one boundary where httpx exceptions and HTTP statuses become
  BackendError subclasses (synth_gradio.errors); `error_for_status` picks the class, providers
  only refine the wording (`status_error`, `_unreachable`). API keys are scrubbed from messages.
- Retries: exponential backoff with full jitter while the error is `retryable` (connection errors,
  timeouts, 408, 409, 429, 5xx); never for other 4xx. Retry-After is honoured (the wait is at
  least that long).
- Concurrency: at most `limit` requests in flight; a rate limit (429) halves the limit, and every
  `recover_after` successes it grows back by one.
- Fatal errors (bad key, no credits, unknown model) stop all sending: every later record gets the
  same error at once. Circuit breaker: after `breaker_threshold` consecutive failed records the
  backend reports a fatal BackendCircuitOpenError. Either way the engine stops the run as failed,
  keeping everything already accepted.
Subclasses implement `_send(prompt, schema, params) -> Completion` and raise BackendError subclasses;
a failed record comes back as a Completion carrying its error.
"""

from __future__ import annotations

import contextvars
import dataclasses
import email.utils
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from synth_gradio.backends.base import Capabilities, Completion, CompletionRequest, GenerationParams
from synth_gradio.backends.urls import check_base_url
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
)

log = logging.getLogger(__name__)
STATUS_ERRORS: dict[int, type[BackendError]] = {
    401: BackendAuthError,
    402: BackendQuotaError,
    403: BackendAuthError,
    404: BackendNotFoundError,
    408: BackendServerError,
    409: BackendServerError,
    429: BackendRateLimitError,
}
MIN_SECRET_LEN = 4  # shorter "keys" are placeholders for local servers; scrubbing them would garble messages


def error_for_status(
    status: int, message: str, retry_after: float | None = None, *, hint: str | None = None
) -> BackendError:
    """The BackendError subclass for an HTTP error status; its class decides retrying and stopping."""
    cls = STATUS_ERRORS.get(status)
    if cls is None:
        if status >= 500:
            cls = BackendServerError
        elif status >= 400:
            cls = BackendRequestError
        else:
            cls = BackendResponseError  # a success status with an unusable answer
    return cls(message, status=status, retry_after=retry_after, hint=hint)


@dataclass
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        backoff = rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))
        return max(backoff, retry_after or 0.0)


class AdaptiveLimiter:
    """Bounded in-flight requests that back off on rate limits and recover gradually."""

    def __init__(self, limit: int, recover_after: int = 10) -> None:
        self.max = max(1, limit)
        self.limit = self.max
        self.in_flight = 0
        self.recover_after = recover_after
        self._streak = 0
        self._cond = threading.Condition()

    def acquire(self) -> None:
        with self._cond:
            while self.in_flight >= self.limit:
                self._cond.wait()
            self.in_flight += 1

    def release(self) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify_all()

    def rate_limited(self) -> None:
        with self._cond:
            self.limit = max(1, self.limit // 2)
            self._streak = 0

    def succeeded(self) -> None:
        with self._cond:
            self._streak += 1
            if self._streak >= self.recover_after and self.limit < self.max:
                self.limit += 1
                self._streak = 0
                self._cond.notify_all()


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def per_record(request: CompletionRequest) -> list[tuple[str, GenerationParams]]:
    """Each record's chat prompt and parameters, as live requests and batch jobs send them. One seed per
    record: the same seed on similar prompts makes servers repeat themselves."""
    base = request.params
    return [
        (
            chat_prompt(request.prefix, suffix),
            base if base.seed is None else dataclasses.replace(base, seed=base.seed + i),
        )
        for i, suffix in enumerate(request.suffixes)
    ]


def chat_prompt(prefix: str, suffix: str) -> str:
    """The engine's few-shot prompt as one user message for chat models."""
    return (
        prefix + suffix.rstrip() + "\n\nReply with only the JSON object for this record (the fields after "
        "'Record:'), with no explanation and no code fence."
    )


class RemoteBackend:
    """Base class: fans a CompletionRequest out as concurrent requests, one per record."""

    kind = "remote"

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str | None = None,
        concurrency: int = 8,
        timeout: float = 120.0,
        client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        breaker_threshold: int = 5,
    ) -> None:
        self.model = model
        self.base_url = check_base_url(base_url, self.kind)  # file://, ftp:// or a broken URL: refused now
        self._api_key = api_key
        self.limiter = AdaptiveLimiter(concurrency)
        self.retry = retry or RetryPolicy()
        self.breaker_threshold = breaker_threshold
        self._failures = 0
        self._failure_lock = threading.Lock()
        self._fatal_error: BackendError | None = None
        self._rng = random.Random()
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            limits=httpx.Limits(
                max_connections=max(10, 2 * concurrency), max_keepalive_connections=max(10, concurrency)
            ),
        )
        self.attempts = 0  # requests sent, retries included (for tests and accounting)
        # Threads live as long as the backend; the limiter, not the pool size, bounds requests in flight.
        self._pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix=f"{self.kind}-request")
        self.capabilities = Capabilities(
            constrained=True, batching=False, max_batch=max(8, concurrency * 2), concurrency=concurrency
        )

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def complete(self, request: CompletionRequest) -> list[Completion]:
        # Each request thread runs in a copy of the caller's context: its log lines carry the run's id.
        jobs = [(contextvars.copy_context(), p, q) for p, q in per_record(request)]
        return list(self._pool.map(lambda job: job[0].run(self._one, job[1], request.json_schema, job[2]), jobs))

    def _one(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        if self._fatal_error is not None:
            return failed_completion(self._fatal_error)  # a bad key or unknown model fails every request alike
        if self._breaker_open():
            return failed_completion(
                BackendCircuitOpenError(f"stopped after {self.breaker_threshold} failed requests in a row")
            )
        last: BackendError | None = None
        for attempt in range(self.retry.max_attempts):
            self.limiter.acquire()
            started = time.perf_counter()
            try:
                self.attempts += 1
                completion = self._send(prompt, schema, params)
            except BackendError as exc:
                last = exc
            else:
                completion.latency_s = time.perf_counter() - started
                self.limiter.succeeded()
                self._record(success=True)
                return completion
            finally:
                self.limiter.release()
            if isinstance(last, BackendRateLimitError):
                self.limiter.rate_limited()
            if last.fatal or not last.retryable or attempt == self.retry.max_attempts - 1:
                break
            wait = self.retry.delay(attempt, last.retry_after, self._rng)
            self._log_failure(last, attempt, wait)
            time.sleep(wait)
        assert last is not None
        self._log_failure(last, attempt, None)
        self._record(success=False)
        last = last.with_traceback(None)  # it outlives the request: keep no frames alive
        if last.fatal:
            self._fatal_error = last
            return failed_completion(last)
        if self._breaker_open():
            tripped = BackendCircuitOpenError(f"{last} ({self.breaker_threshold} failed requests in a row)")
            tripped.__cause__ = last
            return failed_completion(tripped)
        return failed_completion(last)

    def _log_failure(self, error: BackendError, attempt: int, wait: float | None) -> None:
        """backend_retry (with the wait) or backend_error; the reason is the status or class, never a body."""
        reason = f"HTTP {error.status}" if error.status else error.kind
        data = {"backend": self.kind, "model": self.model, "attempt": attempt + 1, "reason": reason}
        if wait is None:
            data.update(event="backend_error", error=type(error).__name__, fatal=error.fatal)
            log.warning("%(backend)s request failed for good (%(reason)s, attempt %(attempt)d)", data, extra=data)
        else:
            data.update(event="backend_retry", wait_s=round(wait, 3))
            log.info("%(backend)s request failed (%(reason)s); retry in %(wait_s).1f s", data, extra=data)

    def _record(self, success: bool) -> None:
        with self._failure_lock:
            self._failures = 0 if success else self._failures + 1

    def _breaker_open(self) -> bool:
        with self._failure_lock:
            return self._failures >= self.breaker_threshold

    def _unreachable(self, exc: Exception) -> BackendError:
        """No connection at all; providers override this to say how to start their server."""
        return BackendUnreachableError(f"{self.kind} server is not reachable at {self.base_url} ({type(exc).__name__})")

    def _transport_error(self, exc: httpx.TransportError) -> BackendError:
        if isinstance(exc, httpx.TimeoutException):
            return BackendTimeoutError(f"{self.kind} did not answer within the timeout at {self.base_url}")
        if isinstance(exc, httpx.ConnectError | httpx.ProxyError | httpx.UnsupportedProtocol):
            return self._unreachable(exc)
        return BackendServerError(f"the connection to {self.kind} at {self.base_url} broke ({type(exc).__name__})")

    def _redact(self, exc: BackendError) -> BackendError:
        """Scrub the key from a message: some servers echo it back ("Incorrect API key provided: sk-...")."""
        key = self._api_key
        if key and len(key) >= MIN_SECRET_LEN:
            if any(key in str(a) for a in exc.args):
                exc.args = tuple(str(a).replace(key, "***") for a in exc.args)
            if key in exc.hint:
                exc.hint = exc.hint.replace(key, "***")
        return exc

    def _send(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        raise NotImplementedError

    def status_error(self, response: httpx.Response) -> BackendError:
        """Translate an HTTP error status; subclasses refine the messages per provider."""
        detail = error_detail(response)
        status = response.status_code
        messages = {
            401: f"the API key was rejected by {self.base_url} (401 Unauthorized); check the key",
            402: f"the account behind this key has no credits left (402 Payment Required) at {self.base_url}",
            403: f"the key is not allowed to use {self.model!r} (403 Forbidden)",
            404: f"model {self.model!r} or the endpoint was not found at {self.base_url} (404)",
            429: f"rate limited by {self.base_url} (429)",
        }
        message = messages.get(status, f"{self.kind} returned HTTP {status}")
        if detail and status != 401:  # a 401 detail may echo the key
            message += f": {detail}"
        return error_for_status(status, message, parse_retry_after(response.headers.get("retry-after")))

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> httpx.Response:
        """The one boundary where httpx exceptions and HTTP error statuses become BackendErrors."""
        try:
            response = self.client.request(method, f"{self.base_url}{path}", json=payload, headers=self.headers())
        except httpx.TransportError as exc:
            raise self._redact(self._transport_error(exc)) from None
        if response.status_code >= 400:
            raise self._redact(self.status_error(response))
        return response

    def get_json(self, path: str) -> Any:
        """GET a JSON document with the same error translation (for model lists)."""
        response = self._request("GET", path)
        try:
            return response.json()
        except ValueError:
            raise BackendResponseError(
                f"{self.kind} at {self.base_url} sent a body that is not JSON", status=response.status_code
            ) from None

    def post_json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self._request("POST", path, payload)
        try:
            data = response.json()
        except ValueError:
            raise BackendResponseError(
                f"{self.kind} at {self.base_url} sent a malformed response body", status=response.status_code
            ) from None
        if not isinstance(data, dict):
            raise BackendResponseError(
                f"{self.kind} at {self.base_url} sent an unexpected response body", status=response.status_code
            )
        return data

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._own_client:
            self.client.close()


def failed_completion(error: BackendError) -> Completion:
    return Completion(text="", finish_reason="error", error=error)


def error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:200].strip()
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data.get("message", "")))
        if isinstance(err, dict):
            err = err.get("message", "")
        return str(err)[:200]
    return ""
