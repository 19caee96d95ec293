"""Sharded runs through the in-process thread executor: the driver's promises without a cluster.

The backend is openai_compat against a local fake that answers by the request's seed, so a shard
gives the same records wherever it runs. The Ray executor is tested in tests/studio/test_ray_executor.py.
"""

from __future__ import annotations

import threading

import pytest
from fake_servers import Step, openai_config

from synth_gradio.engine.sharded import sharded_generate
from synth_gradio.engine.shards import plan_shards, shard_size
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio.executors import ExecutorChoice, ThreadExecutor

SCHEMA = {
    "title": "ticket",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "x-sequence": True},
        "code": {"type": "string", "pattern": "^[A-C]{2}-[0-9]$", "unique": True},
        "amount": {"type": "number", "minimum": 1, "maximum": 500},
        "note": {"type": "string", "description": "a short note", "maxLength": 80},
    },
    "required": ["id", "code", "amount", "note"],
}


config = openai_config


def request(n: int = 60, seed: int = 5, **kw) -> GenerationRequest:
    return GenerationRequest(schema=load_schema(SCHEMA), n=n, seed=seed, batch_size=8, **kw)


def run_sharded(studio, seeded_service, workers: int, n: int = 60, executor=None, cancel=None):
    req = request(n)
    handle = studio.start(req, config(seeded_service))  # stores the run; the shards below make its records
    handle.results.close()
    executor = executor or ThreadExecutor(req, config(seeded_service), workers=workers)
    try:
        results = list(
            sharded_generate(
                req, executor, history=studio.history, run_id=handle.run_id, cancel=cancel or (lambda: False)
            )
        )
    finally:
        executor.close()
    return handle.run_id, results, list(studio.history.iter_records(handle.run_id))


def test_shards_depend_on_n_and_seed_only() -> None:
    shards = plan_shards(100, 32, run_seed=9)
    assert [s.n for s in shards] == [32, 32, 32, 4]
    assert len({s.seed for s in shards}) == 4
    assert plan_shards(100, 32, run_seed=9) == shards
    assert plan_shards(10, 32, run_seed=9, first_index=4)[0].index == 4
    assert shard_size(request(n=1_000_000)) == 10_000 and shard_size(request(n=10)) == 8


def test_same_records_whatever_the_worker_count_exactly_n_unique_numbered(studio, seeded_service) -> None:
    _, results_1, one = run_sharded(studio, seeded_service, workers=1)
    _, results_3, three = run_sharded(studio, seeded_service, workers=3)
    assert results_1[-1].status == results_3[-1].status == "completed"
    assert len(one) == len(three) == 60
    assert one == three  # committed in shard order, so finishing order does not matter
    assert len({r["code"] for r in one}) == 60  # unique across shards (90 possible codes, so repeats happened)
    assert sorted(r["id"] for r in one) == list(range(1, 61))  # one numbering across shards, no gaps


def test_repeats_across_shards_are_dropped_and_topped_up(studio, seeded_service) -> None:
    _, results, records = run_sharded(studio, seeded_service, workers=2, n=70)
    assert len(records) == 70 and len({r["code"] for r in records}) == 70
    assert results[-1].reject_counts["duplicate value for unique field code"] > 0
    assert results[-1].achieved == 70 and results[-1].candidates > 70


