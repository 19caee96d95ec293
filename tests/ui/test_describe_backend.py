"""/describe with the session's backend: a capable model adds fields to the library's draft; the
bundled default drafts from the library alone (no model call)."""

from __future__ import annotations

import json
from pathlib import Path

from draft_answers import PROPOSAL, TEXT, answering
from fake_servers import FakeService
from gradio_client import Client
from ui_launch import launched

from synth_gradio.settings import Settings


def test_describe_with_a_capable_backend_from_the_client_api(tmp_path: Path) -> None:
    capable = FakeService("openai", models=["big-model"])
    capable.default = answering(json.dumps(PROPOSAL))
    try:
        with launched(Settings(db_path=tmp_path / "h.db")) as url:
            client = Client(url, verbose=False)
            schema, _template, _check, n, note = client.predict(
                TEXT, "openai_compat", "big-model", capable.url + "/v1", "", api_name="/describe"
            )
            assert "plan_name" in json.loads(schema)["properties"] and n == 500
            assert "big-model added: plan_name" in note
            schema, *_ = client.predict(TEXT, api_name="/describe")  # the bundled default: library only
            assert "plan_name" not in json.loads(schema)["properties"]
        assert len(capable.chat_requests()) == 1
    finally:
        capable.close()
