"""Publish a stored run to the Hugging Face Hub as a dataset repository (huggingface_hub).

The repository gets the records as Parquet, metadata.json and a generated dataset card. The token
comes with the call (a session's password box) or from HF_TOKEN; it is passed to huggingface_hub
for this call only, never stored, logged or put in a message. `endpoint` (or HF_ENDPOINT) points
the client at another Hub, e.g. a local test server.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError, SynthError
from synth_gradio.export import export_dataset, run_metadata
from synth_gradio.storage.history import History
from synth_gradio.studio.card import DATA_FILE, dataset_card

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


class PublishError(SynthError):
    """The Hub refused or could not be reached; the message says what to do."""


def hub_token(token: str | None) -> str:
    """The session's token, else HF_TOKEN; never the token huggingface_hub may have saved on disk."""
    found = (token or "").strip() or os.environ.get("HF_TOKEN", "").strip()
    if not found:
        raise InputError("publishing needs a Hugging Face token with write access: enter one or set HF_TOKEN")
    return found


def check_repo_id(repo_id: str) -> str:
    repo_id = (repo_id or "").strip()
    if not REPO_ID.match(repo_id) or ".." in repo_id:
        raise InputError(f"write the repository as user/name (letters, digits, '-', '_', '.'), got {repo_id!r}")
    return repo_id


def push_run(
    history: History,
    run_id: int,
    repo_id: str,
    *,
    token: str | None = None,
    private: bool = False,
    endpoint: str | None = None,
    create: bool = True,
) -> str:
    """Upload run `run_id` to the dataset repository `repo_id`; returns the repository's URL."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    repo_id = check_repo_id(repo_id)
    secret = hub_token(token)
    run = history.get_run(run_id)
    if not run["achieved"]:
        raise InputError(f"run {run_id} has no records to publish")
    api = HfApi(endpoint=endpoint or os.environ.get("HF_ENDPOINT") or None, token=secret)
    with tempfile.TemporaryDirectory(prefix="synth_publish_") as tmp:
        files = _write_files(history, run, repo_id, Path(tmp))
        operations = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(path)) for name, path in files.items()]
        try:
            if create:
                api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
            api.create_commit(
                repo_id,
                operations,
                repo_type="dataset",
                commit_message=f"Upload synth_gradio run {run['id']} ({run['achieved']} records)",
            )
        except HfHubHTTPError as exc:
            raise hub_error(exc, repo_id, secret) from None
        except Exception as exc:  # the vendor boundary: connection errors (httpx's), an invalid card
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PublishError(_scrub(f"cannot publish to {api.endpoint}: {detail}", secret)) from None
    return f"{api.endpoint.rstrip('/')}/datasets/{repo_id}"


def _write_files(history: History, run: dict[str, Any], repo_id: str, folder: Path) -> dict[str, Path]:
    data = folder / DATA_FILE
    data.parent.mkdir(parents=True)
    metadata = run_metadata(run)
    export_dataset(lambda: history.iter_records(run["id"]), data, run["schema"], metadata=metadata)
    meta = folder / "metadata.json"
    full = {**metadata, "quality": run.get("quality"), "records": run["achieved"], "requested": run["requested"]}
    meta.write_text(json.dumps(full, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    card = folder / "README.md"
    card.write_text(dataset_card(run, repo_id), encoding="utf-8")
    return {DATA_FILE: data, "metadata.json": meta, "README.md": card}


def hub_error(exc: Exception, repo_id: str, token: str) -> PublishError:
    """One sentence for the Hub's answer: 401 bad token, 403 no write access, 404 no such repository."""
    from huggingface_hub.errors import RepositoryNotFoundError

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(exc, RepositoryNotFoundError) or status == 404:
        text = (
            f"the dataset repository {repo_id} does not exist on the Hub and could not be created (404); "
            "check the user or organization name"
        )
    elif status == 401:
        text = (
            "the Hugging Face token was rejected (401): it is invalid or expired; "
            "create a token with write access at huggingface.co/settings/tokens"
        )
    elif status == 403:
        text = f"the token may not write to {repo_id} (403): use a token with write access to that user or organization"
    else:
        server = getattr(exc, "server_message", None) or str(exc).splitlines()[0]
        text = f"the Hub refused the upload to {repo_id} ({status or 'no status'}): {server}"
    return PublishError(_scrub(text, token))


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text
