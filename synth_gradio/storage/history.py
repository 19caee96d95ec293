"""The history service: runs and their records, one transaction per committed batch."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase, fn

from synth_gradio.errors import InputError, StorageError
from synth_gradio.storage.db import open_database
from synth_gradio.storage.migrations import migrate
from synth_gradio.storage.models import MODELS, LearnedModel, Record, Run, utcnow

RUN_FIELDS = ("id", "status", "requested", "achieved", "backend", "model", "created_at")
# What a person reads first about a run (CLI `history show`, the History tab).
SUMMARY_FIELDS = (*RUN_FIELDS, "title", "template", "template_version", "candidates", "tokens", "duration_s", "error")


@dataclass(frozen=True)
class RunSpec:
    """Everything stored when a run is created: plain values, never keys or other secrets."""

    title: str
    schema: dict[str, Any]
    backend: str
    model: str
    requested: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    template: str | None = None
    template_version: int | None = None
    group_id: str | None = None
    learned: dict[str, Any] | None = None  # a fitted joint model (JSON), kept so re-run and resume need no file
    learned_summary: dict[str, Any] | None = None


@dataclass(frozen=True)
class RunProgress:
    """A run's counters after a batch, as the engine computed them (whole run, not this batch)."""

    achieved: int
    candidates: int
    reject_counts: dict[str, int]
    tokens: int
    duration_s: float
    status: str
    error: str | None = None


