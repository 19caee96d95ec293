"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, TGI, LM Studio, llama.cpp server, HF router).

Output control, in order of preference: `response_format` json_schema (strict), then json_object
(with the schema, which llama.cpp's server turns into a grammar), then prompt-and-parse. With
mode "auto" the backend starts at the top and steps down one level when the server refuses a mode:
a 4xx whose message names it (response_format, json_schema, ...), or, while the mode has never
answered, when the same request without response_format succeeds. A 5xx is a server fault that the
retry layer handles; a mode that answered once is never dropped for one. A dropped mode is not
tried again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any

from synth_gradio.backends.base import Completion, CompletionRequest, GenerationParams
from synth_gradio.backends.http import RemoteBackend
from synth_gradio.errors import (
    BackendAuthError,
    BackendError,
    BackendNotFoundError,
    BackendQuotaError,
    BackendResponseError,
)

log = logging.getLogger(__name__)
MODES = ("json_schema", "json_object", "prompt")
OPENAI_URL = "https://api.openai.com/v1"
PROBE_AFTER = 3  # server faults on one request before checking whether the output mode is the cause
REFUSAL_STATUSES = (400, 415, 422, 501)
_MODE_WORDS = ("response_format", "json_schema", "json_object", "structured output", "guided_", "grammar")


class OpenAICompatBackend(RemoteBackend):
    kind = "openai_compat"

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        mode: str = "auto",
        **options: Any,
    ) -> None:
        url = (base_url or OPENAI_URL).rstrip("/")
        if not api_key and url == OPENAI_URL and type(self) is OpenAICompatBackend:
            api_key = os.environ.get("OPENAI_API_KEY") or None  # the server's key goes to OpenAI only
        super().__init__(model=(model or "").strip(), base_url=url, api_key=api_key, **options)
        if mode not in ("auto", *MODES):
            from synth_gradio.errors import InputError

            raise InputError(f"unknown output mode {mode!r}; use auto, {', '.join(MODES)}")
        self.mode = "json_schema" if mode == "auto" else mode
        self._auto = mode == "auto"
        self._mode_lock = threading.Lock()
        self._works: set[str] = set()  # modes that answered at least once
        self._failed_prompts: dict[tuple[str, str], int] = {}  # (mode, prompt) -> server faults, while unproven
        self._checked = False
        self.notice = ""  # a sentence for the user when the model name was replaced

    def complete(self, request: CompletionRequest) -> list[Completion]:
        self.resolve_model()
        return super().complete(request)

    def resolve_model(self) -> str:
        """The model to use, checked once against /models (servers such as llama.cpp's answer for any name).

        An empty name, or a name the server does not list while it lists exactly one model, becomes
        that one model (with a warning for the latter); several listed models and an unknown name
        is a BackendNotFoundError naming them.
        """
        with self._mode_lock:
            if self._checked:
                return self.model
            self._checked = True
        try:
            served = self.list_models()
        except (BackendAuthError, BackendQuotaError):
            raise  # the key fails here as it would on every request
        except BackendError as exc:
            if not self.model:
                raise _needs_model(self.kind, f"; the server's model list could not be read ({exc})") from None
            return self.model  # no model list here: the first request will tell
        if not served or self.model in served:
            if not self.model:
                raise _needs_model(self.kind, f"; {self.base_url} lists no models")
            return self.model
        if len(served) == 1:
            if self.model:
                self.notice = (
                    f"model {self.model!r} is not listed at {self.base_url}; using {served[0]!r}, "
                    "the only model the server lists"
                )
                log.warning("%s", self.notice)
            self.model = served[0]
            return self.model
        shown = ", ".join(served[:10]) + (" ..." if len(served) > 10 else "")
        if not self.model:
            raise _needs_model(self.kind, f"; {self.base_url} serves: {shown}")
        raise BackendNotFoundError(
            f"model {self.model!r} is not served at {self.base_url}; available: {shown}",
            hint="Choose one of the models the server lists.",
        )

    def list_models(self) -> list[str]:
        data = self.get_json("/models")
        items = data.get("data", []) if isinstance(data, dict) else []
        return sorted(str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id"))

    def _payload(
        self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams, mode: str
    ) -> dict[str, Any]:
        if schema is not None and mode == "prompt":
            prompt += f"\nThe JSON object must match this JSON schema: {json.dumps(schema, ensure_ascii=False)}"
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_tokens,
        }
        if params.seed is not None:
            payload["seed"] = params.seed
        if schema is not None and mode == "json_schema":
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "record", "schema": schema, "strict": True},
            }
        elif schema is not None and mode == "json_object":
            payload["response_format"] = {"type": "json_object", "schema": schema}
        return payload

    def _send(self, prompt: str, schema: dict[str, Any] | None, params: GenerationParams) -> Completion:
        while True:
            mode = self.mode
            try:
                data = self.post_json("/chat/completions", self._payload(prompt, schema, params, mode))
            except BackendError as exc:
                if schema is None or not self._auto or mode == "prompt" or exc.fatal:
                    raise
                if refuses_mode(exc):
                    self._step_down(mode, exc)
                    continue
                if self._suspect(exc, prompt, mode):
                    probed = self._probe(prompt, schema, params, mode, exc)
                    if probed is not None:
                        return probed
                raise
            self._proven(mode)
            return self._completion(data)

    def _proven(self, mode: str) -> None:
        """A mode that answered once works here: later failures in it are server faults, not refusals."""
        if mode in self._works:
            return
        with self._mode_lock:
            self._works.add(mode)
            self._failed_prompts.clear()

    def _suspect(self, exc: BackendError, prompt: str, mode: str) -> bool:
        """Worth checking whether the mode, not the server, is at fault: only while it never answered.

        A non-retryable refusal, or a message naming the mode, is checked at once; a 5xx only once,
        when this same request has failed PROBE_AFTER times in this mode (a transient 5xx passes on a
        retry, so it never gets here).
        """
        with self._mode_lock:
            if mode in self._works:
                return False
            status = exc.status or 0
            if mode_named(exc) or (not exc.retryable and status >= 400):
                return True
            if status < 500:
                return False  # rate limits and lost connections say nothing about the mode
            key = (mode, prompt)
            self._failed_prompts[key] = self._failed_prompts.get(key, 0) + 1
            return self._failed_prompts[key] == min(PROBE_AFTER, self.retry.max_attempts)

    def _probe(
        self, prompt: str, schema: dict[str, Any], params: GenerationParams, mode: str, exc: BackendError
    ) -> Completion | None:
        """Send the same request without response_format; when that succeeds, the mode was the problem."""
        self.attempts += 1
        try:
            data = self.post_json("/chat/completions", self._payload(prompt, schema, params, "prompt"))
        except BackendError:
            return None  # the server fails without the mode too: keep the mode, report the first error
        self._step_down(mode, exc)
        return self._completion(data)

    def _step_down(self, mode: str, exc: BackendError) -> None:
        with self._mode_lock:
            if self.mode != mode or mode == "prompt":
                return
            self.mode = MODES[MODES.index(mode) + 1]
            self._failed_prompts.clear()
            self.capabilities = type(self.capabilities)(
                **{**self.capabilities.__dict__, "constrained": self.mode != "prompt"}
            )
        # The server's own words are not logged: a refusal often quotes the schema (its enum values, a pattern).
        status = f"HTTP {exc.status}" if exc.status else exc.kind
        log.warning("%s at %s refused %s output (%s); using %s", self.kind, self.base_url, mode, status, self.mode)

    def _completion(self, data: dict[str, Any]) -> Completion:
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise BackendResponseError(f"{self.kind} at {self.base_url} sent a response without choices")
        choice = choices[0]
        message = choice.get("message") or {}
        text = message.get("content") if isinstance(message, dict) else None
        if text is None:
            text = choice.get("text", "")
        usage = data.get("usage") or {}
        finish = choice.get("finish_reason") or "stop"
        return Completion(
            text=str(text or ""),
            tokens=int(usage.get("completion_tokens") or 0),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            finish_reason="length" if finish == "length" else "stop",
        )


def _needs_model(kind: str, detail: str) -> BackendError:
    return BackendNotFoundError(
        f"{kind} needs a model name{detail}; `python -m synth_gradio models --backend {kind}` lists them",
        hint="Enter one of the models the server lists.",
    )


def mode_named(exc: BackendError) -> bool:
    """The server's message names the output mode (response_format, json_schema, a grammar, ...)."""
    text = str(exc).lower()
    return any(word in text for word in _MODE_WORDS)


def refuses_mode(exc: BackendError) -> bool:
    """A refusal of the output mode itself: a 4xx (or 501) whose message names it. A 5xx is a server fault."""
    return exc.status in REFUSAL_STATUSES and mode_named(exc)
