"""Per-user history behind logins, through the launched app with gradio_client and two logins.

Every field of the schema is drawn in code, so the default backend makes the records without a model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client
from ui_launch import browser, gen_args, launched

import app as app_module
from synth_gradio.errors import InputError
from synth_gradio.schema.model import load_schema
from synth_gradio.settings import Settings
from synth_gradio.studio import GenerationRequest, Studio
from synth_gradio.ui.access import NO_USER, check_admins, credentials, parse_pairs

ANA, BO, ROOT = ("ana", "pw-ana:1"), ("bo", "pw,bo-2"), ("root", "pw-root")
FLAGS = ["--auth", "ana:pw-ana:1,bo:pw,bo-2", "--admin", "root"]
NOT_FOUND = r"no run with id {}\b"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("users")
    settings = Settings(db_path=folder / "history.db", export_dir=folder / "exports")
    # Before the app is built: a run and a saved template of ana's that the page must not carry.
    ana = Studio(settings).for_user("ana")
    schema = load_schema(json.loads(gen_args()[1]))
    list(ana.run(GenerationRequest(schema=schema, n=2, seed=5, title="ana-secret-title")))
    ana.catalog.save({"name": "ana_private_template", "schema": {"kind": {"enum": ["x", "y"]}}})
    users_file = folder / "users.txt"
    users_file.write_text("# admins\nroot:pw-root\n\n", encoding="utf-8")
    with launched(settings, [*FLAGS, "--users-file", str(users_file)]) as url:
        yield url, settings


def login(url: str, who: tuple[str, str]) -> Client:
    return Client(url, auth=who, verbose=False)


def run_ids(client: Client) -> set[int]:
    table = client.predict("", "", "", None, None, 1, api_name="/list_runs")
    return {row[0] for row in table["data"]} if "id" in table["headers"] else set()


def test_each_user_sees_only_their_own_runs_and_another_users_run_is_not_found(app) -> None:
    url, _ = app
    ana, bo, root = login(url, ANA), login(url, BO), login(url, ROOT)
    a_run, _progress, _counts, table = ana.submit(*gen_args(n=4, seed=1), api_name="/generate").result()
    assert len(table["data"]) == 4
    b_run = bo.submit(*gen_args(n=3, seed=2), api_name="/generate").result()[0]

    assert a_run in run_ids(ana) and b_run not in run_ids(ana)
    assert run_ids(bo) == {b_run}
    assert {a_run, b_run} <= run_ids(root) and len(run_ids(root)) == 3  # with ana's earlier run
    assert root.predict(a_run, api_name="/get_run")[0]["achieved"] == 4

    refused = {
        "/get_run": [a_run],
        "/get_quality": [a_run],
        "/download": [a_run, "csv"],
        "/export_run": [a_run, "json"],
        "/delete_run": [a_run, True],
        "/push_to_hub": [a_run, "bo/stolen", False, "hf_not_a_token"],
        "/resume": [a_run, "llamacpp", "", "", ""],
        "/rerun": [a_run, "llamacpp", "", "", ""],
    }
    for api_name, args in refused.items():
        with pytest.raises(Exception, match=NOT_FOUND.format(a_run)):
            bo.submit(*args, api_name=api_name).result()
    assert "not running" in bo.predict(a_run, api_name="/cancel")
    details = ana.predict(a_run, api_name="/get_run")[0]
    assert details["status"] == "completed" and details["achieved"] == 4  # bo's delete did nothing

    assert bo.predict("", api_name="/analytics")["totals"]["runs"] == 1
    assert ana.predict("", api_name="/analytics")["totals"]["runs"] == 2
    assert root.predict("", api_name="/analytics")["totals"]["runs"] == 3
    assert "Quality score" in ana.predict(a_run, api_name="/get_quality")[0]


def test_saved_templates_are_per_user_and_built_ins_are_shared(app) -> None:
    url, _ = app
    ana, bo = login(url, ANA), login(url, BO)
    template = {"name": "bo_pets", "schema": {"species": {"enum": ["cat", "dog"]}}}
    assert "version 1" in bo.predict(json.dumps(template), api_name="/save_template")
    names = lambda client: {row[0] for row in client.predict(api_name="/list_templates")["data"]}  # noqa: E731
    assert {"customer_data", "bo_pets"} <= names(bo) and "ana_private_template" not in names(bo)
    assert {"customer_data", "ana_private_template"} <= names(ana) and "bo_pets" not in names(ana)
    with pytest.raises(Exception, match="unknown template 'ana_private_template'"):
        bo.predict("ana_private_template", "latest", api_name="/get_template")
    assert "customer_data" in ana.predict("customer_data", "latest", api_name="/get_template")


def test_the_page_itself_carries_no_users_runs_or_templates(app) -> None:
    url, _ = app
    with browser(url, *BO) as page:
        config = page.get("config").text
    assert "customer_data" in config  # the built-in templates are there for everyone
    assert "ana-secret-title" not in config and "ana_private_template" not in config


def test_another_users_export_file_is_never_served(app) -> None:
    url, settings = app
    ana = login(url, ANA)
    run = ana.submit(*gen_args(n=2, seed=7), api_name="/generate").result()[0]
    assert len(Path(ana.predict(run, "csv", api_name="/download")).read_text().splitlines()) == 3
    written = [p for p in settings.export_dir.rglob(f"run{run}_*.csv")]
    assert written, "the export was written under the export folder"
    with browser(url, *BO) as page:
        for path in written:  # the export folder itself is never a file route, whoever asks
            assert page.get(f"gradio_api/file={path}").status_code in (403, 404)
    with pytest.raises(Exception, match=NOT_FOUND.format(run)):
        login(url, BO).predict(run, "csv", api_name="/download")
    # Even the served copy's address, should it leak, opens only for ana (and an admin).
    served = Client(url, auth=ANA, verbose=False, download_files=False).predict(run, "csv", api_name="/download")
    address = f"gradio_api/file={served['path']}"
    for who, status in ((ANA, 200), (ROOT, 200), (BO, 404)):
        with browser(url, *who) as page:
            response = page.get(address)
            assert response.status_code == status, who
            assert response.text.startswith("n,color") == (status == 200)  # the CSV's header


def test_without_logins_the_one_local_user_sees_every_run(app) -> None:
    _, settings = app
    with launched(settings) as url:
        everyone = Client(url, verbose=False)
        assert len(run_ids(everyone)) >= 3
        assert "ana_private_template" in {row[0] for row in everyone.predict(api_name="/list_templates")["data"]}


def test_logins_from_flags_and_files_never_echo_a_password(tmp_path) -> None:
    assert parse_pairs("a:x:y, b:p,q,c:r") == [("a", "x:y"), ("b", "p,q"), ("c", "r")]
    users_file = tmp_path / "users.txt"
    users_file.write_text("# team\nd:s3cret\n\ne:with:colon\n", encoding="utf-8")
    assert credentials("a:1", users_file) == [("a", "1"), ("d", "s3cret"), ("e", "with:colon")]
    users_file.write_text("d:s3cret\nbroken-line-hunter2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2 of .*users\.txt is not user:password") as bad:
        credentials("", users_file)
    assert "hunter2" not in str(bad.value)
    with pytest.raises(InputError, match="listed twice"):
        credentials("a:1,a:2")
    with pytest.raises(InputError, match="cannot log in"):
        check_admins(["zed"], [("a", "1")])
    with pytest.raises(InputError, match="--admin needs logins"):
        check_admins(["zed"], [])
    with pytest.raises(SystemExit, match="pair 1 of --auth/SYNTH_AUTH is not user:password") as stop:
        app_module.logins(app_module.parse_args(["--auth", "nocolon-hunter2"]))
    assert "hunter2" not in str(stop.value)
    assert ":" in NO_USER  # a user name ends at the first ':', so no login can be this view


def test_auth_and_admin_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SYNTH_AUTH", "ana:1,bo:2")
    monkeypatch.setenv("SYNTH_ADMIN", "bo")
    users, admins = app_module.logins(app_module.parse_args([]))
    assert users == [("ana", "1"), ("bo", "2")] and admins == {"bo"}
    options = app_module.launch_options(app_module.parse_args([]), Settings(db_path=tmp_path / "h.db"))
    assert options["auth"] == [("ana", "1"), ("bo", "2")]


def test_a_request_without_a_login_sees_nothing_when_logins_are_on(studio) -> None:
    from synth_gradio.ui.access import Access

    make = list(studio.run(GenerationRequest(schema=load_schema(json.loads(gen_args()[1])), n=2, seed=1)))
    assert make[-1].status == "completed"
    with pytest.raises(InputError, match="needs a login"):
        Access(studio, auth=True).view(None)
    assert Access(studio).view(None) is studio  # no logins: the one local user
    assert Access(studio, auth=True).initial.list_runs() == []  # what the page is built with
