"""PostgreSQL through a pool: one process holds at most SYNTH_DB_POOL_SIZE connections however many
threads it runs (Gradio's workers, generation threads), and a pool that stays busy is one sentence."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import psycopg2
import pytest

from synth_gradio.errors import StorageError
from synth_gradio.settings import Settings
from synth_gradio.storage.history import History, RunProgress, RunSpec


def _peak_connections(url: str, stop: threading.Event, peak: list[int]) -> None:
    database = urlsplit(url).path.strip("/")
    watch = psycopg2.connect(url)
    watch.autocommit = True
    with watch.cursor() as cur:
        while not stop.is_set():
            cur.execute(
                "select count(*) from pg_stat_activity where datname = %s and pid <> pg_backend_pid()", (database,)
            )
            peak[0] = max(peak[0], cur.fetchone()[0])
            time.sleep(0.005)
    watch.close()


def test_sixteen_threads_share_a_pool_of_three_and_lose_nothing(pg_url: str) -> None:
    history = History(pg_url, pool_size=3)
    runs = [history.create_run(RunSpec(title=f"t{i}", schema={}, backend="fake", model="", requested=40))
            for i in range(16)]  # fmt: skip
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=_peak_connections, args=(pg_url, stop, peak))
    watcher.start()
    errors: list[BaseException] = []

    def work(run_id: int) -> None:
        try:
            for batch in range(4):
                rows = [{"i": batch * 10 + k} for k in range(10)]
                progress = RunProgress(achieved=(batch + 1) * 10, candidates=(batch + 1) * 10, reject_counts={},
                                       tokens=0, duration_s=0.1, status="running")  # fmt: skip
                history.commit_batch(run_id, rows, progress)
                history.get_run(run_id)
                history.list_runs(limit=5)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(r,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    stop.set()
    watcher.join()
    assert errors == []
    assert all(history.count_records(r) == 40 for r in runs)
    assert 1 <= peak[0] <= 3  # never more connections than the pool holds
    history.close()


def test_a_pool_that_stays_busy_is_one_sentence_naming_the_setting(pg_url: str) -> None:
    history = History(pg_url, pool_size=1)
    history.db._wait_timeout = 0.5  # the pool's wait (POOL_WAIT_S in production), short for the test
    holding = threading.Event()

    def hold() -> None:
        def body() -> None:
            holding.set()
            time.sleep(2.0)

        history._write(body)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    with pytest.raises(StorageError, match=r"all 1 connections .* stayed busy .* raise SYNTH_DB_POOL_SIZE"):
        history.list_runs()
    holder.join()
    assert history.list_runs() == []  # the connection came back: the next call works
    history.close()


def test_the_pool_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> None:
    monkeypatch.setenv("SYNTH_DATABASE_URL", pg_url)
    monkeypatch.setenv("SYNTH_DB_POOL_SIZE", "4")
    history = History.from_settings(Settings.from_env(env_file=None))
    assert history.db._max_connections == 4
    history.close()
    with pytest.raises(StorageError, match="SYNTH_DB_POOL_SIZE is 0"):
        History(pg_url, pool_size=0)
