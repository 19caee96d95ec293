"""The HuggingFace Inference API through the HF router's OpenAI-compatible endpoint.

The token comes from the session or HF_TOKEN. A token from the server's environment is sent only to
the router's default address, never to a base URL a user typed.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from synth_gradio.backends.http import HttpError, error_detail
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.errors import InputError

ROUTER_URL = "https://router.huggingface.co/v1"


class HFInferenceBackend(OpenAICompatBackend):
    kind = "hf_inference"

    def __init__(
        self, model: str | None = None, base_url: str | None = None, api_key: str | None = None, **options: Any
    ) -> None:
        url = (base_url or ROUTER_URL).rstrip("/")
        key = api_key
        if not key and url == ROUTER_URL:
            key = os.environ.get("HF_TOKEN") or None
        if not key:
            where = (
                "set HF_TOKEN or enter a token"
                if url == ROUTER_URL
                else "enter a token for this endpoint (HF_TOKEN is only sent to the HF router)"
            )
            raise InputError(f"the HuggingFace Inference API needs a token: {where}")
        super().__init__(model=model, base_url=url, api_key=key, **options)

    def status_error(self, response: httpx.Response) -> HttpError:
        status = response.status_code
        retry_after = None
        if status == 429:
            from synth_gradio.backends.http import parse_retry_after

            retry_after = parse_retry_after(response.headers.get("retry-after"))
        messages = {
            401: (
                "the HuggingFace token is invalid or expired (401); create one at huggingface.co/settings/tokens",
                True,
            ),
            402: ("your HuggingFace inference credits are exhausted (402); add credits or use another backend", True),
            404: (
                f"model {self.model!r} is not available on the HuggingFace Inference API (404); check the model id",
                True,
            ),
            429: ("rate limited by the HuggingFace Inference API (429)", False),
        }
        if status in messages:
            message, fatal = messages[status]
            return HttpError(message, status=status, retry_after=retry_after, fatal=fatal)
        error = super().status_error(response)
        detail = error_detail(response)
        return HttpError(
            f"the HuggingFace Inference API returned HTTP {status}: {detail}" if detail else str(error),
            status=status,
            fatal=error.fatal,
        )
