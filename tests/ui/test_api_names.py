"""Every API endpoint's parameters have real names and descriptions (clients and MCP agents read them)."""

from __future__ import annotations

import json
import re

import pytest
from gradio.utils import get_function_description
from gradio_client import Client
from ui_launch import CODED, CUSTOM, free_port

import app as app_module
from synth_gradio.settings import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(db_path=tmp_path_factory.mktemp("api") / "history.db")
    demo = app_module.create(settings)
    options = app_module.launch_options(app_module.parse_args([]), settings, demo)
    port = free_port()
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield demo, Client(f"http://127.0.0.1:{port}/", verbose=False)
    demo.close()


def test_no_endpoint_parameter_is_param_n_and_every_one_is_described(app) -> None:
    demo, client = app
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/resume", "/rerun", "/compare_models", "/set_distribution", "/suggest_distributions"} <= set(endpoints)
    fns = {f"/{f.api_name}": f.fn for f in demo.fns.values() if f.api_name}
    unnamed, undescribed = [], []
    for name, endpoint in endpoints.items():
        if not endpoint.get("description"):
            undescribed.append(name)
        _, documented, _ = get_function_description(fns[name])
        for parameter in endpoint["parameters"]:
            label = f"{name}:{parameter['parameter_name']}"
            if re.fullmatch(r"param_\d+", parameter["parameter_name"]) or parameter["parameter_name"] == "request":
                unnamed.append(label)  # "request" is the login, taken from the session, never from the caller
            elif not documented.get(parameter["parameter_name"]):
                undescribed.append(label)
    assert unnamed == [] and undescribed == []
    compare = [p["parameter_name"] for p in endpoints["/compare_models"]["parameters"]]
    assert compare[:6] == ["template", "schema_text", "n_", "seed_", "use_1", "backend_1"]
    assert compare[-1] == "temperature_4" and len(compare) == 28


def test_every_endpoint_output_has_a_name(app) -> None:
    """A client reads outputs by label: none is Gradio's placeholder "value_35"."""
    _, client = app
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    placeholders = [
        f"{name}:{part['label']}"
        for name, endpoint in endpoints.items()
        for part in endpoint["returns"]
        if re.fullmatch(r"value_\d+", str(part.get("label")))
    ]
    assert placeholders == []
    assert [r["label"] for r in endpoints["/generate"]["returns"]] == [
        "Run", "progress", "counts", "Newest records (up to 200)"
    ]  # fmt: skip


def test_compare_models_takes_its_configurations_by_name(app) -> None:
    _, client = app
    slots = {}
    for i, (use, temperature) in enumerate(((True, 0.7), (True, 1.2), (False, 1.0), (False, 1.0)), 1):
        slots |= {f"use_{i}": use, f"backend_{i}": "llamacpp", f"model_{i}": "", f"base_url_{i}": ""}
        slots |= {f"api_key_{i}": "", f"temperature_{i}": temperature}
    job = client.submit(template=CUSTOM, schema_text=CODED, n_=4, seed_="1", **slots, api_name="/compare_models")
    message, table, _chart = job.result()
    assert message.endswith("finished.") and len(table["data"]) == 2
    configurations = [row[0] for row in table["data"]]
    assert any("T=0.7" in c for c in configurations) and any("T=1.2" in c for c in configurations)


def test_every_handler_that_needs_the_login_gets_it(app) -> None:
    """Gradio passes the request (and so the user) only to a parameter whose annotation it can resolve."""
    import inspect

    from gradio.utils import get_type_hints

    demo, _ = app
    wanting = [f.fn for f in demo.fns.values() if f.fn and "request" in inspect.signature(f.fn).parameters]
    assert len(wanting) >= 30  # every handler that reads or writes runs or saved templates
    missing = [fn.__name__ for fn in wanting if "request" not in get_type_hints(fn)]
    assert missing == []


def test_describe_in_words_through_the_api(app) -> None:
    """The front door's draft is an endpoint: a schema, the custom choice, its check and N."""
    _, client = app
    schema_text, template, check, n, note = client.predict(
        "1,000 employees of a bank with name, email, department, level and salary", api_name="/describe"
    )
    assert template == CUSTOM and n == 1000 and "Valid schema: 6 fields" in check
    assert json.loads(schema_text)["properties"]["salary"]["x-distribution"]["by"] == "level"
    assert "Drafted **6 fields**" in note
    with pytest.raises(Exception, match="Describe the records you need"):
        client.predict("", api_name="/describe")
