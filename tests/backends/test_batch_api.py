"""Runs through a provider's Batch API, against a local server that follows its documented endpoints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from batch_api_fake import BatchAPIServer
from fake_servers import NOTE_SCHEMA as SCHEMA

from synth_gradio.backends.config import BackendConfig
from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("SYNTH_BATCH_POLL_S", "0.05")
    fake = BatchAPIServer()
    yield fake
    fake.close()


def config(server: BatchAPIServer) -> BackendConfig:
    return BackendConfig(
        kind="openai_compat", model="batch-model", base_url=server.url + "/v1", api_key="sk-batch-test"
    )


def request(n: int, **kw) -> GenerationRequest:
    return GenerationRequest(schema=load_schema(SCHEMA), n=n, seed=3, batch_api=True, **kw)


def test_exactly_n_after_an_expired_batch_a_failed_line_and_a_malformed_line_at_the_batch_price(studio, server) -> None:
    server.script({"expire", "fail_line", "malformed"})  # the first job; the top-up job answers every line
    results = list(studio.run(request(40, price_in=1.0, price_out=2.0), config(server)))
    last = results[-1]
    records = list(studio.history.iter_records(last.run_id))
    assert last.status == "completed" and len(records) == 40
    assert len({r["id"] for r in records}) == 40
    assert server.created >= 2  # the rejected and expired records were topped up by later jobs
    reasons = " ".join(last.reject_counts)
    assert "generation error" in reasons
    live = (last.total_prompt_tokens * 1.0 + last.total_tokens * 2.0) / 1e6
    assert last.cost_usd == pytest.approx(live / 2)
    run = studio.get_run(last.run_id)
    assert run["params"]["batch_api"] is True and len(run["params"]["batch_jobs"]) == server.created
    assert "sk-batch-test" not in json.dumps(run)


def test_a_provider_without_a_batch_api_and_a_refused_batch_are_one_sentence(studio, server) -> None:
    server.no_batch_api = True
    last = list(studio.run(request(5), config(server)))[-1]
    assert last.status == "failed" and "has no batch API" in last.error and "--batch-api" in last.error
    server.no_batch_api = False
    server.script({"refuse"})
    last = list(studio.run(request(5), config(server)))[-1]
    assert last.status == "failed" and "refused batch job" in last.error and "Line 1 is not valid" in last.error
    with pytest.raises(InputError, match="has no batch API"):
        studio.run(request(5), studio.backend_config("llamacpp"))
    with pytest.raises(InputError, match="without --executor"):
        studio.run(request(5), config(server), executor="threads")


def test_stop_cancels_the_job_at_the_provider(studio, server) -> None:
    server.script({"hold"})
    handle = studio.start(request(10), config(server))
    results = handle.results
    import threading

    threading.Timer(0.5, lambda: studio.cancel(handle.run_id)).start()
    last = list(results)[-1]
    assert last.status == "cancelled"
    (batch,) = server.batches.values()
    assert batch["status"] == "cancelled"


def test_a_driver_killed_while_the_job_runs_resumes_by_collecting_the_same_job(server, tmp_path) -> None:
    server.script({"hold"})
    schema = tmp_path / "note.json"
    schema.write_text(json.dumps(SCHEMA))
    env = {**os.environ, "SYNTH_BATCH_POLL_S": "0.05", "SYNTH_KEY": "sk-batch-test", "PYTHONPATH": os.getcwd()}
    cli = [sys.executable, "-m", "synth_gradio", "--db", str(tmp_path / "h.db")]
    backend = ["--backend", "openai_compat", "--model", "batch-model", "--base-url", server.url + "/v1"]
    first = subprocess.Popen(
        [*cli, "generate", "--schema", str(schema), "-n", "12", "--seed", "9", "--batch-api", *backend,
         "--api-key-env", "SYNTH_KEY", "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.time() + 60
    while server.created == 0 and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # the job id is journaled before polling starts
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert server.created == 1
    server.release()  # the provider finishes the job while no app is running
    done = subprocess.run(
        [*cli, "resume", "1", "--api-key-env", "SYNTH_KEY", "--quiet", "--out", str(tmp_path / "out.csv")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-1500:]
    assert server.created == 1  # collected, not sent (and paid for) again
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 13
