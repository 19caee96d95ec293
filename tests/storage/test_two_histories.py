"""Two History objects in one process, used from several threads at once (a test or a notebook
opening a second History while the app's engine writes through the first): each one reads and
writes its own database only, every record lands where it was sent, and nothing hangs.

The storage models were once bound process-wide to whichever History used them last, so a second
History made the first one's transaction run its statements on the other connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from synth_gradio.storage.db import open_database
from synth_gradio.storage.history import History, RunProgress, RunSpec
from synth_gradio.storage.models import Models, models_for
from synth_gradio.storage.template_store import TemplateStore

BATCHES, SIZE = 30, 7
JOIN_TIMEOUT_S = 90  # well past what the work needs; a hang fails the test instead of blocking it


def sql(history: History, text: str, *params: object) -> list[tuple]:
    """Raw SQL (written with `?`) on this history's own connection, bypassing the models."""
    cursor = history.db.execute_sql(text.replace("?", history.db.param), params)
    return list(cursor) if cursor.description else []


def new_run(history: History, title: str) -> int:
    spec = RunSpec(title=title, schema={"type": "object"}, backend="fake", model="m", requested=BATCHES * SIZE)
    run_id = history.create_run(spec)
    history.mark_running(run_id, None)
    return run_id


def writer(history: History, run_id: int, tag: str, stop: threading.Event) -> Callable[[], None]:
    def work() -> None:
        for batch in range(BATCHES):
            if stop.is_set():
                return
            records = [{"tag": tag, "n": batch * SIZE + i} for i in range(SIZE)]
            done = (batch + 1) * SIZE
            status = "completed" if batch == BATCHES - 1 else "running"
            history.commit_batch(run_id, records, RunProgress(done, done, {}, done, 0.01 * done, status))

    return work


def reader(history: History, runs: list[int], stop: threading.Event, finished: threading.Event) -> Callable[[], None]:
    """Lists, counts and reads while the writers write: none of it may move their transactions."""

    def work() -> None:
        while not stop.is_set() and not finished.is_set():
            assert sorted(r["id"] for r in history.list_runs()) == sorted(runs)
            for run_id in runs:
                seen = history.get_run(run_id)["achieved"]
                assert seen <= history.count_records(run_id) <= BATCHES * SIZE
                assert len(list(history.iter_records(run_id, batch=20))) <= BATCHES * SIZE

    return work


def run_threads(jobs: list[Callable[[], None]], finished: threading.Event, stop: threading.Event) -> None:
    """Run `jobs` at once (the first ones write; `finished` is set when they are done); re-raise any failure."""
    errors: list[BaseException] = []
    go = threading.Barrier(len(jobs))

    def guarded(job: Callable[[], None]) -> None:
        try:
            go.wait(timeout=JOIN_TIMEOUT_S)
            job()
        except BaseException as exc:
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=guarded, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    writers = threads[:2]
    for thread in writers:
        thread.join(JOIN_TIMEOUT_S)
    finished.set()
    for thread in threads[2:]:
        thread.join(JOIN_TIMEOUT_S)
    hung = [t.name for t in threads if t.is_alive()]
    stop.set()  # let a hung thread give up at its next batch
    assert not errors, f"a thread failed: {errors[0]!r}"
    assert not hung, f"threads still running after {JOIN_TIMEOUT_S} s (a hang): {hung}"


def assert_run_holds(history: History, run_id: int, tag: str) -> None:
    rows = sql(history, "SELECT idx, data FROM record WHERE run_id = ? ORDER BY idx", run_id)
    assert [idx for idx, _ in rows] == list(range(BATCHES * SIZE))
    assert all(f'"tag": "{tag}"' in data for _, data in rows), f"records of another run in run {run_id}"
    assert [r["n"] for r in history.iter_records(run_id)] == list(range(BATCHES * SIZE))
    run = history.get_run(run_id)
    assert (run["status"], run["achieved"], run["tokens"]) == ("completed", BATCHES * SIZE, BATCHES * SIZE)


