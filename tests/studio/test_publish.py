"""Publishing a run to the Hub through huggingface_hub, against a local fake of the Hub's endpoints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fakes import FakeBackend
from hub_fake import READ, WRITE, FakeHub

from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema
from synth_gradio.studio import GenerationRequest
from synth_gradio.studio.publish import PublishError

SCHEMA = load_schema(
    {
        "type": "object",
        "properties": {"name": {"type": "string", "description": "a first name"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
)


@pytest.fixture
def hub():
    server = FakeHub()
    yield server
    server.close()


@pytest.fixture
def run_id(studio) -> int:
    return list(studio.run(GenerationRequest(schema=SCHEMA, n=6, seed=1), FakeBackend([])))[-1].run_id


def test_a_run_becomes_a_dataset_repo_with_parquet_metadata_and_card(studio, hub, run_id, monkeypatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    url = studio.push_to_hub(run_id, "alice/people", token=WRITE, private=True, endpoint=hub.url)
    assert url == f"{hub.url}/datasets/alice/people"
    repo = hub.repos["alice/people"]
    assert repo["private"] and repo["type"] == "dataset"
    files = repo["files"]
    assert set(files) == {"data/train-00000-of-00001.parquet", "metadata.json", "README.md"}
    frame = pd.read_parquet(io.BytesIO(files["data/train-00000-of-00001.parquet"]))
    assert len(frame) == 6 and list(frame.columns) == ["name", "age"]
    meta = json.loads(files["metadata.json"])
    assert meta["run_id"] == run_id and meta["schema"]["required"] == ["name", "age"]
    card = files["README.md"].decode()
    assert card.startswith("---\n") and "path: data/train-00000-of-00001.parquet" in card
    assert "| `name` | string | yes | a first name |" in card and "Quality score" in card and "## Generation" in card
    auth = {headers.get("authorization") or headers.get("Authorization") for _, _, headers, _ in hub.requests}
    assert auth == {f"Bearer {WRITE}"}
    # Publishing again updates the same repository (create answers 409, which is fine).
    studio.push_to_hub(run_id, "alice/people", token=WRITE, endpoint=hub.url)
    assert any(path == "/api/repos/create" for _, path, _, _ in hub.requests[-6:])


def test_the_token_comes_from_hf_token_and_is_never_stored(studio, hub, run_id, monkeypatch) -> None:
    monkeypatch.setenv("HF_TOKEN", WRITE)
    studio.push_to_hub(run_id, "alice/env", endpoint=hub.url)
    assert "alice/env" in hub.repos
    assert WRITE.encode() not in Path(studio.history.path).read_bytes()
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(InputError, match="needs a Hugging Face token"):
        studio.push_to_hub(run_id, "alice/env", endpoint=hub.url)


@pytest.mark.parametrize(
    ("token", "repo", "setup", "sentence"),
    [
        ("hf_wrong", "alice/x", None, r"token was rejected \(401\).*settings/tokens"),
        (READ, "alice/x", None, r"may not write to alice/x \(403\)"),
        (WRITE, "acme/x", "forbid", r"may not write to acme/x \(403\)"),
        (WRITE, "ghost/x", "missing", r"ghost/x does not exist on the Hub.*\(404\)"),
    ],
)
def test_refusals_are_one_sentence_without_the_token(studio, hub, run_id, token, repo, setup, sentence) -> None:
    if setup == "forbid":
        hub.forbidden.add("acme")
    if setup == "missing":
        hub.create_allowed = False
    with pytest.raises(PublishError, match=sentence) as caught:
        studio.push_to_hub(run_id, repo, token=token, endpoint=hub.url)
    assert token not in str(caught.value) and "\n" not in str(caught.value)


def test_a_repo_that_disappears_before_the_upload_is_a_missing_repo(studio, hub, run_id) -> None:
    studio.push_to_hub(run_id, "alice/gone", token=WRITE, endpoint=hub.url)
    hub.missing.add("alice/gone")
    with pytest.raises(PublishError, match="alice/gone does not exist"):
        studio.push_to_hub(run_id, "alice/gone", token=WRITE, endpoint=hub.url)


def test_bad_repo_names_and_unreachable_hubs(studio, run_id) -> None:
    with pytest.raises(InputError, match="user/name"):
        studio.push_to_hub(run_id, "no-namespace", token=WRITE)
    with pytest.raises(PublishError, match=r"cannot publish to http://127\.0\.0\.1:9"):
        studio.push_to_hub(run_id, "alice/x", token=WRITE, endpoint="http://127.0.0.1:9")
