"""Shared machinery for every remote backend: one retry layer, adaptive concurrency, a circuit
breaker and usage accounting, over one httpx.Client.

- Retries: exponential backoff with full jitter for connection errors, timeouts, 408, 409, 429 and
  5xx; never for 400, 401, 403 or 404. Retry-After is honoured (the wait is at least that long).
- Concurrency: at most `limit` requests in flight; a 429 halves the limit, and every
  `recover_after` successes it grows back by one.
- Circuit breaker: after `breaker_threshold` consecutive failed records the backend reports a fatal
  completion, so the engine stops the run as failed, keeping everything already accepted.
Subclasses implement `_send(prompt, schema, params) -> Completion` and raise HttpError.
"""

from __future__ import annotations

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

log = logging.getLogger(__name__)
RETRY_STATUSES = {408, 409, 429}
FATAL_STATUSES = {401, 402, 403, 404}


class HttpError(Exception):
    """A failed request, already described in words a user can act on (never with a key)."""

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None, fatal: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.fatal = fatal

    @property
    def retryable(self) -> bool:
        if self.fatal:
            return False
        return self.status is None or self.status in RETRY_STATUSES or self.status >= 500


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
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.limiter = AdaptiveLimiter(concurrency)
        self.retry = retry or RetryPolicy()
        self.breaker_threshold = breaker_threshold
        self._failures = 0
        self._failure_lock = threading.Lock()
        self._fatal_error: str | None = None
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
        prompts = [chat_prompt(request.prefix, s) for s in request.suffixes]
        base = request.params
        # One seed per record: the same seed on similar prompts makes servers repeat themselves.
        params = [
            base if base.seed is None else dataclasses.replace(base, seed=base.seed + i) for i in range(len(prompts))
        ]
        return list(
            self._pool.map(
                lambda pair: self._one(pair[0], request.json_schema, pair[1]), zip(prompts, params, strict=True)
            )
        )

    def _one(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        if self._fatal_error:
            return self._fatal(self._fatal_error)  # a bad key or unknown model fails every request alike
        if self._breaker_open():
            return self._fatal(f"stopped after {self.breaker_threshold} failed requests in a row")
        last: HttpError | None = None
        for attempt in range(self.retry.max_attempts):
            self.limiter.acquire()
            started = time.perf_counter()
            try:
                self.attempts += 1
                completion = self._send(prompt, schema, params)
            except HttpError as exc:
                last = exc
            except httpx.TimeoutException:
                last = HttpError(f"{self.kind} did not answer within the timeout at {self.base_url}")
            except httpx.TransportError as exc:
                last = self._unreachable(exc)
            else:
                completion.latency_s = time.perf_counter() - started
                self.limiter.succeeded()
                self._record(success=True)
                return completion
            finally:
                self.limiter.release()
            if last.status == 429:
                self.limiter.rate_limited()
            if not last.retryable or attempt == self.retry.max_attempts - 1:
                break
            wait = self.retry.delay(attempt, last.retry_after, self._rng)
            log.info("%s request failed (%s); retrying in %.1f s", self.kind, last, wait)
            time.sleep(wait)
        assert last is not None
        self._record(success=False)
        if last.fatal:
            self._fatal_error = str(last)
            return self._fatal(str(last))
        if self._breaker_open():
            return self._fatal(f"{last} ({self.breaker_threshold} failed requests in a row)")
        return Completion(text="", finish_reason="error", error=str(last))

    def _fatal(self, message: str) -> Completion:
        return Completion(text="", finish_reason="error", error=message, fatal=True)

    def _record(self, success: bool) -> None:
        with self._failure_lock:
            self._failures = 0 if success else self._failures + 1

    def _breaker_open(self) -> bool:
        with self._failure_lock:
            return self._failures >= self.breaker_threshold

    def _unreachable(self, exc: Exception) -> HttpError:
        return HttpError(f"{self.kind} server is not reachable at {self.base_url} ({type(exc).__name__})")

    def _send(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        raise NotImplementedError

    def status_error(self, response: httpx.Response) -> HttpError:
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
        if detail and status not in (401,):
            message += f": {detail}"
        return HttpError(
            message,
            status=status,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            fatal=status in FATAL_STATUSES,
        )

    def get_json(self, path: str) -> Any:
        """GET a JSON document with the same error translation (for model lists)."""
        try:
            response = self.client.get(f"{self.base_url}{path}", headers=self.headers())
        except httpx.TimeoutException:
            raise HttpError(f"{self.kind} did not answer within the timeout at {self.base_url}") from None
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= 400:
            raise self.status_error(response)
        try:
            return response.json()
        except ValueError:
            raise HttpError(f"{self.kind} at {self.base_url} sent a body that is not JSON") from None

    def post_json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(f"{self.base_url}{path}", json=payload, headers=self.headers())
        if response.status_code >= 400:
            raise self.status_error(response)
        try:
            data = response.json()
        except ValueError:
            raise HttpError(
                f"{self.kind} at {self.base_url} sent a malformed response body", status=response.status_code
            ) from None
        if not isinstance(data, dict):
            raise HttpError(f"{self.kind} at {self.base_url} sent an unexpected response body")
        return data

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._own_client:
            self.client.close()


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
