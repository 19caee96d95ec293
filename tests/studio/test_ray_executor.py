"""The Ray executor on a real local Ray cluster (started here with four logical CPUs).

Few and small, since every run starts worker processes: learned rows shard with the same records for
one and two workers; a worker killed mid-run is replaced and its shard sent again (the records equal
a run where nothing died); Stop reaches the workers and resume finishes on the stored executor; an
address where no cluster listens is one sentence, from the API and the CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from fake_servers import NOTE_SCHEMA as SCHEMA
from fake_servers import Step, openai_config

from synth_gradio.engine.sharded import sharded_generate
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema

ray = pytest.importorskip("ray")

from synth_gradio.studio.executors import ExecutorChoice  # noqa: E402
from synth_gradio.studio.ray_executor import RayExecutor  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


config = openai_config


def test_learned_rows_shard_with_the_same_records_for_one_and_two_workers(studio, tmp_path) -> None:
    from sklearn.datasets import load_wine

    table = tmp_path / "wine.csv"
    load_wine(as_frame=True).frame.to_csv(table, index=False)
    one = studio.generate_records(300, reference=table, seed=4, executor={"kind": "ray", "workers": 1})
    two = studio.generate_records(300, reference=table, seed=4, executor={"kind": "ray", "workers": 2})
    assert len(one) == 300 and one == two
    assert len({tuple(sorted(r.items())) for r in one}) == 300
    runs = studio.list_runs()
    assert {r["params"]["executor"]["kind"] for r in runs} == {"ray"}


def test_a_killed_worker_is_replaced_and_its_shard_sent_again(studio, seeded_service) -> None:
    seeded_service.default = Step(delay=0.02)
    request = GenerationRequest(schema=load_schema(SCHEMA), n=120, seed=8, batch_size=8)
    clean = studio.generate_records(
        120, schema=SCHEMA, seed=8, batch_size=8, backend=config(seeded_service), executor="threads"
    )
    handle = studio.start(request, config(seeded_service))
    handle.results.close()  # the stored run the shards below fill
    executor = RayExecutor(request, config(seeded_service), workers=2)
    pids = executor.wait_ready()
    killed = threading.Event()

    def kill_one(_: object) -> bool:
        if not killed.is_set() and executor._running:
            os.kill(pids[0], signal.SIGKILL)
            killed.set()
        return False

    try:
        results = list(
            sharded_generate(
                request, executor, history=studio.history, run_id=handle.run_id, cancel=lambda: kill_one(None)
            )
        )
    finally:
        executor.close()
    records = list(studio.history.iter_records(handle.run_id))
    assert killed.is_set()
    assert results[-1].status == "completed", results[-1].error
    assert records == clean  # the resent shard's records, committed once; nothing lost or doubled
    assert sorted(r["id"] for r in records) == list(range(1, 121))


def test_stop_reaches_the_workers_and_resume_finishes_on_ray(studio, seeded_service) -> None:
    seeded_service.default = Step(delay=0.15)  # slow enough that a stop lands mid-run on a busy machine
    stop = threading.Event()
    request = GenerationRequest(schema=load_schema(SCHEMA), n=100, seed=2, batch_size=8)
    handle = studio.start(request, config(seeded_service), executor={"kind": "ray", "workers": 2}, cancel=stop)
    for _ in handle.results:
        stop.set()
    run = studio.get_run(handle.run_id)
    assert run["status"] == "cancelled" and 0 < run["achieved"] < 100
    resumed = list(studio.resume(handle.run_id, config(seeded_service)).results)
    assert resumed[-1].status == "completed", resumed[-1].error
    records = list(studio.history.iter_records(handle.run_id))
    assert len(records) == 100 and sorted(r["id"] for r in records) == list(range(1, 101))


def test_no_cluster_at_the_address_is_one_sentence(studio, seeded_service, tmp_path) -> None:
    choice = ExecutorChoice(kind="ray", address="127.0.0.1:9")
    request = GenerationRequest(schema=load_schema(SCHEMA), n=5, seed=1)
    with pytest.raises(InputError, match=r"no Ray cluster answers at 127.0.0.1:9 .*ray start --head"):
        studio.start(request, config(seeded_service), executor=choice)
    assert studio.list_runs() == []
    schema = tmp_path / "s.json"
    schema.write_text(__import__("json").dumps(SCHEMA))
    cli = [sys.executable, "-m", "synth_gradio", "--db", str(tmp_path / "h.db"), "generate", "--schema", str(schema)]
    done = subprocess.run(
        [*cli, "-n", "5", "--executor", "ray", "--address", "127.0.0.1:9"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "no Ray cluster answers at 127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.model
def test_each_worker_runs_the_bundled_model_through_llama_cpp(studio) -> None:
    """The offline default on Ray: every worker loads the bundled GGUF itself and writes the text."""
    schema = {**SCHEMA, "properties": {**SCHEMA["properties"], "note": {"type": "string", "description": "a short note about a delivery", "maxLength": 60}}}  # fmt: skip
    records = studio.generate_records(
        6,
        schema=schema,
        seed=5,
        batch_size=3,
        backend=studio.backend_config("llamacpp"),
        executor={"kind": "ray", "workers": 2},
    )
    assert len(records) == 6 and sorted(r["id"] for r in records) == list(range(1, 7))
    assert all(isinstance(r["note"], str) and r["note"].strip() for r in records)
    assert len({r["note"] for r in records}) == 6
