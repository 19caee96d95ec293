"""The OpenAI Batch API, as documented: upload a JSONL file, create a batch, poll it, read its files.

    POST /files (multipart: purpose=batch, file)        -> {"id": "file-..."}
    POST /batches {input_file_id, endpoint, completion_window, metadata}  -> a batch object
    GET  /batches/{id}                                   -> status: validating, in_progress, finalizing,
                                                            completed, failed, expired, cancelling, cancelled
    GET  /files/{id}/content                             -> JSONL: {custom_id, response: {status_code, body}, error}
    POST /batches/{id}/cancel

Requests go through the live backend's client and its error translation, so a bad key, an unknown
endpoint or a lost server is the same sentence as for live requests (and the key is never shown).
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

import httpx

from synth_gradio.errors import BackendError, BackendNotFoundError, BackendResponseError

if TYPE_CHECKING:
    from synth_gradio.backends.openai_compat import OpenAICompatBackend

TERMINAL = ("completed", "failed", "expired", "cancelled")


class BatchJobs:
    def __init__(self, live: OpenAICompatBackend) -> None:
        self.live = live

    def upload(self, jsonl: bytes, name: str) -> str:
        """The id of a new batch input file; a server without a batch API says so in one sentence."""
        live = self.live
        url = f"{live.base_url}/files"
        try:
            response = live.client.post(
                url,
                data={"purpose": "batch"},
                files={"file": (name, jsonl, "application/jsonl")},
                headers=live.headers(),
            )
        except httpx.TransportError as exc:
            raise live._redact(live._transport_error(exc)) from None
        if response.status_code in (404, 405, 501):
            raise BackendNotFoundError(
                f"{live.base_url} has no batch API (POST /files answered {response.status_code}); "
                "run without --batch-api to send live requests",
                status=response.status_code,
            )
        if response.status_code >= 400:
            raise live._redact(live.status_error(response))
        return str(_json(response, live.base_url).get("id") or _missing("file id", live.base_url))

    def create(self, file_id: str, metadata: dict[str, str]) -> dict[str, Any]:
        body = {
            "input_file_id": file_id,
            "endpoint": "/v1/chat/completions",
            "completion_window": "24h",
            "metadata": metadata,
        }
        return self.live.post_json("/batches", body)

    def get(self, batch_id: str) -> dict[str, Any]:
        data = self.live.get_json(f"/batches/{batch_id}")
        if not isinstance(data, dict) or "status" not in data:
            raise BackendResponseError(f"{self.live.base_url} sent a batch without a status")
        return data

    def cancel(self, batch_id: str) -> None:
        with contextlib.suppress(BackendError):  # already finished, or gone: nothing left to stop
            self.live.post_json(f"/batches/{batch_id}/cancel", {})

    def lines(self, file_id: str | None) -> tuple[list[dict[str, Any]], int]:
        """A result file's lines as dicts, and how many lines were not JSON objects."""
        if not file_id:
            return [], 0
        text = self.live._request("GET", f"/files/{file_id}/content").text
        out, bad = [], 0
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(item, dict) and item.get("custom_id"):
                out.append(item)
            else:
                bad += 1
        return out, bad


def _json(response: httpx.Response, where: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise BackendResponseError(f"{where} sent a body that is not a JSON object", status=response.status_code)
    return data


def _missing(what: str, where: str) -> str:
    raise BackendResponseError(f"{where} answered without a {what}")
