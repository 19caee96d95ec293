"""Studio.for_user: one user's view of a shared history (runs, templates, Stop, exports), on real SQLite."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fakes import FakeBackend

from synth_gradio.engine.types import GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.ddl import parse_ddl
from synth_gradio.schema.model import load_schema

CODED = load_schema({"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 10**6}}})
SQL = (Path(__file__).parents[1] / "fixtures" / "shop_sqlite.sql").read_text()


def make_run(view, title: str, n: int = 3) -> int:
    return list(view.run(GenerationRequest(schema=CODED, n=n, seed=1, title=title), FakeBackend([])))[-1].run_id


def test_a_user_sees_only_their_runs_and_every_run_id_method_says_not_found(studio, tmp_path) -> None:
    ana, bo, admin = studio.for_user("ana"), studio.for_user("bo"), studio.for_user("root", admin=True)
    a_run, b_run = make_run(ana, "ana's"), make_run(bo, "bo's")
    local = make_run(studio, "before logins")  # the single local user of an app without auth

    assert [r["id"] for r in ana.list_runs()] == [a_run]
    assert [r["id"] for r in bo.list_runs()] == [b_run]
    assert {r["id"] for r in admin.list_runs()} == {r["id"] for r in studio.list_runs()} == {a_run, b_run, local}
    assert admin.get_run(a_run)["achieved"] == 3 and len(admin.records(a_run)) == 3

    not_found = rf"no run with id {a_run}\b"
    calls = {
        "get_run": lambda: bo.get_run(a_run),
        "records": lambda: bo.records(a_run),
        "download": lambda: bo.download(a_run, "csv"),
        "export": lambda: bo.export(a_run, tmp_path / "stolen.csv"),
        "quality_report": lambda: bo.quality_report(a_run),
        "report_figures": lambda: bo.report_figures(a_run),
        "delete_run": lambda: bo.delete_run(a_run),
        "rerun": lambda: bo.rerun(a_run, FakeBackend([])),
        "resume": lambda: bo.resume(a_run, FakeBackend([])),
        "push_to_hub": lambda: bo.push_to_hub(a_run, "bo/stolen", token="hf_unused"),
    }
    for name, call in calls.items():
        with pytest.raises(InputError, match=not_found):
            call()
        assert ana.get_run(a_run)["achieved"] == 3, name
    assert not (tmp_path / "stolen.csv").exists()
    assert bo.analytics()["totals"]["runs"] == 1 and admin.analytics()["totals"]["runs"] == 3
    assert studio.for_user("bo") is bo and studio.for_user(None) is studio  # made once, shared state
    assert bo.for_user("root", admin=True) is admin and bo.for_user(None) is studio  # always from the whole history


def test_a_user_cannot_stop_another_users_run_and_a_comparison_table_is_theirs(studio) -> None:
    ana, bo, admin = studio.for_user("ana"), studio.for_user("bo"), studio.for_user("root", admin=True)
    stop = threading.Event()
    handle = ana.start(GenerationRequest(schema=CODED, n=50, seed=1, batch_size=2), FakeBackend([]), cancel=stop)
    next(handle.results)
    assert not bo.cancel(handle.run_id) and not stop.is_set()
    with pytest.raises(InputError, match="no run with id"):
        bo.delete_run(handle.run_id)  # "not found", never "still running"
    assert admin.cancel(handle.run_id) and stop.is_set()
    assert list(handle.results)[-1].status == "cancelled"

    group, events = ana.start_tables(parse_ddl(SQL), {"customers": 3, "orders": 4}, FakeBackend([]), seed=1)
    list(events)
    assert len(ana.comparison_table(group)) == 2 and bo.comparison_table(group) == []
    assert {r["title"] for r in ana.list_runs(group_id=group)} == {"customers", "orders"}


def test_stopping_or_dropping_a_users_table_job_keeps_their_finished_records(studio) -> None:
    ana, bo = studio.for_user("ana"), studio.for_user("bo")
    group, events = ana.start_tables(parse_ddl(SQL), {"customers": 5, "orders": 5000}, FakeBackend([]), batch_size=8)
    for table, batch, _ in events:
        if table == "orders" and batch.achieved >= 16:
            break
    assert not bo.cancel(group)
    events.close()  # the consumer went away (a closed tab): the table in progress stops now
    runs = {r["title"]: r for r in ana.list_runs(group_id=group)}
    assert runs["customers"]["status"] == "completed" and runs["customers"]["achieved"] == 5
    assert runs["orders"]["status"] == "cancelled"
    assert 16 <= runs["orders"]["achieved"] == ana.history.count_records(runs["orders"]["id"]) < 5000
    assert bo.list_runs(group_id=group) == []


def test_saved_templates_are_the_users_own_and_built_ins_are_shared(studio) -> None:
    ana, bo = studio.for_user("ana"), studio.for_user("bo")
    ana.catalog.save({"name": "pets", "schema": {"species": {"enum": ["cat", "dog"]}}})
    studio.catalog.save({"name": "shared", "schema": {"kind": {"enum": ["a", "b"]}}})  # saved without logins
    names = lambda view: {t["name"] for t in view.catalog.list()}  # noqa: E731
    assert {"pets", "shared", "customer_data"} <= names(ana)
    assert "pets" not in names(bo) and {"shared", "customer_data"} <= names(bo)
    with pytest.raises(InputError, match="unknown template 'pets'"):
        bo.resolve_schema(template="pets")
    assert ana.resolve_schema(template="pets").schema.fields[0].name == "species"


def test_each_user_gets_their_own_download_folder(studio) -> None:
    ana, bo = studio.for_user("ana"), studio.for_user("bo")
    a_file, b_file = ana.download(make_run(ana, "a"), "csv"), bo.download(make_run(bo, "b"), "csv")
    assert ana.exporter.folder != bo.exporter.folder
    assert a_file.is_relative_to(ana.exporter.folder) and b_file.is_relative_to(bo.exporter.folder)


def test_a_template_name_two_users_saved_lists_only_their_own_versions(studio) -> None:
    ana, bo = studio.for_user("ana"), studio.for_user("bo")
    ana.catalog.save({"name": "pets", "schema": {"species": {"enum": ["cat", "dog"]}}})
    bo.catalog.save({"name": "pets", "schema": {"size": {"enum": ["s", "m"]}}})
    ana.catalog.save({"name": "pets", "schema": {"species": {"enum": ["cat", "dog", "fish"]}}})
    assert ana.catalog.versions("pets") == [3, 1] and bo.catalog.versions("pets") == [2]
    assert bo.resolve_schema(template="pets").schema.fields[0].name == "size"
    with pytest.raises(InputError, match="no saved version 1 of template 'pets'"):
        bo.catalog.get("pets", 1)


def test_a_run_an_admin_resumes_stays_its_owners_to_stop(studio) -> None:
    ana, admin = studio.for_user("ana"), studio.for_user("root", admin=True)
    handle = ana.start(GenerationRequest(schema=CODED, n=40, seed=1, batch_size=2), FakeBackend([]))
    next(handle.results)
    handle.results.close()
    assert ana.get_run(handle.run_id)["status"] == "cancelled"
    resumed = admin.resume(handle.run_id, FakeBackend([]))
    next(resumed.results)
    assert ana.cancel(handle.run_id)  # ana's run, though the admin resumed it
    assert list(resumed.results)[-1].status == "cancelled"
    assert ana.get_run(handle.run_id)["owner"] == "ana"