def test_two_histories_on_two_databases_keep_to_their_own(new_target) -> None:
    first, second = History(new_target()), History(new_target())
    try:
        a = new_run(first, "A")
        b = new_run(second.scoped("ana"), "B")  # a scoped view shares its History's handle
        assert a == b  # the same id in both: a record sent to the wrong database would fit there silently
        stop, finished = threading.Event(), threading.Event()

        def templates() -> None:  # saved through the second database only
            store = TemplateStore(second)
            for i in range(5):
                store.save(f"t{i}", "", {"type": "object"}, [])
                assert TemplateStore(first).list() == []

        jobs = [
            writer(first, a, "A", stop),
            writer(second.scoped("ana"), b, "B", stop),
            reader(first, [a], stop, finished),
            reader(second.scoped("ana"), [b], stop, finished),
            templates,
        ]
        run_threads(jobs, finished, stop)

        assert sql(first, "SELECT COUNT(*) FROM run") == [(1,)]
        assert sql(second, "SELECT COUNT(*) FROM run") == [(1,)]
        assert sql(first, "SELECT COUNT(*) FROM record") == [(BATCHES * SIZE,)]
        assert sql(second, "SELECT COUNT(*) FROM record") == [(BATCHES * SIZE,)]
        assert_run_holds(first, a, "A")
        assert_run_holds(second, b, "B")
        assert second.get_run(b)["owner"] == "ana"
        assert [t["name"] for t in TemplateStore(second).list()] == [f"t{i}" for i in range(5)]
        assert sql(first, "SELECT COUNT(*) FROM savedtemplate") == [(0,)]
    finally:
        first.close()
        second.close()


def test_two_histories_on_one_database_commit_side_by_side(db_target: str) -> None:
    first, second = History(db_target), History(db_target)
    try:
        a, b = new_run(first, "A"), new_run(second, "B")
        stop, finished = threading.Event(), threading.Event()
        jobs = [
            writer(first, a, "A", stop),
            writer(second, b, "B", stop),
            reader(first, [a, b], stop, finished),
            reader(second, [a, b], stop, finished),
        ]
        run_threads(jobs, finished, stop)

        assert sql(first, "SELECT COUNT(*) FROM record") == [(2 * BATCHES * SIZE,)]
        for history in (first, second):
            assert_run_holds(history, a, "A")
            assert_run_holds(history, b, "B")
        assert first.recover_interrupted() == 0  # nothing was left `running`
    finally:
        first.close()
        second.close()


def test_each_database_handle_has_its_own_models(tmp_path) -> None:
    first, second = History(tmp_path / "a.db"), History(tmp_path / "b.db")
    again = History(tmp_path / "a.db")  # a second handle on the first file
    try:
        assert first.scoped("ana").models is first.models  # a view shares its handle's classes
        assert models_for(first.db) is first.models
        handles = [first, second, again]
        assert len({id(h.models.Run) for h in handles}) == 3
        for h in handles:
            assert all(model._meta.database is h.db for model in h.models.all)
            assert h.models.Record.run.rel_model is h.models.Run  # a foreign key stays on its own handle
            assert h.models.LearnedModel.run.rel_model is h.models.Run
        run_id = new_run(first, "A")
        first.commit_batch(run_id, [{"tag": "A"}], RunProgress(1, 1, {}, 0, 0.1, "running"))
        assert first.models.Record.get().run.title == "A"  # the related run is read through the same handle
        assert second.models.Record.select().count() == 0

        fresh = open_database(tmp_path / "c.db")
        made: list[Models] = []
        threads = [threading.Thread(target=lambda: made.append(models_for(fresh))) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT_S)
        assert len(made) == 8 and len({id(m) for m in made}) == 1  # made once, whichever thread comes first
        fresh.close()
    finally:
        for h in (first, second, again):
            h.close()
