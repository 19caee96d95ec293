"""The Generate tab's "Where it runs": the Ray choice appears only with a cluster configured, and a run
sent through the provider's batch API from the client API completes against a documented-API server."""

from __future__ import annotations

from pathlib import Path

from batch_api_fake import BatchAPIServer
from gradio_client import Client
from ui_launch import CUSTOM, launched

from synth_gradio.settings import Settings
from synth_gradio.studio import Studio
from synth_gradio.ui.app import build_app

NOTE = '{"type": "object", "title": "note", "properties": {"note": {"type": "string", "description": "a short note", "maxLength": 80}}, "required": ["note"]}'


def choices(settings: Settings) -> list[str]:
    demo = build_app(Studio(settings))
    (radio,) = [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "executor"]
    return [value for _, value in radio.choices]


def test_the_ray_choice_appears_only_with_a_cluster_configured(tmp_path: Path) -> None:
    assert choices(Settings(db_path=tmp_path / "h.db")) == ["this machine", "provider batch API"]
    with_cluster = Settings(db_path=tmp_path / "h.db", ray_address="10.0.0.5:6379")
    assert choices(with_cluster) == ["this machine", "provider batch API", "Ray cluster"]


def test_a_batch_api_run_from_the_client_api(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SYNTH_BATCH_POLL_S", "0.05")
    server = BatchAPIServer()
    try:
        with launched(Settings(db_path=tmp_path / "h.db")) as url:
            client = Client(url, verbose=False)
            args = [CUSTOM, NOTE, "openai_compat", "batch-model", server.url + "/v1", "sk-ui-batch", 6, 1.0, 8, "4"]
            job = client.submit(*args, executor_="provider batch API", api_name="/generate")
            run_id, progress, _counts, table = list(job)[-1]
            assert "6/6" in progress and len(table["data"]) == 6
        assert server.created >= 1
        run = Studio(Settings(db_path=tmp_path / "h.db")).get_run(int(run_id))
        assert run["params"]["batch_api"] is True and "sk-ui-batch" not in str(run)
    finally:
        server.close()
