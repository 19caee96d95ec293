"""Ollama's native API: /api/chat with `format` set to the JSON schema, /api/tags for models."""

from __future__ import annotations

from typing import Any

import httpx

from synth_gradio.backends.base import Completion, GenerationParams
from synth_gradio.backends.http import RemoteBackend, error_detail
from synth_gradio.errors import BackendError, BackendNotFoundError, BackendResponseError, BackendUnreachableError

DEFAULT_URL = "http://localhost:11434"


class OllamaBackend(RemoteBackend):
    kind = "ollama"

    def __init__(
        self, model: str | None = None, base_url: str | None = None, api_key: str | None = None, **options: Any
    ) -> None:
        if not model:
            from synth_gradio.errors import InputError

            raise InputError("ollama needs a model name such as llama3.1:8b; `ollama list` shows the pulled ones")
        super().__init__(model=model, base_url=base_url or DEFAULT_URL, api_key=api_key, **options)

    def list_models(self) -> list[str]:
        data = self.get_json("/api/tags")
        models = data.get("models", []) if isinstance(data, dict) else []
        return sorted(str(m.get("name")) for m in models if isinstance(m, dict) and m.get("name"))

    def _unreachable(self, exc: Exception) -> BackendError:
        return BackendUnreachableError(
            f"Ollama is not reachable at {self.base_url}; start it with `ollama serve` (or set the base URL)",
            hint="Start Ollama with `ollama serve`, or set the base URL.",
        )

    def status_error(self, response: httpx.Response) -> BackendError:
        detail = error_detail(response)
        # Ollama answers an unknown model with 404, some versions with another status and "not found".
        if response.status_code == 404 or "not found" in detail.lower():
            return BackendNotFoundError(
                f"model {self.model!r} is not pulled in Ollama; run `ollama pull {self.model}`",
                status=response.status_code,
                hint=f"Run `ollama pull {self.model}`, or pick a model that `ollama list` shows.",
            )
        return super().status_error(response)

    def _send(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        options: dict[str, Any] = {
            "temperature": params.temperature,
            "top_p": params.top_p,
            "top_k": params.top_k,
            "num_predict": params.max_tokens,
        }
        if params.seed is not None:
            options["seed"] = params.seed
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "stream": False,
            "options": options,
        }
        if schema is not None:
            payload["format"] = schema
        data = self.post_json("/api/chat", payload)
        message = data.get("message")
        if not isinstance(message, dict) or "content" not in message:
            raise BackendResponseError(f"Ollama at {self.base_url} sent a response without a message")
        return Completion(
            text=str(message.get("content") or ""),
            tokens=int(data.get("eval_count") or 0),
            prompt_tokens=int(data.get("prompt_eval_count") or 0),
            finish_reason="length" if data.get("done_reason") == "length" else "stop",
        )
