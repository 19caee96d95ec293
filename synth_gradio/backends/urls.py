"""Checking a server address before anything is sent to it.

A base URL that is not http(s) (file://, ftp://, gopher://) or cannot be parsed ("http://[::1")
would otherwise fail only on the first request, after retries or with a library traceback. It is
refused where a backend is configured, so the UI, the API and the CLI (exit code 2) all say so at
once. Credentials written into the URL are never repeated in the message.
"""

from __future__ import annotations

import re

import httpx

from synth_gradio.errors import InputError

SCHEMES = ("http", "https")
_USERINFO = re.compile(r"(//)[^/@]*@")
_EXAMPLE = "for example http://localhost:8000/v1"


def shown(url: str) -> str:
    """The URL as it may appear in a message: without user:password@ and cut to a sane length."""
    text = _USERINFO.sub(r"\1***@", url)
    return text if len(text) <= 120 else text[:117] + "..."


def check_base_url(url: str, kind: str = "the backend") -> str:
    """The URL without a trailing slash, or an InputError saying why it cannot be a server address."""
    text = url.strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        reason = str(exc).split(":")[0].strip() or "it cannot be parsed"
        raise InputError(
            f"the base URL {shown(text)!r} for {kind} is malformed ({reason}); give the server's address, {_EXAMPLE}"
        ) from None
    if parsed.scheme not in SCHEMES and "://" not in text:
        raise InputError(f"the base URL {shown(text)!r} for {kind} needs http:// or https:// in front, {_EXAMPLE}")
    if parsed.scheme not in SCHEMES:
        raise InputError(
            f"the base URL {shown(text)!r} for {kind} uses {parsed.scheme}://; only http:// and https:// "
            f"servers are supported, {_EXAMPLE}"
        )
    host = parsed.host
    if not host or "%" in host or not (parsed.port is None or 0 < parsed.port < 65536):
        raise InputError(f"the base URL {shown(text)!r} for {kind} has no valid host and port; {_EXAMPLE}")
    return text.rstrip("/")
