"""Local HTTP fakes for services that cannot run here (Ollama, the HF router).

They follow the documented request and response formats:
- Ollama: POST /api/chat {model, messages, stream: false, format, options} ->
  {model, created_at, message: {role, content}, done, done_reason, prompt_eval_count, eval_count};
  GET /api/tags -> {models: [{name, model, size, ...}]}; errors are {"error": "..."}.
- HF router (OpenAI-compatible): POST /v1/chat/completions -> {id, object, choices: [{index, message,
  finish_reason}], usage}; GET /v1/models -> {object: "list", data: [{id, ...}]}.
Each POST pops the next scripted step: (status, body or None for a valid record, headers, delay);
GET requests (model lists) answer with `get_step`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    status: int = 200
    body: Any = None  # None: a valid answer built from the requested schema; str: sent raw
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


# A record with a run-wide sequence id, a code-drawn amount and a model-written note (sharding and batch tests).
NOTE_SCHEMA: dict[str, Any] = {
    "title": "note",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "x-sequence": True},
        "amount": {"type": "number", "minimum": 1, "maximum": 500},
        "note": {"type": "string", "description": "a short note", "maxLength": 80},
    },
    "required": ["id", "amount", "note"],
}
# Five letters each, so six of them fit an 80-character note.
WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "haven", "inlet", "jetty"]


def record_for(schema: dict[str, Any] | None, n: int, spell: bool = False) -> dict[str, Any]:
    """A valid record for `schema`; `spell` writes n as words (long digit runs read as junk)."""
    out: dict[str, Any] = {}
    for name, node in ((schema or {}).get("properties") or {"text": {"type": "string"}}).items():
        kind = node.get("type")
        if "enum" in node:
            out[name] = node["enum"][n % len(node["enum"])]
        elif kind == "integer":
            out[name] = int(node.get("minimum", 0)) + n
        elif kind == "number":
            out[name] = float(node.get("minimum", 0)) + n / 2
        elif kind == "boolean":
            out[name] = n % 2 == 0
        else:
            # A digit's word shifts with its place, so no word repeats in a row (repeats read as junk).
            number = (
                " ".join(WORDS[(int(d) + 3 * i) % 10] for i, d in enumerate(str(n % 1_000_000))) if spell else str(n)
            )
            out[name] = f"Answer number {number} from the fake server"
    return out


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 at a free port; every request goes to `handle(h, method)`."""

    url: str

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.handle(self, "GET")

            def do_POST(self) -> None:
                owner.handle(self, "POST")

            def do_HEAD(self) -> None:
                owner.handle(self, "HEAD")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeService(LocalServer):
    """A scripted server on 127.0.0.1; `requests` keeps every (path, payload, headers) it saw."""

    def __init__(self, flavour: str, models: list[str] | None = None) -> None:
        self.flavour = flavour  # "ollama" or "openai"
        self.models = models or ["llama3.1:8b"]
        self.script: deque[Step] = deque()
        self.default = Step()
        self.get_step = Step()
        self.by_seed = False  # True: an answer is fixed by the request's seed (same seed, same record)
        self.requests: list[tuple[str, dict[str, Any], dict[str, str]]] = []
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.start()

    def then(self, *steps: Step) -> FakeService:
        self.script.extend(steps)
        return self

    def chat_requests(self) -> list[dict[str, Any]]:
        return [
            payload for path, payload, _ in self.requests if path.endswith("/chat") or path.endswith("/completions")
        ]

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        payload = json.loads(raw) if raw else {}
        with self._lock:
            self.requests.append((h.path, payload, dict(h.headers)))
            step = self.next_step(method)
        if step.delay:
            time.sleep(step.delay)
        if method == "GET":
            body = step.body if step.status != 200 or step.body is not None else self.model_list()
        elif step.status == 200 and step.body is None:
            body = self.answer(payload)
        else:
            body = step.body
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            h.send_response(step.status)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", str(len(data)))
            for key, value in step.headers.items():
                h.send_header(key, value)
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def next_step(self, method: str) -> Step:
        if method == "GET":
            return self.get_step
        return self.script.popleft() if self.script else self.default

    def model_list(self) -> dict[str, Any]:
        if self.flavour == "ollama":
            return {
                "models": [
                    {"name": m, "model": m, "size": 4_920_000_000, "details": {"family": "llama"}} for m in self.models
                ]
            }
        return {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "fake"} for m in self.models]}

    def answer(self, payload: dict[str, Any]) -> dict[str, Any]:
        n = int(payload["seed"]) if self.by_seed and payload.get("seed") is not None else next(self._counter)
        if self.flavour == "ollama":
            content = json.dumps(record_for(payload.get("format"), n))
            return {
                "model": payload.get("model"),
                "created_at": "2026-11-23T00:00:00Z",
                "message": {"role": "assistant", "content": content},
                "done": True,
                "done_reason": "stop",
                "prompt_eval_count": 50,
                "eval_count": 20,
            }
        fmt = payload.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema")
        prompt = str(payload.get("messages", [{}])[-1].get("content", ""))
        marker = "must match this JSON schema: "
        if schema is None and marker in prompt:
            schema = json.loads(prompt.split(marker, 1)[1].splitlines()[0])
        content = json.dumps(record_for(schema, n, spell=self.by_seed))
        if not fmt:  # prompt-and-parse: answer the way chat models do, in prose with a code fence
            content = f"Here is the record:\n```json\n{content}\n```"
        return {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion",
            "created": 0,
            "model": payload.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
        }


def seeded_openai() -> FakeService:
    """An OpenAI-compatible fake whose answer is fixed by the request's seed (same shard, same records)."""
    fake = FakeService("openai", models=["m"])
    fake.by_seed = True
    return fake


def openai_config(service: LocalServer, model: str = "m", key: str = "sk-test") -> Any:
    from synth_gradio.backends.config import BackendConfig

    return BackendConfig(kind="openai_compat", model=model, base_url=service.url + "/v1", api_key=key)
