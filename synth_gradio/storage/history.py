"""The history service: runs and their records, one transaction per committed batch.

The database is a SQLite file (the local default) or PostgreSQL (SYNTH_DATABASE_URL), for a Space or
any deployment with several users. `History.scoped(owner)` is the same database seen by one
signed-in user: their runs only, and another user's run id reads exactly like a missing one.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from peewee import Database, Expression, PostgresqlDatabase, fn

from synth_gradio.errors import RunNotFoundError, StorageError
from synth_gradio.storage import pg_commit
from synth_gradio.storage.db import POOL_SIZE, is_pooled, is_url, open_database, redact
from synth_gradio.storage.guard import retrying, transaction
from synth_gradio.storage.migrations import migrate
from synth_gradio.storage.models import Models, models_for, utcnow
from synth_gradio.storage.rows import run_to_dict, this_worker, worker_alive

T = TypeVar("T")
RUN_FIELDS = ("id", "status", "requested", "achieved", "backend", "model", "created_at")
# What a person reads first about a run (CLI `history show`, the History tab).
SUMMARY_FIELDS = (*RUN_FIELDS, "title", "template", "template_version", "candidates", "tokens", "duration_s", "error")
INSERT_CHUNK = 500


class DatabaseSettings(Protocol):
    db_path: Path
    database_url: str


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
    owner: str | None = None  # the signed-in user; None: the History's own owner (if scoped)


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
    """Stores runs in SQLite or PostgreSQL. Open it once per process (`History.from_settings`).

    `owner` is None for the whole history (no auth, or an admin); `scoped(user)` gives a user's view.
    """

    def __init__(self, path: str | Path, pool_size: int = POOL_SIZE) -> None:
        """`path`: a SQLite file, or a database URL such as postgresql://user:pass@host:5432/synth
        (`pool_size`: the most PostgreSQL connections this process holds)."""
        self.path = redact(path) if is_url(path) else str(path)  # never holds a password
        self.owner: str | None = None
        self.db: Database = open_database(path, pool_size)
        self.models: Models = models_for(self.db)  # bound to this handle only; scoped views share it
        retrying(self.db, self.path, lambda: migrate(self.db), what="prepare")
        if is_pooled(self.db):
            self.db.close()  # the opening connection goes back to the pool

    @classmethod
    def from_settings(cls, settings: DatabaseSettings) -> History:
        """The history the settings name: SYNTH_DATABASE_URL when set, else the SQLite file."""
        return cls(
            getattr(settings, "database_url", "") or settings.db_path, getattr(settings, "db_pool_size", POOL_SIZE)
        )

    def scoped(self, owner: str | None) -> History:
        """This database as `owner` sees it (None: everything); the connection is shared."""
        view = copy.copy(self)
        view.owner = owner
        return view

    def close(self) -> None:
        if is_pooled(self.db):
            self.db.close_all()  # every pooled connection, whichever thread opened it
        else:
            self.db.close()

    # ----- helpers ----------------------------------------------------------------------------------
    def _read(self, fn_: Callable[[], T]) -> T:
        return retrying(self.db, self.path, fn_, what="read")

    def _write(self, fn_: Callable[[], T]) -> T:
        return transaction(self.db, self.path, fn_)

    def _mine(self, run_id: int) -> Expression:
        """The condition for run `run_id` as this view may see it."""
        cond = self.models.Run.id == int(run_id)
        return cond if self.owner is None else cond & (self.models.Run.owner == self.owner)

    @staticmethod
    def _not_found(run_id: int) -> RunNotFoundError:
        return RunNotFoundError(f"no run with id {run_id}; `history list` shows the runs")

    def _require(self, run_id: int) -> None:
        if not self._read(lambda: self.models.Run.select(self.models.Run.id).where(self._mine(run_id)).exists()):
            raise self._not_found(run_id)

    def _update(self, run_id: int, **values: Any) -> None:
        def body() -> None:
            if not self.models.Run.update(**values).where(self._mine(run_id)).execute():
                raise self._not_found(run_id)

        self._write(body)

    # ----- start-up ---------------------------------------------------------------------------------
    def recover_interrupted(self) -> int:
        """Runs left `running` or `pending` by a dead process become `interrupted`; returns how many.

        A run whose worker process is still alive (another CLI or app on this machine) is left alone.
        Every user's runs are checked: a dead process is dead whoever started the run.
        """
        Run = self.models.Run
        rows = self._read(
            lambda: list(Run.select(Run.id, Run.worker, Run.updated_at).where(Run.status.in_(["running", "pending"])))
        )
        stale = [r.id for r in rows if not worker_alive(r.worker, r.updated_at)]
        if stale:
            self._write(
                lambda: Run.update(status="interrupted", updated_at=utcnow()).where(Run.id.in_(stale)).execute()
            )
        return len(stale)

    # ----- writing ----------------------------------------------------------------------------------
    def create_run(self, spec: RunSpec) -> int:
        def body() -> int:
            run = self.models.Run.create(
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
                owner=spec.owner if spec.owner is not None else self.owner,
            )
            if spec.learned is not None:
                self.models.LearnedModel.create(
                    run=run.id,
                    data_json=json.dumps(spec.learned, ensure_ascii=False),
                    summary_json=json.dumps(spec.learned_summary or {}, ensure_ascii=False),
                )
            return run.id

        return self._write(body)

    def mark_running(self, run_id: int, strategies: dict[str, str] | None) -> None:
        values: dict[str, Any] = {"status": "running", "updated_at": utcnow(), "error": None, "worker": this_worker()}
        if strategies is not None:
            values["strategies_json"] = json.dumps(strategies)
        self._update(run_id, **values)

    def commit_batch(self, run_id: int, records: list[dict[str, Any]], progress: RunProgress) -> None:
        """Append the batch's records and store the run's counters in one transaction.

        When the database cannot be written (disk full, I/O error), the batch is rolled back, the run
        is marked `interrupted` (when the database still allows that) and a StorageError says why.
        """
        run_id = int(run_id)
        data = [json.dumps(rec, ensure_ascii=False) for rec in records]
        counters = {
            "achieved": progress.achieved,
            "candidates": progress.candidates,
            "reject_counts_json": json.dumps(progress.reject_counts),
            "tokens": progress.tokens,
            "duration_s": progress.duration_s,
            "status": progress.status,
            "error": progress.error,
        }

        Run, Record = self.models.Run, self.models.Record

        def body() -> None:
            if not Run.update(**counters, updated_at=utcnow()).where(self._mine(run_id)).execute():
                raise self._not_found(run_id)
            last = Record.select(fn.MAX(Record.idx)).where(Record.run == run_id).scalar()
            start = 0 if last is None else last + 1
            rows = [{"run": run_id, "idx": start + i, "data": text} for i, text in enumerate(data)]
            for chunk in range(0, len(rows), INSERT_CHUNK):
                Record.insert_many(rows[chunk : chunk + INSERT_CHUNK]).as_rowcount().execute()

        def one_statement() -> None:  # PostgreSQL: the same in one round trip
            if not pg_commit.commit_batch(self.db, run_id, self.owner, {**counters, "updated_at": utcnow()}, data):
                raise self._not_found(run_id)

        try:
            if isinstance(self.db, PostgresqlDatabase) and not self.db.in_transaction():
                retrying(self.db, self.path, one_statement, what="write to")
            else:
                self._write(body)
        except RunNotFoundError:
            raise
        except StorageError as exc:
            raise self._interrupted(run_id, str(exc)) from None

    def _interrupted(self, run_id: int, problem: str) -> StorageError:
        """Best effort after a failed commit: mark the run interrupted so it can be resumed."""
        try:
            kept = self.count_records(run_id)
            message = f"{problem}, then resume run {run_id}, which keeps its {kept} records saved before"
            self._update(run_id, status="interrupted", error=message, updated_at=utcnow())
        except StorageError:  # the database refuses even that; a restart marks the run interrupted
            message = f"{problem}, then resume run {run_id} (the records saved before this batch are kept)"
        return StorageError(message)

    def set_status(self, run_id: int, status: str, error: str | None = None) -> None:
        self._update(run_id, status=status, error=error, updated_at=utcnow())

    def set_params(self, run_id: int, params: dict[str, Any]) -> None:
        """Replace a run's parameters (for state a run keeps while it runs, such as its batch job ids)."""
        self._update(run_id, params_json=json.dumps(params, ensure_ascii=False))

    def set_quality(self, run_id: int, quality: dict[str, Any]) -> None:
        self._update(run_id, quality_json=json.dumps(quality, ensure_ascii=False))

    def delete_run(self, run_id: int) -> None:
        Run, Record, LearnedModel = self.models.Run, self.models.Record, self.models.LearnedModel

        def body() -> None:
            if not Run.select(Run.id).where(self._mine(run_id)).exists():
                raise self._not_found(run_id)
            Record.delete().where(Record.run == run_id).execute()
            LearnedModel.delete().where(LearnedModel.run == run_id).execute()
            Run.delete().where(Run.id == run_id).execute()

        self._write(body)

    # ----- reading ----------------------------------------------------------------------------------
    def get_run(self, run_id: int) -> dict[str, Any]:
        run = self._read(lambda: self.models.Run.get_or_none(self._mine(run_id)))
        if run is None:
            raise self._not_found(run_id)
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
        """Runs newest first (this view's own), filtered by free text (title and schema), backend, status and dates."""
        Run = self.models.Run
        query = Run.select().order_by(Run.created_at.desc(), Run.id.desc())
        if self.owner is not None:
            query = query.where(Run.owner == self.owner)
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
        rows = self._read(lambda: list(query.limit(limit).offset(offset)))
        return [run_to_dict(r) for r in rows]

    def iter_records(self, run_id: int, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Records in order, read in pages so a large run never sits in memory at once."""
        self._require(run_id)
        return self._pages(int(run_id), batch)

    def _pages(self, run_id: int, batch: int) -> Iterator[dict[str, Any]]:
        Record = self.models.Record
        last = -1
        while True:
            query = (
                Record.select(Record.idx, Record.data)
                .where((Record.run == run_id) & (Record.idx > last))
                .order_by(Record.idx)
                .limit(batch)
            )
            rows = self._read(lambda q=query: list(q))
            if not rows:
                return
            for row in rows:
                yield json.loads(row.data)
            last = rows[-1].idx

    def get_learned(self, run_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(model, summary) the run was learned with, or None; an unreadable model is a StorageError."""
        self._require(run_id)
        row = self._read(lambda: self.models.LearnedModel.get_or_none(self.models.LearnedModel.run == run_id))
        if row is None:
            return None
        try:
            return json.loads(row.data_json), json.loads(row.summary_json)
        except ValueError as exc:
            raise StorageError(f"the stored model of run {run_id} cannot be read ({exc})") from None

    def count_records(self, run_id: int) -> int:
        self._require(run_id)
        return self._read(lambda: self.models.Record.select().where(self.models.Record.run == run_id).count())
