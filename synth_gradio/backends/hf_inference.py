"""The HuggingFace Inference API through the HF router's OpenAI-compatible endpoint.

The token comes from the session or HF_TOKEN. A token from the server's environment is sent only to
the router's default address, never to a base URL a user typed.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from synth_gradio.backends.http import error_detail, error_for_status, parse_retry_after
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.errors import BackendError, InputError

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

    def status_error(self, response: httpx.Response) -> BackendError:
        """The router's statuses in its own words; the class (and so retrying) follows the status."""
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        messages = {
            401: "the HuggingFace token is invalid or expired (401); create one at huggingface.co/settings/tokens",
            402: "your HuggingFace inference credits are exhausted (402); add credits or use another backend",
            404: f"model {self.model!r} is not available on the HuggingFace Inference API (404); check the model id",
            429: "rate limited by the HuggingFace Inference API (429)",
        }
        hints = {
            401: "Create a token at huggingface.co/settings/tokens, then enter it or set HF_TOKEN.",
            404: "Check the model id; not every model on the Hub is served by the Inference API.",
        }
        if status in messages:
            return error_for_status(status, messages[status], retry_after, hint=hints.get(status))
        detail = error_detail(response)
        if not detail:
            return super().status_error(response)
        return error_for_status(status, f"the HuggingFace Inference API returned HTTP {status}: {detail}", retry_after)
