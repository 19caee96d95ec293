"""The Gradio app through gradio_client, launched in the test as a user would reach it."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import tempfile
import threading
from pathlib import Path

import pandas as pd
import pytest
from gradio_client import Client

import app as app_module
from synth_gradio.settings import Settings

pytestmark = pytest.mark.model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


EXPORTS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("app")
    EXPORTS["dir"] = folder / "exports"
    settings = Settings(db_path=folder / "history.db", batch_size=8, export_dir=EXPORTS["dir"])
    EXPORTS["db"] = settings.db_path
    demo = app_module.create(settings)
    port = free_port()
    # The app's own launch options (blocked paths included), with the database under /tmp as on a Space
    options = app_module.launch_options(app_module.parse_args([]), settings)
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def gen_args(template: str = "product_catalog", schema: str = "", n: int = 6, seed: int = 1) -> list:
    return [template, schema, "llamacpp", "", "", "", n, 1.0, 8, str(seed)]


def test_generate_streams_and_stores_a_run(launched) -> None:
    client = Client(launched, verbose=False)
    job = client.submit(*gen_args(n=6, seed=2), api_name="/generate")
    updates = list(job)
    assert len(updates) >= 2
    run_id, progress, _counts, table = updates[-1]
    assert "Done" in progress and "6/6" in progress
    assert len(table["data"]) == 6
    written = lambda: sorted(p.name for p in EXPORTS["dir"].rglob("*") if p.is_file())  # noqa: E731
    if EXPORTS["dir"].exists():
        assert not any(f"run{run_id}_" in name for name in written()), "a finished run wrote files nobody asked for"
    download = client.predict(run_id, "xlsx", api_name="/download")
    assert len(pd.read_excel(download)) == 6
    assert [n for n in written() if n.startswith(f"run{run_id}_")] == [
        f"run{run_id}_product_catalog.meta.json",  # the metadata sidecar of the one format asked for
        f"run{run_id}_product_catalog.xlsx",
    ]
    exported = client.predict(run_id, "csv", api_name="/export_run")
    assert len(pd.read_csv(exported)) == 6
    parquet = client.predict(run_id, "parquet", api_name="/export_run")
    assert len(pd.read_parquet(parquet)) == 6
    runs = client.predict("", "", "", None, None, 1, api_name="/list_runs")
    ids = [row[0] for row in runs["data"]]
    assert run_id in ids
    details, preview, message = client.predict(run_id, api_name="/get_run")
    assert len(preview["data"]) == 6 and f"Run {run_id}" in message
    assert details["status"] == "completed" and details["achieved"] == 6
    quality = client.predict(run_id, api_name="/get_quality")
    assert "Quality score" in quality[0]


def test_downloads_work_with_the_database_under_tmp_but_the_database_is_never_served(launched) -> None:
    import httpx

    assert str(EXPORTS["db"]).startswith(tempfile.gettempdir())
    client = Client(launched, verbose=False)
    run_id = client.submit(*gen_args(n=2, seed=4), api_name="/generate").result()[0]
    csv_path = client.predict(run_id, "csv", api_name="/download")
    assert len(pd.read_csv(csv_path)) == 2
    for blocked in (EXPORTS["db"], Path(f"{EXPORTS['db']}-wal")):
        response = httpx.get(f"{launched}gradio_api/file={blocked}", timeout=10)
        assert response.status_code in (403, 404), (blocked, response.status_code)
        assert b"SQLite format" not in response.content


def test_invalid_schema_is_a_clear_error(launched) -> None:
    client = Client(launched, verbose=False)
    with pytest.raises(Exception, match=r"Schema error at \$\.properties\.age\.type: unknown type 'integr'"):
        client.submit(
            *gen_args(template="(custom JSON schema)", schema='{"age": {"type": "integr"}}'), api_name="/generate"
        ).result()
    message = client.predict('{"age": {"type": "integer", "minimun": 1}}', api_name="/validate_schema")
    assert "did you mean 'minimum'" in message


def test_save_template_then_get_template_round_trips(launched) -> None:
    client = Client(launched, verbose=False)
    template = {
        "name": "pets",
        "description": "Pets at a vet clinic",
        "schema": {
            "type": "object",
            "properties": {
                "pet_name": {"type": "string", "description": "the pet's name"},
                "species": {"enum": ["cat", "dog"]},
            },
            "required": ["pet_name", "species"],
        },
        "examples": [{"pet_name": "Miso", "species": "cat"}],
    }
    assert "version 1" in client.predict(json.dumps(template), api_name="/save_template")
    assert "version 2" in client.predict(json.dumps(template), api_name="/save_template")
    got = json.loads(client.predict("pets", None, api_name="/get_template"))
    assert got == template
    listing = client.predict(api_name="/list_templates")
    assert listing["data"][[r[0] for r in listing["data"]].index("pets")][:3] == ["pets", "saved", 2]
    with pytest.raises(Exception, match="built-in template"):
        client.predict(json.dumps({**template, "name": "user_profile"}), api_name="/save_template")


def test_two_clients_at_once_complete_with_separate_runs(launched) -> None:
    results: dict[str, list] = {}

    def go(label: str, template: str) -> None:
        client = Client(launched, verbose=False)
        results[label] = list(client.submit(*gen_args(template=template, n=4, seed=3), api_name="/generate"))

    threads = [
        threading.Thread(target=go, args=("a", "product_catalog")),
        threading.Thread(target=go, args=("b", "user_profile")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    a, b = results["a"][-1], results["b"][-1]
    assert a[0] != b[0]
    assert "4/4" in a[1] and "4/4" in b[1]
    assert "sku" in a[3]["headers"] and "username" in b[3]["headers"]


def test_cancel_keeps_what_was_made(launched) -> None:
    client = Client(launched, verbose=False)
    job = client.submit(*gen_args(n=200, seed=5), api_name="/generate")
    run_id = None
    for update in job:
        run_id = update[0]
        # stop once records exist: a streamed run reports progress before its first record too
        if run_id and re.search(r": [1-9]\d*/200 records", update[1]):
            break
    client.predict(run_id, api_name="/cancel")
    final = list(job)[-1] if not job.done() else job.outputs()[-1]
    details = client.predict(run_id, api_name="/get_run")[0]
    assert details["status"] == "cancelled", final
    assert 0 < details["achieved"] < 200


def test_compare_reference_through_the_api(launched, tmp_path) -> None:
    from gradio_client import handle_file

    client = Client(launched, verbose=False)
    run_id = client.submit(*gen_args(template="customer_data", n=4, seed=8), api_name="/generate").result()[0]
    reference = tmp_path / "real.csv"
    pd.DataFrame(
        [
            {"customer_id": f"CUS-{i:06d}", "country": c, "segment": "consumer", "lifetime_value": 100.0 * i}
            for i, c in enumerate(["DE", "FR", "US", "DE", "JP"])
        ]
    ).to_csv(reference, index=False)
    summary, shapes, charts, report = client.predict(run_id, handle_file(str(reference)), api_name="/compare_reference")
    assert report["reference"]["privacy"]["exact_copies"] == 0
    assert "Similarity to the reference" in summary and "Privacy" in summary
    assert {row[0] for row in shapes["data"]} == {"customer_id", "country", "segment", "lifetime_value"}
    assert len(charts) >= 4
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(Exception, match="is empty"):
        client.predict(run_id, handle_file(str(empty)), api_name="/compare_reference")


def test_compare_models_side_by_side(launched) -> None:
    client = Client(launched, verbose=False)
    slots = []
    for i, temperature in enumerate((0.6, 1.3, 1.0, 1.0)):
        slots += [i < 2, "llamacpp", "", "", "", temperature]
    job = client.submit("product_catalog", "", 3, "4", *slots, api_name="/compare_models")
    progress, table, chart = job.result()
    assert "finished" in progress and chart and str(chart).endswith(".png")
    rows = {row[0]: row for row in table["data"]}
    assert len(rows) == 2 and all("@T=" in name for name in rows)
    headers = table["headers"]
    for row in rows.values():
        assert row[headers.index("status")] == "completed" and row[headers.index("records")] == 3
        assert 0 < row[headers.index("quality score")] <= 100
    runs = client.predict("", "", "", None, None, 1, api_name="/list_runs")
    assert len(runs["data"]) >= 2
    one_slot = [True, "llamacpp", "", "", "", 1.0] + [False, "llamacpp", "", "", "", 1.0] * 3
    with pytest.raises(Exception, match="2 to 4"):
        client.submit("product_catalog", "", 3, "", *one_slot, api_name="/compare_models").result()


def test_sql_and_csv_imports_and_multi_table_generation(launched, tmp_path) -> None:
    from gradio_client import handle_file

    client = Client(launched, verbose=False)
    sql = (Path(__file__).parents[1] / "fixtures" / "shop_sqlite.sql").read_text()
    template_text, message = client.predict(sql, "orders", api_name="/ddl_to_schema")
    template = json.loads(template_text)
    assert template["schema"]["properties"]["customer_id"]["x-foreign-key"] == {"table": "customers", "column": "id"}
    assert "orders" in message
    with pytest.raises(Exception, match="line 3"):
        client.predict("CREATE TABLE t (\n a INT\n b TEXT\n);", "", api_name="/ddl_to_schema")
    sample = tmp_path / "sample.csv"
    pd.DataFrame({"city": ["Lyon", "Nice"] * 10, "visits": range(20)}).to_csv(sample, index=False)
    inferred, _ = client.predict(handle_file(str(sample)), True, api_name="/infer_schema")
    inferred = json.loads(inferred)
    assert inferred["schema"]["properties"]["city"]["enum"] == ["Lyon", "Nice"] and len(inferred["examples"]) == 3
    group, status, files = client.submit(
        sql, "customers=4, orders=9", 5, "3", "llamacpp", "", "", "", api_name="/generate_tables"
    ).result()
    assert status.startswith("Done") and sorted(Path(str(f)).suffix for f in files) == [".sqlite", ".xlsx", ".zip"]
    assert client.predict(group, api_name="/cancel_tables") == "No table generation is running."
    sheets = pd.read_excel(next(f for f in files if str(f).endswith(".xlsx")), sheet_name=None)
    assert len(sheets["customers"]) == 4 and len(sheets["orders"]) == 9
    assert set(sheets["orders"].customer_id) <= set(sheets["customers"].id)


def test_generate_from_a_reference_table_through_the_api(launched, tmp_path) -> None:
    from gradio_client import handle_file
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True).frame
    iris["target"] = iris["target"].map({0: "setosa", 1: "versicolor", 2: "virginica"})
    reference = tmp_path / "iris.csv"
    iris.to_csv(reference, index=False)
    client = Client(launched, verbose=False)
    updates = list(
        client.submit(
            handle_file(str(reference)), 30, "5", False, "", "llamacpp", "", "", "", api_name="/generate_from_reference"
        )
    )
    run_id, progress, _counts, table = updates[-1]
    assert "30/30" in progress and len(table["data"]) == 30
    assert set(table["headers"]) == set(iris.columns)
    details = client.predict(run_id, api_name="/get_run")[0]
    assert set(details["strategies"].values()) == {"learned"}
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(Exception, match="is empty"):
        client.submit(
            handle_file(str(empty)), 5, "", False, "", "llamacpp", "", "", "", api_name="/generate_from_reference"
        ).result()


def test_related_tables_through_the_api_keys_found_confirmed_and_kept(launched, tmp_path) -> None:
    from gradio_client import handle_file
    from related_data import modechoice

    paths = []
    for name, frame in modechoice().items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        paths.append(handle_file(str(tmp_path / f"{name}.csv")))
    client = Client(launched, verbose=False)
    keys, sequences, summary = client.predict(paths, api_name="/find_relations")
    assert keys == "choices.traveller_id=travellers.traveller_id" and sequences == ""
    assert "travellers (210 rows)" in summary
    group, status, files = client.submit(
        paths, keys, sequences, 25, "4", "llamacpp", "", "", "", api_name="/generate_related"
    ).result()
    assert status.startswith("Done: travellers 25, choices "), status
    with sqlite3.connect(next(str(f) for f in files if str(f).endswith(".sqlite"))) as con:
        people = pd.read_sql_query("SELECT * FROM travellers", con)
        choices = pd.read_sql_query("SELECT * FROM choices", con)
    assert len(people) == 25 and set(choices["traveller_id"]) <= set(people["traveller_id"])
    assert client.predict(group, api_name="/cancel_related") == "No table generation is running."
    assert status.endswith(f"(job {group})")
    text, report = client.predict(group, paths, api_name="/compare_tables")
    assert report["foreign_keys_valid"] and set(report["tables"]) == {"travellers", "choices"}
    assert f"job {group}: 2 tables against the reference" in text and "children_ks: worst" in text
    with pytest.raises(Exception, match="give the job id"):
        client.predict("", paths, api_name="/compare_tables")
    with pytest.raises(Exception, match="table choices has no column client_id"):
        client.submit(paths, "choices.client_id=travellers.traveller_id", "", 5, "", "llamacpp", "", "", "",
                      api_name="/generate_related").result()  # fmt: skip
    with pytest.raises(Exception, match="upload your tables first"):
        client.predict([], api_name="/find_relations")


def test_the_builder_round_trips_a_conditional_distribution(launched) -> None:
    client = Client(launched, verbose=False)
    template = {
        "name": "staff",
        "description": "",
        "schema": {
            "type": "object",
            "properties": {
                "level": {"type": "string", "enum": ["junior", "senior"]},
                "salary": {"type": "integer", "minimum": 20000, "maximum": 300000},
            },
            "required": ["level", "salary"],
        },
        "examples": [],
    }
    params = {name: "" for name in ("low", "high", "mean", "std", "median", "sigma", "lam", "scale", "loc")}
    params.update(median="60000", sigma="0.2")
    cases = {"headers": ["when", "parameter or category", "value"], "data": [["senior", "median", "95000"]]}
    weights = {"headers": ["value", "weight"], "data": [["", ""]]}
    text, note = client.predict(
        json.dumps(template), "salary", "lognormal", *params.values(), weights, "level", cases,
        api_name="/set_distribution",
    )  # fmt: skip
    declared = json.loads(text)["schema"]["properties"]["salary"]["x-distribution"]
    assert declared == {
        "kind": "lognormal",
        "median": 60000,
        "sigma": 0.2,
        "by": "level",
        "cases": {"senior": {"median": 95000}},
    }
    assert "Declared `salary`" in note
    form = client.predict(text, "salary", api_name="/get_distribution")
    assert form[0] == "lognormal" and form[5] == "60000" and form[6] == "0.2"
    assert form[-2] == "level" and form[-1]["data"] == [["senior", "median", 95000]]
    with pytest.raises(Exception, match=r"\$\.properties\.salary\.x-distribution\.sigma"):
        bad = {**params, "sigma": "-1"}
        client.predict(
            json.dumps(template),
            "salary",
            "lognormal",
            *bad.values(),
            weights,
            "(none)",
            cases,
            api_name="/set_distribution",
        )