class History:
    """Stores runs in SQLite. Open it once per process with the path from settings."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db: SqliteDatabase = open_database(path)
        self._bind()
        try:
            migrate(self.db)
        except Exception as exc:
            raise StorageError(f"cannot prepare the history database {self.path}: {exc}") from None

    def _bind(self) -> None:
        if Run._meta.database is not self.db:
            self.db.bind(MODELS)

    def close(self) -> None:
        self.db.close()

    # ----- start-up ---------------------------------------------------------------------------------
    def recover_interrupted(self) -> int:
        """Runs left `running` or `pending` by a dead process become `interrupted`; returns how many.

        A run whose worker process is still alive (another CLI or app on this machine) is left alone.
        """
        self._bind()
        stale = [
            r.id
            for r in Run.select(Run.id, Run.worker, Run.updated_at).where(Run.status.in_(["running", "pending"]))
            if not _worker_alive(r.worker, r.updated_at)
        ]
        if stale:
            with self.db.atomic():
                Run.update(status="interrupted", updated_at=utcnow()).where(Run.id.in_(stale)).execute()
        return len(stale)

    # ----- writing ----------------------------------------------------------------------------------
    def create_run(self, spec: RunSpec) -> int:
        self._bind()
        with self.db.atomic():
            run = Run.create(
                title=spec.title,
                template=spec.template,
                template_version=spec.template_version,
                schema_json=json.dumps(spec.schema, ensure_ascii=False),
                examples_json=json.dumps(list(spec.examples), ensure_ascii=False),
                backend=spec.backend,
                model=spec.model,
                params_json=json.dumps(spec.params),
                status="pending",
                requested=spec.requested,
                worker=this_worker(),
                group_id=spec.group_id,
            )
            if spec.learned is not None:
                LearnedModel.create(
                    run=run.id,
                    data_json=json.dumps(spec.learned, ensure_ascii=False),
                    summary_json=json.dumps(spec.learned_summary or {}, ensure_ascii=False),
                )
        return run.id

    def mark_running(self, run_id: int, strategies: dict[str, str] | None) -> None:
        self._bind()
        values: dict[str, Any] = {"status": "running", "updated_at": utcnow(), "error": None, "worker": this_worker()}
        if strategies is not None:
            values["strategies_json"] = json.dumps(strategies)
        with self.db.atomic():
            Run.update(**values).where(Run.id == run_id).execute()

    def commit_batch(self, run_id: int, records: list[dict[str, Any]], progress: RunProgress) -> None:
        """Append the batch's records and store the run's counters in one transaction."""
        self._bind()
        with self.db.atomic():
            start = Record.select(fn.COUNT(Record.id)).where(Record.run == run_id).scalar() or 0
            rows = [
                {"run": run_id, "idx": start + i, "data": json.dumps(rec, ensure_ascii=False)}
                for i, rec in enumerate(records)
            ]
            for chunk in range(0, len(rows), 500):
                Record.insert_many(rows[chunk : chunk + 500]).execute()
            Run.update(
                achieved=progress.achieved,
                candidates=progress.candidates,
                reject_counts_json=json.dumps(progress.reject_counts),
                tokens=progress.tokens,
                duration_s=progress.duration_s,
                status=progress.status,
                error=progress.error,
                updated_at=utcnow(),
            ).where(Run.id == run_id).execute()

    def set_status(self, run_id: int, status: str, error: str | None = None) -> None:
        self._bind()
        with self.db.atomic():
            Run.update(status=status, error=error, updated_at=utcnow()).where(Run.id == run_id).execute()

    def set_quality(self, run_id: int, quality: dict[str, Any]) -> None:
        self._bind()
        with self.db.atomic():
            Run.update(quality_json=json.dumps(quality, ensure_ascii=False)).where(Run.id == run_id).execute()

    def delete_run(self, run_id: int) -> None:
        self._bind()
        self.get_run(run_id)
        with self.db.atomic():
            Record.delete().where(Record.run == run_id).execute()
            LearnedModel.delete().where(LearnedModel.run == run_id).execute()
            Run.delete_by_id(run_id)

    # ----- reading ----------------------------------------------------------------------------------
    def get_run(self, run_id: int) -> dict[str, Any]:
        self._bind()
        run = Run.get_or_none(Run.id == run_id)
        if run is None:
            raise InputError(f"no run with id {run_id}; `history list` shows the runs")
        return run_to_dict(run)

    def list_runs(
        self,
        search: str = "",
        backend: str = "",
        status: str = "",
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int = 50,
        offset: int = 0,
        group_id: str = "",
    ) -> list[dict[str, Any]]:
        """Runs newest first, filtered by free text (title and schema), backend, status and dates."""
        self._bind()
        query = Run.select().order_by(Run.created_at.desc(), Run.id.desc())
        if search:
            like = f"%{search}%"
            query = query.where(Run.title**like | Run.schema_json**like | Run.template**like)
        if backend:
            query = query.where(Run.backend == backend)
        if group_id:
            query = query.where(Run.group_id == group_id)
        if status:
            query = query.where(Run.status == status)
        if since:
            query = query.where(Run.created_at >= since)
        if until:
            query = query.where(Run.created_at <= until)
        return [run_to_dict(r) for r in query.limit(limit).offset(offset)]

    def iter_records(self, run_id: int, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Records in order, read in pages so a large run never sits in memory at once."""
        self._bind()
        last = -1
        while True:
            rows = list(
                Record.select(Record.idx, Record.data)
                .where((Record.run == run_id) & (Record.idx > last))
                .order_by(Record.idx)
                .limit(batch)
            )
            if not rows:
                return
            for row in rows:
                yield json.loads(row.data)
            last = rows[-1].idx

    def get_learned(self, run_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(model, summary) the run was learned with, or None; an unreadable model is a StorageError."""
        self._bind()
        row = LearnedModel.get_or_none(LearnedModel.run == run_id)
        if row is None:
            return None
        try:
            return json.loads(row.data_json), json.loads(row.summary_json)
        except ValueError as exc:
            raise StorageError(f"the stored model of run {run_id} cannot be read ({exc})") from None

    def count_records(self, run_id: int) -> int:
        self._bind()
        return Record.select().where(Record.run == run_id).count()


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(worker: str | None, updated_at: dt.datetime) -> bool:
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


def run_to_dict(run: Run) -> dict[str, Any]:
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
        "schema": json.loads(run.schema_json),
        "examples": json.loads(run.examples_json),
    }
