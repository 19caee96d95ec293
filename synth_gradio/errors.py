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
    """The model backend failed. `kind` names the failure, `retryable` says if trying again may help."""

    def __init__(self, message: str, kind: str = "backend", retryable: bool = False) -> None:
        self.kind = kind
        self.retryable = retryable
        super().__init__(message)


class StorageError(SynthError):
    """The history database could not be opened, read or written."""


class ExportError(SynthError):
    """Records could not be written in the requested format."""

    exit_code = 2
