"""Stored rows as plain values, and which process a run belongs to (to tell crashed runs apart)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from typing import Any

from peewee import Model

from synth_gradio.storage.models import utcnow


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_alive(worker: str | None, updated_at: dt.datetime) -> bool:
    if not worker or ":" not in worker:
        return False
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname():
        return utcnow() - updated_at < dt.timedelta(hours=1)  # another machine: trust a recent update
    if int(pid) == os.getpid():
        return False  # left running by this process earlier (an abandoned generator)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_to_dict(run: Model) -> dict[str, Any]:
    return {
        "id": run.id,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "updated_at": run.updated_at.isoformat(timespec="seconds"),
        "title": run.title,
        "template": run.template,
        "template_version": run.template_version,
        "status": run.status,
        "requested": run.requested,
        "achieved": run.achieved,
        "candidates": run.candidates,
        "backend": run.backend,
        "model": run.model,
        "params": json.loads(run.params_json),
        "strategies": json.loads(run.strategies_json),
        "reject_counts": json.loads(run.reject_counts_json),
        "tokens": run.tokens,
        "duration_s": round(run.duration_s, 3),
        "error": run.error,
        "quality": json.loads(run.quality_json) if run.quality_json else None,
        "group_id": run.group_id,
        "owner": run.owner,
        "schema": json.loads(run.schema_json),
        "examples": json.loads(run.examples_json),
    }
