"""The app as an MCP server (python app.py --mcp), reached by a real MCP client over streamable HTTP."""

from __future__ import annotations

import ast
import asyncio
import re
import socket

import pytest

import app as app_module
from synth_gradio.settings import Settings

pytest.importorskip("mcp", reason="the MCP server needs gradio[mcp] (requirements.txt installs it)")


@pytest.fixture(scope="module")
def mcp_url(tmp_path_factory):
    settings = Settings(db_path=tmp_path_factory.mktemp("mcp") / "history.db")
    demo = app_module.create(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = app_module.launch_options(app_module.parse_args(["--mcp"]), settings)
    assert options["mcp_server"] is True
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield f"http://127.0.0.1:{port}/gradio_api/mcp/"
    demo.close()


async def _session(url: str, work):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with streamable_http_client(url) as (read, write, _), ClientSession(read, write) as session:
        await session.initialize()
        return await work(session)


def test_every_named_endpoint_is_a_described_tool_and_list_templates_answers(mcp_url) -> None:
    async def work(session):
        tools = (await session.list_tools()).tools
        called = await session.call_tool("list_templates", {})
        return tools, called

    tools, called = asyncio.run(_session(mcp_url, work))
    by_name = {t.name: t for t in tools}
    expected = {
        "generate",
        "preview",
        "list_templates",
        "get_template",
        "list_runs",
        "get_run",
        "download",
        "export_run",
        "get_quality",
        "analytics",
        "push_to_hub",
        "validate_schema",
        "rerun",
        "resume",
        "compare_models",
        "generate_tables",
        "generate_related",
        "find_relations",
        "compare_tables",
        "set_distribution",
    }
    assert expected <= set(by_name), sorted(by_name)
    assert "accept_suggestions" not in by_name  # it needs a page session's state
    for tool in tools:
        assert tool.description and not tool.name.startswith("_lambda"), tool.name
        assert "request" not in tool.inputSchema.get("properties", {}), tool.name  # the login comes from the session
        assert not any(re.fullmatch(r"param_\d+", p) for p in tool.inputSchema.get("properties", {})), tool.name
    generate = by_name["generate"]
    assert "Generate N synthetic records" in generate.description
    assert "how many valid, unique records" in generate.inputSchema["properties"]["n_"]["description"]
    assert "never stored" in by_name["push_to_hub"].inputSchema["properties"]["token_"]["description"]
    assert not called.isError
    text = "".join(getattr(part, "text", "") for part in called.content)
    table = ast.literal_eval(text)  # Gradio sends a table as its Python repr
    names = [row[0] for row in table["data"]]
    assert "customer_data" in names and "user_profile" in names


def test_with_logins_on_a_tool_call_without_credentials_is_refused_in_one_sentence(tmp_path) -> None:
    """Logins and MCP together: no tool runs without a login, so no one reads another user's runs."""
    settings = Settings(db_path=tmp_path / "history.db")
    args = app_module.parse_args(["--mcp", "--auth", "alice:pw-alice,bob:pw-bob"])
    demo = app_module.create(settings, auth=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = app_module.launch_options(args, settings, demo)
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    try:

        async def work(session):
            return await session.call_tool("validate_schema", {"text": '{"a": "integer"}'})

        called = asyncio.run(_session(f"http://127.0.0.1:{port}/gradio_api/mcp/", work))
    finally:
        demo.close()
    text = "".join(getattr(part, "text", "") for part in called.content)
    assert called.isError and "credentials were not provided" in text and "Please login" in text
    assert "pw-alice" not in text and "alice" not in text
