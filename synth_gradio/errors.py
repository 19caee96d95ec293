"""One root exception so every interface (UI, CLI, API) can turn failures into one sentence.

Vendor and library errors are translated into these types at the boundary where they occur.
Messages are written for the user: they say what went wrong and what to do, and they never
contain API keys.
"""

from __future__ import annotations


class SynthError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code = 1


class SchemaError(SynthError):
    """The schema (or template, or input describing records) is malformed or unsupported."""

    exit_code = 2

    def __init__(self, message: str, path: str = "$") -> None:
        self.path = path
        self.problem = message
        super().__init__(f"Schema error at {path}: {message}")


class InputError(SynthError):
    """Bad input other than a schema: a missing template, an unknown run, a bad file name."""

    exit_code = 2


class BackendError(SynthError):
    """The model backend failed; the root of every backend failure, local or remote.

    Class attributes give each failure's defaults, so callers decide by reading flags, not by
    parsing messages or status codes:
    - `kind` names the failure (for logs and tests);
    - `retryable`: the same request may succeed if sent again (after a wait);
    - `fatal`: the backend cannot go on at all, every later request would fail the same way, so
      the engine stops the run (keeping what was made);
    - `hint`: one short sentence telling the user what to do (may be empty).
    `str(error)` is the message alone, already written for users and free of API keys.
    `status` is the HTTP status when there was one; `retry_after` the seconds the server asked for.
    """

    kind: str = "backend"
    retryable: bool = False
    fatal: bool = False
    hint: str = ""

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        retryable: bool | None = None,
        fatal: bool | None = None,
        hint: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        # None keeps the class default; only overrides land on the instance.
        if kind is not None:
            self.kind = kind
        if retryable is not None:
            self.retryable = retryable
        if fatal is not None:
            self.fatal = fatal
        if hint is not None:
            self.hint = hint
        self.status = status
        self.retry_after = retry_after


class BackendAuthError(BackendError):
    """The key was rejected or may not use this model (401, 403)."""

    kind = "auth"
    fatal = True
    hint = "Check the API key and that it is allowed to use this model."


class BackendQuotaError(BackendError):
    """The account has no credits or quota left (402)."""

    kind = "quota"
    fatal = True
    hint = "Add credits to the account or choose another backend."


class BackendNotFoundError(BackendError):
    """The model or the endpoint does not exist at this address (404)."""

    kind = "not_found"
    fatal = True
    hint = "Check the model name and the base URL."


class BackendRateLimitError(BackendError):
    """Too many requests (429): wait `retry_after` seconds when given, and send fewer at once."""

    kind = "rate_limit"
    retryable = True
    hint = "Lower the concurrency or wait a minute before starting again."


class BackendTimeoutError(BackendError):
    """No answer within the timeout; a busy server may answer the next time."""

    kind = "timeout"
    retryable = True
    hint = "Raise the timeout or lower the token limit; the server may be overloaded."


class BackendUnreachableError(BackendError):
    """No connection at all (refused, DNS failure): the server is not running or the URL is wrong."""

    kind = "unreachable"
    retryable = True
    hint = "Start the server or check the base URL."


class BackendServerError(BackendError):
    """The server failed or was busy (5xx, 408, 409); such failures are usually transient."""

    kind = "server"
    retryable = True
    hint = "The server is failing; try again later or use another backend."


class BackendRequestError(BackendError):
    """The server refused this request (400, 413, 422 and other 4xx): sending it again will not help."""

    kind = "request"
    hint = "Check that the model supports these settings."


class BackendResponseError(BackendError):
    """An answer that cannot be used (malformed or unexpected body, a grammar failure); only this record fails."""

    kind = "response"


class BackendCircuitOpenError(BackendError):
    """Too many requests in a row failed, so the backend stops sending rather than fail every record."""

    kind = "circuit_open"
    fatal = True
    hint = "Check the server, then resume the run."


class StorageError(SynthError):
    """The history database could not be opened, read or written."""


class RunNotFoundError(InputError, StorageError):
    """No such run, or a run of another user: both read the same, so ids reveal nothing (exit code 2)."""


class ExportError(SynthError):
    """Records could not be written in the requested format."""

    exit_code = 2
