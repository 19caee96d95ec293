"""Studio: the one application facade. The UI, the CLI, the Python API and the benchmarks all resolve
schemas, build backends, run, stop, resume, export, compare and report through it.

Per-user values (API keys, the chosen backend) arrive with each call in a BackendConfig and are
never stored: a run keeps only the backend kind, model name and server address.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import itertools
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from synth_gradio.backends.base import Backend
from synth_gradio.backends.config import BackendConfig
from synth_gradio.backends.hub_models import fetch_model
from synth_gradio.backends.registry import list_models
from synth_gradio.engine.multitable import TableResult, generate_tables
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError, SynthError
from synth_gradio.schema.ddl import Table, parse_ddl
from synth_gradio.schema.describe import Draft, draft_schema
from synth_gradio.schema.model import Schema
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History
from synth_gradio.storage.template_store import TemplateStore
from synth_gradio.studio import analytics, comparison, drafting, estimate, judging, reports, runs, sharding, sources
from synth_gradio.studio.batching import batch_backend, for_batch_api
from synth_gradio.studio.catalog import Catalog
from synth_gradio.studio.executors import ExecutorChoice
from synth_gradio.studio.exports import Exporter
from synth_gradio.studio.judging import JudgeSettings
from synth_gradio.studio.runs import CancelSignals, check_resumable, request_from_run, spec_for

BackendLike = Backend | BackendConfig | None
JudgeLike = JudgeSettings | dict[str, Any] | bool | None  # see JudgeSettings.coerce
ExecutorLike = ExecutorChoice | dict[str, Any] | str | None  # see ExecutorChoice.coerce


class RunHandle(NamedTuple):
    run_id: int
    results: Iterator[BatchResult]


class Studio:
    def __init__(self, settings: Settings | None = None, history: History | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.history = history or History.from_settings(self.settings)
        self.history.recover_interrupted()
        self.catalog = Catalog(TemplateStore(self.history))
        self.exporter = Exporter(self.history, self.settings.export_dir)
        self._signals = CancelSignals()
        self.user: str | None = None  # who owns the runs this view starts (None: the single local user)
        self._sees_all = True
        self._root = self  # views are made from the whole history, whichever view is asked
        self._views: dict[tuple[str, bool], Studio] = {}
        self._views_lock = threading.Lock()

    def for_user(self, user: str | None, admin: bool = False) -> Studio:
        """The Studio one logged-in user works through: their own runs and saved templates (plus the
        built-in ones); another user's run id is "not found". An admin sees every run. `None` is the
        single local user of an app without logins, who sees everything. Views share the settings, the
        loaded backends and the Stop signals; each is made once."""
        root = self._root
        if user is None:
            return root
        with root._views_lock:
            view = root._views.get((user, admin))
            if view is None:
                view = copy.copy(root)
                view.user, view._sees_all = user, admin
                view.history = root.history if admin else root.history.scoped(user)
                view.catalog = Catalog(root.catalog.store.scoped(user))
                view.exporter = Exporter(view.history, root.settings.export_dir)
                root._views[(user, admin)] = view
        return view

    @property
    def _owner_filter(self) -> str | None:
        """Whose in-flight runs this view may stop (None: anyone's)."""
        return None if self._sees_all else self.user

    # ----- schemas ----------------------------------------------------------------------------------
    def resolve_schema(self, **source: Any) -> sources.ResolvedSchema:
        """One of template (+version), text, file, ddl (+table) or reference; see studio.sources.resolve."""
        return sources.resolve(self.catalog, **source)

    @staticmethod
    def parse_ddl(sql: str, dialect: str | None = None) -> list[Table]:
        return parse_ddl(sql, dialect)

    @staticmethod
    def describe(text: str, backend: Backend | None = None) -> Draft:
        """A draft schema from words ("500 customer complaints"): the field library, plus a capable backend's fields."""
        return draft_schema(text) if backend is None else drafting.with_model(text, draft_schema(text), backend)

    @staticmethod
    def infer_schema(path: str | Path, example_rows: int = 0) -> Schema:
        from synth_gradio.schema.infer import infer_schema

        return infer_schema(path, example_rows=example_rows)

    # ----- backends ---------------------------------------------------------------------------------
    def backend_config(self, kind: str | None = None, **choice: Any) -> BackendConfig:
        return BackendConfig.from_settings(self.settings, kind, **choice)

    def backend(self, backend: BackendLike = None) -> Backend:
        if backend is None:
            backend = self.backend_config()
        return backend.create() if isinstance(backend, BackendConfig) else backend

    def list_models(self, config: BackendConfig) -> list[str]:
        return list_models(config.kind, base_url=config.base_url or None, api_key=config.api_key or None)

    fetch_model = staticmethod(fetch_model)  # a Hub GGUF into the cache now (ORG/REPO[:FILE|:QUANT]): its path

    # ----- runs -------------------------------------------------------------------------------------
    def start(
        self,
        request: GenerationRequest,
        backend: BackendLike = None,
        *,
        run_id: int | None = None,
        group_id: str | None = None,
        cancel: threading.Event | None = None,
        judge: JudgeLike = None,
        executor: ExecutorLike = None,
    ) -> RunHandle:
        """Create (or, with run_id, reopen) the stored run now, so Stop works before its first batch ends.

        The only place runs are created. `judge` (JudgeSettings, its fields as a dict, or True) rejects
        records an LLM judge scores below its threshold. `executor` ("ray", "threads", ExecutorChoice)
        shards the run over workers that each build their own backend; None runs it in this process."""
        choice = backend if backend is not None else self.backend_config()
        engine_backend = self.backend(choice)
        runs.resolve_model(engine_backend)
        request, judge_backend, judged = judging.attach(request, judge, choice, engine_backend, self.settings)
        placed = ExecutorChoice.coerce(executor)
        request = for_batch_api(request, engine_backend, placed.sharded)  # request.batch_api: provider jobs
        shards = sharding.open_for(placed, request, choice)
        owner = self.user
        if run_id is None:
            spec = spec_for(request, engine_backend, group_id, owner=owner, executor=placed.stored())
            if judged is not None:  # the column is part of the stored records, so of their schema
                schema = judging.with_column(spec.schema, judged["column"])
                spec = dataclasses.replace(spec, schema=schema, params={**spec.params, "judging": judged})
            run_id = self.history.create_run(spec)
        else:  # a resumed run stays its owner's to stop, also when an admin resumed it
            owner = self.history.get_run(run_id).get("owner", owner)
        if request.template and request.template_version is not None:
            self.catalog.mark_used(request.template, request.template_version)
        event = self._signals.register(run_id, cancel, owner=owner)
        engine_backend = batch_backend(request, engine_backend, self.history, run_id, event)
        return RunHandle(run_id, self._stream(request, engine_backend, run_id, event, judge_backend, shards))

    def _stream(
        self,
        request: GenerationRequest,
        backend: Backend,
        run_id: int,
        event: threading.Event,
        judge_backend: Backend | None = None,
        shards: Any = None,
    ) -> Iterator[BatchResult]:
        prior = ((self.history.get_run(run_id).get("quality") or {}).get("usage")) or {}
        if shards is not None:
            results = sharding.results(self.history, request, shards, run_id, event)
        else:
            results = generate(request, backend, history=self.history, run_id=run_id, cancel=event)
        try:
            for result in results:
                if result.done:
                    runs.keep_usage(self.history, run_id, result, prior)
                yield result
        finally:
            results.close()  # a consumer that stops listening stops the engine too (it keeps what was made)
            self._signals.release(run_id)
            if judge_backend is not None:
                judge_backend.close()

    def run(
        self, request: GenerationRequest, backend: BackendLike = None, judge: JudgeLike = None, **placement: Any
    ) -> Iterator[BatchResult]:
        """Start a stored run and stream its batches (the run id is on every BatchResult); `executor=`
        shards it (see start)."""
        return self.start(request, backend, judge=judge, **placement).results

    def cancel(self, key: int | str) -> bool:
        """Stop a run (by id) or a multi-table job (by its group id) after the current batch."""
        if isinstance(key, str) and key.strip().isdigit():
            key = int(key)
        return self._signals.cancel(key, owner=self._owner_filter)

    def stored_request(self, run: dict[str, Any]) -> GenerationRequest:
        """A stored run's request, with the model it was learned with (no reference file needed)."""
        run = judging.without_column(run)
        stored = self.history.get_learned(run["id"])
        if stored is None:
            return request_from_run(run)
        from synth_gradio.studio import learning  # numpy-heavy; only runs learned from a table need it

        return request_from_run(run, learning.restore(stored[0] if stored else None, run["id"]))

    def _stored_backend(self, run: dict[str, Any], backend: BackendLike) -> BackendLike:
        """The run's own backend (a key and overrides from `backend`), or a ready Backend as given."""
        if backend is None or isinstance(backend, BackendConfig):
            return BackendConfig.from_run(run, self.settings, backend)
        return backend

    def rerun(self, run_id: int, backend: BackendLike = None, judge: JudgeLike = None) -> RunHandle:
        """A new run with the stored run's schema and parameters (and judge, unless `judge` replaces it)."""
        run = self.history.get_run(int(run_id))
        judge = judging.stored_judge(run, backend, judge)
        return self.start(self.stored_request(run), self._stored_backend(run, backend), judge=judge)

    def resume(
        self, run_id: int, backend: BackendLike = None, judge: JudgeLike = None, executor: ExecutorLike = None
    ) -> RunHandle:
        """Complete an interrupted, cancelled or failed run to its N; its counters (and judge) continue.
        A sharded run resumes on the executor it was started with unless `executor` says otherwise."""
        run = self.history.get_run(int(run_id))
        check_resumable(run, self._signals)
        judge = judging.stored_judge(run, backend, judge)
        placed = sharding.stored_choice(run, executor)
        request, choice = self.stored_request(run), self._stored_backend(run, backend)
        return self.start(request, choice, run_id=run["id"], judge=judge, executor=placed)

    def generate_records(
        self,
        n: int,
        *,
        template: str | None = None,
        schema: Schema | dict[str, Any] | str | None = None,
        reference: str | Path | None = None,
        backend: BackendLike = None,
        seed: int | None = None,
        judge: JudgeLike = None,
        executor: ExecutorLike = None,
        **request_options: Any,
    ) -> list[dict[str, Any]]:
        """Run to the end and return the records (stored in history like every run).

        `reference`: a real table to learn the values from (its schema is inferred unless a template
        or schema is given). `judge`: score each record with an LLM judge (True, a dict such as
        {"threshold": 0.6, "column": "judge_score"}, or JudgeSettings). Raises the run's error as a
        SynthError when it does not complete; what was made stays stored.
        """
        resolved = sources.for_records(self.catalog, template, schema, reference, seed or 0)
        request = GenerationRequest(
            schema=resolved.schema,
            n=n,
            seed=seed,
            template=resolved.template,
            template_version=resolved.version,
            learned=resolved.learned,
            **request_options,
        )
        records: list[dict[str, Any]] = []
        last = None
        for last in self.run(request, backend, judge=judge, executor=executor):
            records.extend(last.accepted)
        if last is not None and last.status != "completed":
            raise SynthError(f"generation {last.status} with {len(records)} of {n} records: {last.error}")
        return records

    def start_tables(
        self,
        tables: list[Table],
        counts: dict[str, int],
        backend: BackendLike = None,
        *,
        default_n: int = 10,
        seed: int | None = None,
        **request_options: Any,
    ) -> tuple[str, Iterator[tuple[str, BatchResult, dict[str, TableResult]]]]:
        """Every table of a SQL schema, parents first, as stored runs of one group; cancel(group id) stops it."""
        group_id = uuid.uuid4().hex[:12]
        engine_backend = self.backend(backend)
        event = self._signals.register(group_id, owner=self.user)
        started: list[Iterator[BatchResult]] = []

        def run_table(request: GenerationRequest) -> Iterator[BatchResult]:
            started.append(self.start(request, engine_backend, group_id=group_id, cancel=event).results)
            return started[-1]

        def stream() -> Iterator[tuple[str, BatchResult, dict[str, TableResult]]]:
            try:
                yield from generate_tables(tables, counts, run_table, default_n=default_n, seed=seed, **request_options)
            finally:
                for results in started:  # a consumer that stops listening (a closed tab) stops the table in progress
                    results.close()
                self._signals.release(group_id)

        return group_id, stream()

    def learn_tables(self, paths: Any, keys: Any = (), sequences: Any = (), seed: int = 0) -> Any:
        """Related tables (or a table of sequences) learned together: see studio.related.learn_tables."""
        return _related().learn_tables(paths, keys, sequences, seed=seed)

    def start_related(
        self, learned: Any, n: int, backend: BackendLike = None, *, seed: int | None = None, **request_options: Any
    ) -> tuple[str, Iterator[tuple[str, BatchResult, dict[str, TableResult]]]]:
        """n top-level entities of learned tables, every table a stored run of one group (parents first)."""
        rows = _related().table_rows(learned, n, seed or 0)
        return self.start_tables(learned.tables, {}, backend, seed=seed, learned=rows, **request_options)

    def generate_related(
        self, paths: Any, n: int, *, keys: Any = (), sequences: Any = (), backend: BackendLike = None, **options: Any
    ) -> dict[str, list[dict[str, Any]]]:
        """Learn the tables and run them to the end: {table: records}; a table that fails raises SynthError."""
        learned = self.learn_tables(paths, keys, sequences, seed=options.get("seed") or 0)
        return _related().finish(learned, self.start_related(learned, n, backend, **options)[1])

    def quality_tables(self, group_id: str, references: Any) -> dict[str, Any]:
        """A related job's tables against the real ones: fidelity per table, structure between them."""
        return _related().family_quality(self.history, group_id, references)

    def compare(
        self, request: GenerationRequest, configs: list[tuple[BackendConfig, float | None]]
    ) -> Iterator[tuple[str, dict[str, BatchResult], dict[str, str]]]:
        return comparison.compare_models(self, request, configs)

    def comparison_table(self, group_id: str) -> list[dict[str, Any]]:
        return comparison.comparison_table(self.history, group_id)

    def suggest(self, schema: Schema, backend: BackendLike = None, seed: int = 0) -> Any:
        """Distributions and rules proposed by the backend, validated (see studio.suggest)."""
        from synth_gradio.studio import suggest

        return suggest.suggest(schema, self.backend(backend), seed)

    # ----- history ----------------------------------------------------------------------------------
    def list_runs(self, **filters: Any) -> list[dict[str, Any]]:
        return self.history.list_runs(**filters)

    def get_run(self, run_id: int) -> dict[str, Any]:
        return self.history.get_run(int(run_id))

    def preview(self, request: GenerationRequest, backend: BackendLike = None, k: int = 5, stream: bool = False) -> Any:
        """`k` records made now, stored nowhere, and the estimate for `request.n` (stream=True: Previews as they come)."""
        make = estimate.preview_stream if stream else estimate.preview
        return make(request, self.backend(backend), k)

    def analytics(self, since: dt.datetime | None = None) -> dict[str, Any]:
        """Numbers over the stored runs: volume per day, templates, speed and score, tokens and cost."""
        return analytics.compute(self.history, since=since)

    def push_to_hub(self, run_id: int, repo_id: str, *, token: str | None = None, **options: Any) -> str:
        """Upload a run as a Hugging Face dataset repository; returns its URL (see studio.publish)."""
        from synth_gradio.studio import publish

        return publish.push_run(self.history, int(run_id), repo_id, token=token, **options)

    def records(self, run_id: int, limit: int = 200) -> list[dict[str, Any]]:
        """The first `limit` stored records of a run."""
        return list(itertools.islice(self.history.iter_records(int(run_id), batch=limit), limit))

    def delete_run(self, run_id: int) -> None:
        self.history.get_run(int(run_id))  # another user's run is "not found", never "still running"
        if self._signals.running(int(run_id)):
            raise InputError(f"run {run_id} is still running; stop it first")
        self.history.delete_run(int(run_id))

    # ----- exports and reports ----------------------------------------------------------------------
    def export(self, run_id: int, out: str | Path, **options: Any) -> dict[Path, int]:
        """Write a run to `out` (split=(train, validation, test) ratios for three files)."""
        return self.exporter.export(int(run_id), out, **options)

    def download(self, run_id: int, fmt: str = "csv") -> Path:
        """A new file of the run in `fmt`, written now (nothing is written before someone asks)."""
        return self.exporter.download(int(run_id), fmt)

    def quality_report(
        self, run_id: int, reference: str | Path | None = None, target: str | None = None
    ) -> dict[str, Any]:
        """Score and metrics; with a reference table, fidelity, privacy and ML efficacy for `target`."""
        return reports.quality_report(self.history, int(run_id), reference, target or None)

    def report_figures(self, run_id: int, reference: str | Path | None = None) -> list[tuple[str, str]]:
        return reports.report_figures(self.history, int(run_id), reference)


def generate_records(n: int, *, studio: Studio | None = None, **options: Any) -> list[dict[str, Any]]:
    """Notebooks and scripts: `n` records from a template or schema, stored in the default history
    (SYNTH_DB_PATH or ~/.synth_gradio/history.db) unless a Studio is given. See Studio.generate_records."""
    return (studio or Studio()).generate_records(n, **options)


def _related() -> Any:
    """studio.related, imported when first needed (numpy-heavy; only related tables use it)."""
    from synth_gradio.studio import related

    return related
