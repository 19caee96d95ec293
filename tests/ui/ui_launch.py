"""Launch the app as `python app.py` would (its own flags and launch options) and talk to it over HTTP,
with gradio_client or, for what a browser does that the client cannot (close the tab), with httpx."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

import app as app_module
from synth_gradio.settings import Settings

# Every field is drawn in code: the app runs it on the default backend without loading a model.
CODED = json.dumps(
    {
        "type": "object",
        "title": "coded",
        "properties": {
            "n": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
            "color": {"enum": ["red", "green", "blue"]},
        },
        "required": ["n", "color"],
    }
)
CUSTOM = "(custom JSON schema)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gen_args(n: int = 5, seed: int = 1, schema: str = CODED) -> list[Any]:
    """/generate's inputs for a code-only schema on the default (offline) backend."""
    return [CUSTOM, schema, "llamacpp", "", "", "", n, 1.0, 8, str(seed)]


@contextmanager
def launched(settings: Settings, flags: list[str] | None = None) -> Iterator[str]:
    """The app on a free local port with `flags` (e.g. --auth, --users-file, --admin); yields its URL."""
    args = app_module.parse_args(flags or [])
    users, admins = app_module.logins(args)
    demo = app_module.create(settings, auth=bool(users), admins=admins)
    options = app_module.launch_options(args, settings, demo)
    port = free_port()
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@contextmanager
def browser(url: str, user: str | None = None, password: str | None = None) -> Iterator[httpx.Client]:
    """An HTTP session like a browser's: logged in (cookie) when a user is given."""
    with httpx.Client(base_url=url, timeout=30) as client:
        if user is not None:
            response = client.post("login", data={"username": user, "password": password or ""})
            assert response.status_code == 200, response.text
        yield client


def fn_index(client: httpx.Client, api_name: str) -> int:
    config = client.get("config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == api_name)


@contextmanager
def page_stream(client: httpx.Client, api_name: str, data: list[Any]) -> Iterator[Iterator[list[Any]]]:
    """Start an event the way the page does (queue/join) and read its updates from the queue's stream.
    Leaving the `with` block closes the stream mid-run, which is what closing the browser tab does."""
    session = uuid.uuid4().hex
    joined = client.post(
        "gradio_api/queue/join",
        json={"data": data, "fn_index": fn_index(client, api_name), "session_hash": session, "event_data": None},
    )
    assert joined.status_code == 200, joined.text

    with client.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as response:

        def updates() -> Iterator[list[Any]]:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") in ("process_generating", "process_completed"):
                    output = message.get("output") or {}
                    if "data" in output:
                        yield output["data"]
                    if message["msg"] == "process_completed":
                        return

        yield updates()