class LosesAWorker(ThreadExecutor):
    """The first run of shard 1 comes back as a dead worker, as Ray reports one."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.lost = 0

    def next_done(self, timeout: float):
        got = super().next_done(timeout)
        if got is not None and got[0].index == 1 and not self.lost:
            self.lost += 1
            return got[0], ConnectionAbortedError("worker process died")
        return got

    def worker_lost(self, exc: BaseException) -> bool:
        return isinstance(exc, ConnectionAbortedError)


def test_a_shard_whose_worker_died_is_sent_again_and_nothing_doubles(studio, seeded_service) -> None:
    _, _, clean = run_sharded(studio, seeded_service, workers=2)
    req = request()
    lossy = LosesAWorker(req, config(seeded_service), workers=2)
    _, results, records = run_sharded(studio, seeded_service, workers=2, executor=lossy)
    assert lossy.lost == 1
    assert results[-1].status == "completed"
    assert records == clean  # the resent shard gave the same records, committed once


def test_stop_reaches_every_shard_and_resume_finishes_the_run(studio, seeded_service) -> None:
    seeded_service.default = Step(delay=0.05)
    stop = threading.Event()
    handle = studio.start(
        request(n=70), config(seeded_service), executor={"kind": "threads", "workers": 2}, cancel=stop
    )
    results = []
    for result in handle.results:
        results.append(result)
        stop.set()
    run = studio.get_run(handle.run_id)
    assert run["status"] == "cancelled" and 0 < run["achieved"] < 70
    assert run["params"]["executor"] == {"kind": "threads", "address": "", "workers": 2}
    resumed = list(studio.resume(handle.run_id, config(seeded_service)).results)  # on the stored executor
    assert resumed[-1].status == "completed" and resumed[-1].resumed_from == run["achieved"]
    records = list(studio.history.iter_records(handle.run_id))
    assert len(records) == 70 and len({r["code"] for r in records}) == 70
    assert sorted(r["id"] for r in records) == list(range(1, 71))


def test_a_backend_that_refuses_fails_the_run_in_one_sentence_keeping_records(studio, seeded_service) -> None:
    seeded_service.default = Step(status=401, body={"error": {"message": "Incorrect API key provided"}})
    handle = studio.start(request(), config(seeded_service), executor="threads")
    last = list(handle.results)[-1]
    assert last.status == "failed"
    assert "API key" in last.error and "sk-test" not in last.error
    assert studio.get_run(handle.run_id)["status"] == "failed"


def test_bad_executor_choices_are_one_sentence(studio, seeded_service) -> None:
    with pytest.raises(InputError, match="unknown executor 'spark'"):
        ExecutorChoice.coerce("spark")
    with pytest.raises(InputError, match="workers must be between"):
        ExecutorChoice(kind="ray", workers=0)
    ready = config(seeded_service).create()
    with pytest.raises(InputError, match="needs the backend's settings"):
        studio.start(request(), ready, executor="threads")
    assert studio.list_runs() == []  # refused before a run was stored


def test_a_driver_killed_mid_run_resumes_to_exactly_n(seeded_service, tmp_path) -> None:
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    seeded_service.default = Step(delay=0.1)
    schema = tmp_path / "ticket.json"
    schema.write_text(json.dumps(SCHEMA))
    env = {**os.environ, "SYNTH_KEY": "sk-test", "PYTHONPATH": os.getcwd()}
    cli = [sys.executable, "-m", "synth_gradio", "--db", str(tmp_path / "h.db")]
    backend = [
        "--backend",
        "openai_compat",
        "--model",
        "m",
        "--base-url",
        seeded_service.url + "/v1",
        "--api-key-env",
        "SYNTH_KEY",
    ]
    first = subprocess.Popen(
        [*cli, "generate", "--schema", str(schema), "-n", "70", "--seed", "2", "--batch-size", "4", *backend,
         "--executor", "threads", "--workers", "2", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.time() + 60
    while len(seeded_service.chat_requests()) < 30 and time.time() < deadline:
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [*cli, "resume", "1", "--api-key-env", "SYNTH_KEY", "--quiet", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1500:]
    rows = out.read_text().splitlines()
    header = rows[0].split(",")
    codes = [r.split(",")[header.index("code")] for r in rows[1:]]
    assert len(codes) == 70 and len(set(codes)) == 70  # exactly N, unique across the killed and resumed parts


def test_prose_that_nearly_repeats_another_shards_text_is_dropped() -> None:
    from synth_gradio.engine.shard_result import ShardLedger
    from synth_gradio.engine.shards import ShardOutput

    schema = {
        "title": "ticket",
        "type": "object",
        "properties": {"body": {"type": "string", "description": "the customer's message", "maxLength": 400}},
        "required": ["body"],
    }
    text = "My order arrived two weeks late and the box was crushed, so I would like a refund for the damaged lamp."
    req = GenerationRequest(schema=load_schema(schema), n=3, seed=1)
    ledger = ShardLedger(req, run_id=1, stored={}, existing=[])
    first, _ = ledger.take(ShardOutput(0, records=[{"body": text}], strategies={"body": "model"}))
    near = text.replace("two weeks", "three weeks")
    other = "The app logs me out every time I open settings on my phone, and support has not answered in days."
    second, rejected = ledger.take(
        ShardOutput(1, records=[{"body": near}, {"body": other}], strategies={"body": "model"})
    )
    assert first == [{"body": text}] and second == [{"body": other}]
    assert rejected[0].reason.startswith("near-duplicate")
