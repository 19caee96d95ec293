"""The Generate tab's Judge settings through the named /generate endpoint (no model: code-only records,
judged by a scripted OpenAI-compatible server)."""

from __future__ import annotations

import pytest
from fake_servers import FakeService
from gradio_client import Client
from ui_launch import gen_args, launched

from synth_gradio.settings import Settings
from synth_gradio.studio import Studio


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(db_path=tmp_path_factory.mktemp("judge") / "history.db")
    service = FakeService("openai", models=["judge-model"])  # verdict n rates (n % 5) + 1 on both criteria
    with launched(settings) as url:
        yield Client(url, verbose=False), service, settings
    service.close()


def judge_args(service: FakeService, threshold: float = 0.5, column: str = "judge_score") -> list:
    url = f"{service.url}/v1"
    return [True, "openai_compat", "judge-model", url, "sk-ui-judge-key-123456", threshold, "", column]


def test_generate_with_a_remote_judge_rejects_low_scores_and_stores_the_settings(app) -> None:
    client, service, settings = app
    run_id, progress, _counts, table = client.submit(
        *gen_args(n=4, seed=3), 0, 0, *judge_args(service), api_name="/generate"
    ).result()
    assert "4/4" in progress and "judge_score" in table["headers"]
    run = Studio(settings).get_run(int(run_id))
    assert run["reject_counts"].get("judge", 0) >= 1
    assert run["params"]["judging"]["threshold"] == 0.5 and run["params"]["judging"]["column"] == "judge_score"
    assert "sk-ui-judge" not in str(run)


def test_a_bad_judge_setting_is_one_sentence(app) -> None:
    client, service, _ = app
    with pytest.raises(Exception) as caught:
        client.submit(*gen_args(n=2), 0, 0, *judge_args(service, column="judge score"), api_name="/generate").result()
    assert "the judge column must be letters, digits and underscores" in str(caught.value)


def test_existing_clients_that_send_no_judge_settings_still_generate(app) -> None:
    client, _, _ = app
    _run_id, progress, _counts, _table = client.submit(*gen_args(n=2, seed=5), api_name="/generate").result()
    assert "2/2" in progress
