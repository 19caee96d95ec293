"""A base URL that is not http(s), or cannot be parsed, is refused where the backend is configured."""

from __future__ import annotations

import time

import pytest

from synth_gradio.backends.config import BackendConfig
from synth_gradio.backends.hf_inference import HFInferenceBackend
from synth_gradio.backends.ollama import OllamaBackend
from synth_gradio.backends.openai_compat import OpenAICompatBackend
from synth_gradio.backends.registry import list_models
from synth_gradio.cli import main
from synth_gradio.errors import InputError
from synth_gradio.settings import Settings

BAD = [
    ("http://[::1", "malformed"),
    ("file:///etc/passwd", "uses file://"),
    ("gopher://127.0.0.1:70/", "uses gopher://"),
    ("ftp://example.com/v1", "uses ftp://"),
    ("localhost:8000/v1", "needs http:// or https://"),
    ("http://", "no valid host"),
    ("http://127.0.0.1:99999/v1", "no valid host and port"),
]


@pytest.mark.parametrize(("url", "why"), BAD)
@pytest.mark.parametrize("backend", [OpenAICompatBackend, OllamaBackend, HFInferenceBackend])
def test_every_remote_backend_refuses_a_bad_url_at_once(backend: type, url: str, why: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match=why) as caught:
        backend(model="m", base_url=url, api_key="hf_key_value")
    assert time.monotonic() - started < 1.0  # refused, not retried
    assert "http://" in str(caught.value) and "hf_key_value" not in str(caught.value)


@pytest.mark.parametrize(("url", "why"), BAD)
def test_the_config_every_interface_builds_refuses_it(url: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        BackendConfig.from_settings(Settings(), kind="openai_compat", model="m", base_url=url)
    with pytest.raises(InputError, match=why):
        list_models("ollama", base_url=url)
    # A local backend ignores the field, so an old value in the UI does not block it.
    assert BackendConfig(kind="llamacpp", base_url=url).base_url == url


def test_good_urls_pass_and_credentials_in_a_url_are_never_echoed() -> None:
    for url in ("http://127.0.0.1:8080/v1", "https://api.openai.com/v1/", "http://[::1]:11434"):
        assert BackendConfig(kind="openai_compat", base_url=url).base_url == url
    with pytest.raises(InputError) as caught:
        BackendConfig(kind="openai_compat", base_url="ftp://admin:hunter2pass@example.com/")
    assert "hunter2pass" not in str(caught.value) and "***@example.com" in str(caught.value)


@pytest.mark.parametrize("url", ["http://[::1", "file:///etc/passwd", "gopher://127.0.0.1:70/"])
def test_cli_exits_2_with_one_sentence(tmp_path, capsys, url: str) -> None:
    schema = tmp_path / "s.json"
    schema.write_text('{"bio": {"type": "string", "description": "a short bio"}}')
    started = time.monotonic()
    args = ["--db", str(tmp_path / "h.db"), "generate", "--schema", str(schema), "-n", "2"]
    code = main([*args, "--backend", "openai_compat", "--model", "m", "--base-url", url, "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: the base URL") and err.count("\n") == 1
    assert "Traceback" not in err and "InvalidURL" not in err
    assert main(["models", "--backend", "openai_compat", "--base-url", url]) == 2
    listed = capsys.readouterr().err
    assert listed.startswith("error: the base URL") and "Traceback" not in listed
    assert time.monotonic() - started < 5.0


def test_a_run_stored_with_a_bad_address_resumes_against_a_good_one() -> None:
    run = {"backend": "openai_compat", "model": "m", "params": {"base_url": "ftp://old.example.com/v1"}}
    with pytest.raises(InputError, match="uses ftp://"):
        BackendConfig.from_run(run, Settings())
    good = BackendConfig(kind="openai_compat", base_url="http://127.0.0.1:8080/v1", api_key="k", concurrency=2)
    resumed = BackendConfig.from_run(run, Settings(), good)
    assert (resumed.base_url, resumed.model, resumed.api_key, resumed.concurrency) == (good.base_url, "m", "k", 2)
