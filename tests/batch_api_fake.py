"""A local server that follows the OpenAI Batch API as documented (a provider's batch API cannot run here).

    POST /v1/files                multipart purpose=batch, file=JSONL  -> file object {id, object: "file", ...}
    POST /v1/batches              {input_file_id, endpoint, completion_window, metadata} -> batch object
    GET  /v1/batches/{id}         -> batch object (status validating -> in_progress -> completed, or
                                     failed / expired / cancelling -> cancelled)
    POST /v1/batches/{id}/cancel  -> batch object
    GET  /v1/files/{id}/content   -> JSONL; output lines {id, custom_id, response: {status_code, request_id,
                                     body}, error: null}; error-file lines carry error {code, message}
                                     (code "batch_expired" for requests an expired batch never ran)
    GET  /v1/models               -> model list

Faults are scripted per batch, in the order batches are created: "expire" (half the lines answered,
the rest batch_expired), "fail_line" (the first line answered with status 500), "malformed" (one
output line that is not JSON), "refuse" (status failed with errors.data), "hold" (stays in_progress
until `release()`). `no_batch_api` answers 404 on /v1/files, as a server without the API does.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_servers import LocalServer, record_for


class BatchAPIServer(LocalServer):
    def __init__(self, models: list[str] | None = None) -> None:
        self.models = models or ["batch-model"]
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.faults: deque[set[str]] = deque()
        self.no_batch_api = False
        self.created = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._held: list[str] = []
        self.start()

    def script(self, *faults: set[str]) -> BatchAPIServer:
        self.faults.extend(faults)
        return self

    def release(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for batch_id in held:
            self._finish(batch_id, set())

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        raw = h.rfile.read(int(h.headers.get("content-length") or 0))
        path = h.path.split("?")[0]
        if not (h.headers.get("authorization") or "").startswith("Bearer "):
            return _send(
                h, 401, {"error": {"message": "You didn't provide an API key.", "type": "invalid_request_error"}}
            )
        parts = path.strip("/").split("/")  # v1, files|batches|models, id, content|cancel
        try:
            status, body = self._route(method, parts[1:], raw, h.headers.get("content-type") or "")
        except KeyError:
            status, body = 404, {"error": {"message": f"No such object: {path}", "type": "invalid_request_error"}}
        if isinstance(body, bytes):
            return _send(h, status, body, "application/octet-stream")
        return _send(h, status, body)

    def _route(self, method: str, parts: list[str], raw: bytes, ctype: str) -> tuple[int, Any]:
        head = parts[0] if parts else ""
        if method == "GET" and head == "models":
            return 200, {"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]}
        if head == "files" and method == "POST":
            if self.no_batch_api:
                return 404, {"error": {"message": "Not Found"}}
            return 200, self._upload(raw, ctype)
        if head == "files" and method == "GET" and len(parts) == 3 and parts[2] == "content":
            return 200, self.files[parts[1]]
        if head == "batches" and method == "POST" and len(parts) == 1:
            return self._create(json.loads(raw or b"{}"))
        if head == "batches" and method == "POST" and len(parts) == 3 and parts[2] == "cancel":
            return 200, self._cancel(parts[1])
        if head == "batches" and method == "GET" and len(parts) == 2:
            with self._lock:
                return 200, dict(self.batches[parts[1]])
        raise KeyError(head)

    def _upload(self, raw: bytes, ctype: str) -> dict[str, Any]:
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        assert fields["purpose"].get_content().strip() == "batch", "purpose must be batch"
        content = fields["file"].get_payload(decode=True)
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = content
        name = fields["file"].get_filename()
        return {"id": file_id, "object": "file", "bytes": len(content), "filename": name, "purpose": "batch"}

    def _create(self, body: dict[str, Any]) -> tuple[int, Any]:
        if body.get("input_file_id") not in self.files:
            return 400, {"error": {"message": "Invalid 'input_file_id'", "type": "invalid_request_error"}}
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            return 400, {"error": {"message": "Invalid endpoint or completion_window", "type": "invalid_request_error"}}
        batch_id = f"batch_{next(self._ids)}"
        lines = self.files[body["input_file_id"]].decode().splitlines()
        batch = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
            "input_file_id": body["input_file_id"], "completion_window": "24h", "status": "in_progress",
            "output_file_id": None, "error_file_id": None, "metadata": body.get("metadata"),
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        }  # fmt: skip
        with self._lock:
            self.batches[batch_id] = batch
            self.created += 1
            faults = self.faults.popleft() if self.faults else set()
            if "hold" in faults:
                self._held.append(batch_id)
        if "hold" not in faults:
            self._finish(batch_id, faults)
        return 200, dict(batch)

    def _finish(self, batch_id: str, faults: set[str]) -> None:
        batch = self.batches[batch_id]
        if batch["status"] != "in_progress":
            return
        if "refuse" in faults:
            batch.update(status="failed", errors={"object": "list", "data": [{"code": "invalid_json_line", "message": "Line 1 is not valid", "line": 1}]})  # fmt: skip
            return
        requests = [json.loads(line) for line in self.files[batch["input_file_id"]].decode().splitlines()]
        answered = requests[: len(requests) // 2] if "expire" in faults else requests
        out, errors = [], []
        for i, req in enumerate(answered):
            if i == 0 and "fail_line" in faults:
                errors.append(
                    _line(req, {"status_code": 500, "request_id": "r", "body": {"error": {"message": "server error"}}})
                )
                continue
            out.append(
                json.dumps(_line(req, {"status_code": 200, "request_id": f"req_{i}", "body": _answer(req["body"])}))
            )
        for req in requests[len(answered) :]:
            errors.append({**_line(req, None), "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}})  # fmt: skip
        if "malformed" in faults and out:
            out[-1] = out[-1][: len(out[-1]) // 2]
        batch["output_file_id"] = self._store("\n".join(out))
        batch["error_file_id"] = self._store("\n".join(json.dumps(e) for e in errors)) if errors else None
        batch["request_counts"] = {"total": len(requests), "completed": len(out), "failed": len(errors)}
        batch["status"] = "expired" if "expire" in faults else "completed"

    def _store(self, text: str) -> str:
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = text.encode()
        return file_id

    def _cancel(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            batch = self.batches[batch_id]
            if batch["status"] == "in_progress":
                batch["status"] = "cancelled"
            return dict(batch)


def _line(req: dict[str, Any], response: dict[str, Any] | None) -> dict[str, Any]:
    return {"id": f"batch_req_{req['custom_id']}", "custom_id": req["custom_id"], "response": response, "error": None}


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
    content = json.dumps(record_for(schema, int(body.get("seed") or 0), spell=True))
    return {
        "id": "chatcmpl-batch", "object": "chat.completion", "model": body.get("model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
    }  # fmt: skip


def _send(h: BaseHTTPRequestHandler, status: int, body: Any, ctype: str = "application/json") -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    h.send_response(status)
    h.send_header("content-type", ctype)
    h.send_header("content-length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)
