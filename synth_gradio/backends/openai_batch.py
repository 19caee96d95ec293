"""Runs through a provider's Batch API: each engine batch becomes one batch job, at the batch price.

The job's lines are the exact requests the live backend would send (same payload, one seed per
record), so results are parsed, validated and deduplicated as live answers are; lines that failed,
expired or came back malformed are errors the engine counts as rejects and tops up with the next
batch. A job is keyed by a hash of its lines and its id is written to a journal (the run's stored
parameters) before polling starts: after a restart, resume rebuilds the same batch (same seed, same
records held), finds the job by its key and collects it instead of paying for it twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from synth_gradio.backends.base import Completion, CompletionRequest
from synth_gradio.backends.batch_jobs import TERMINAL, BatchJobs
from synth_gradio.backends.http import failed_completion, per_record
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.errors import BackendError, BackendRequestError, BackendResponseError

log = logging.getLogger(__name__)  # batch ids, statuses and counts only
MAX_LINES = 50_000  # the documented limit of requests per batch
STALE = ("cancelled", "failed")  # a journaled job in these states is not collected: a new one is sent


class BatchJournal(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, batch_id: str) -> None: ...


class MemoryJournal(dict):
    """For a run without history (tests, scripts): jobs are found again only within this process."""

    def put(self, key: str, batch_id: str) -> None:
        self[key] = batch_id


class BatchAPIBackend:
    """The Backend protocol over an OpenAICompatBackend, sending each batch as a batch job."""

    def __init__(
        self,
        live: OpenAICompatBackend,
        journal: BatchJournal | None = None,
        cancel: Callable[[], bool] | None = None,
        poll_s: float = 10.0,
    ) -> None:
        self.live = live
        self.kind, self.model, self.base_url = live.kind, live.model, live.base_url
        self.capabilities = dataclasses.replace(live.capabilities, max_batch=MAX_LINES)
        self.jobs = BatchJobs(live)
        self.journal = journal if journal is not None else MemoryJournal()
        self.cancelled = cancel or (lambda: False)
        self.poll_s = poll_s

    def resolve_model(self) -> str:
        self.model = self.live.resolve_model()
        return self.model

    def complete(self, request: CompletionRequest) -> list[Completion]:
        self.resolve_model()
        lines = self._lines(request)
        data = "\n".join(json.dumps(line, sort_keys=True, ensure_ascii=False) for line in lines).encode()
        key = hashlib.sha256(data).hexdigest()[:24]
        batch = self._journaled(key)
        if batch is None:
            file_id = self.jobs.upload(data, f"synth-{key}.jsonl")
            batch = self.jobs.create(file_id, {"synth_gradio_key": key})
            self.journal.put(key, str(batch["id"]))
            log.info("batch job %s sent: %d requests", batch["id"], len(lines))
        batch = self._wait(str(batch["id"]))
        return self._completions(batch, len(lines))

    def _lines(self, request: CompletionRequest) -> list[dict[str, Any]]:
        live = self.live
        bodies = [
            live._payload(prompt, request.json_schema, params, live.mode) for prompt, params in per_record(request)
        ]
        return [
            {"custom_id": f"r{i}", "method": "POST", "url": "/v1/chat/completions", "body": body}
            for i, body in enumerate(bodies)
        ]

    def _journaled(self, key: str) -> dict[str, Any] | None:
        batch_id = self.journal.get(key)
        if batch_id is None:
            return None
        try:
            batch = self.jobs.get(batch_id)
        except BackendError:
            return None  # the provider no longer knows it: send the batch again
        if batch["status"] in STALE:
            return None
        log.info("batch job %s found again (%s)", batch_id, batch["status"])
        return batch

    def _wait(self, batch_id: str) -> dict[str, Any]:
        while True:
            batch = self.jobs.get(batch_id)
            status = batch["status"]
            if status == "failed":
                errors = ((batch.get("errors") or {}).get("data")) or [{}]
                detail = errors[0].get("message") or errors[0].get("code") or "no reason given"
                raise BackendRequestError(f"the provider refused batch job {batch_id}: {detail}", fatal=True)
            if status in TERMINAL:
                return batch
            if self.cancelled():
                self.jobs.cancel(batch_id)
                raise BackendRequestError(f"stopped: batch job {batch_id} was cancelled at the provider")
            time.sleep(self.poll_s)

    def _completions(self, batch: dict[str, Any], count: int) -> list[Completion]:
        out, bad = self.jobs.lines(batch.get("output_file_id"))
        errs, bad_errs = self.jobs.lines(batch.get("error_file_id"))
        answers = {str(item["custom_id"]): self._answer(item) for item in out + errs}
        missing = BackendResponseError("the batch returned no usable line for this record (malformed or missing)")
        completions = [answers.get(f"r{i}") or failed_completion(missing) for i in range(count)]
        counts = {"answered": sum(c.error is None for c in completions), "malformed": bad + bad_errs}
        log.info("batch job %s %s: %s of %d usable", batch["id"], batch["status"], counts["answered"], count)
        return completions

    def _answer(self, item: dict[str, Any]) -> Completion:
        response = item.get("response") or {}
        error = item.get("error") or {}
        if error or response.get("status_code") != 200:
            code = error.get("code") or f"HTTP {response.get('status_code')}"
            if code == "batch_expired":
                return failed_completion(BackendRequestError("the batch expired before this record was answered"))
            return failed_completion(BackendRequestError(f"the batch line failed ({code})"))
        try:
            return self.live._completion(response.get("body") or {})
        except BackendError as exc:
            return failed_completion(exc)

    def close(self) -> None:
        self.live.close()
