"""Per-user history: a scoped view sees its owner's runs only, and another user's run reads as missing."""

from __future__ import annotations

import pytest

from synth_gradio.errors import RunNotFoundError
from synth_gradio.storage.history import History, RunProgress, RunSpec
from synth_gradio.storage.template_store import TemplateStore


def new_run(history: History, title: str, owner: str | None = None) -> int:
    spec = RunSpec(title=title, schema={"type": "object"}, backend="fake", model="m", requested=2, owner=owner)
    run_id = history.create_run(spec)
    history.commit_batch(run_id, [{"who": title}], RunProgress(1, 1, {}, 0, 0.1, "running"))
    return run_id


def test_a_scoped_history_sees_only_its_owners_runs(history: History) -> None:
    alice, bob = history.scoped("alice"), history.scoped("bob")
    assert (history.owner, alice.owner, alice.db) == (None, "alice", history.db)
    a = new_run(alice, "a")
    b = new_run(bob, "b")
    shared = new_run(history, "no auth")
    stamped = new_run(history, "for bob", owner="bob")  # an explicit owner wins over the view's
    assert history.get_run(a)["owner"] == "alice" and history.get_run(shared)["owner"] is None
    assert [r["id"] for r in alice.list_runs()] == [a]
    assert [r["id"] for r in bob.list_runs()] == [stamped, b]
    assert [r["id"] for r in history.list_runs()] == [stamped, shared, b, a]
    assert [r["id"] for r in history.scoped(None).list_runs()] == [stamped, shared, b, a]
    assert [r["id"] for r in alice.list_runs(search="a")] == [a]


def test_another_users_run_is_not_found_exactly_like_a_missing_one(history: History) -> None:
    alice, bob = history.scoped("alice"), history.scoped("bob")
    theirs = new_run(bob, "secret title")
    missing = theirs + 100
    progress = RunProgress(2, 2, {}, 0, 0.2, "completed")
    calls = {
        "get_run": lambda v, rid: v.get_run(rid),
        "iter_records": lambda v, rid: v.iter_records(rid),
        "count_records": lambda v, rid: v.count_records(rid),
        "get_learned": lambda v, rid: v.get_learned(rid),
        "set_status": lambda v, rid: v.set_status(rid, "failed", "x"),
        "set_quality": lambda v, rid: v.set_quality(rid, {"score": 1}),
        "mark_running": lambda v, rid: v.mark_running(rid, None),
        "commit_batch": lambda v, rid: v.commit_batch(rid, [{"who": "intruder"}], progress),
        "delete_run": lambda v, rid: v.delete_run(rid),
    }
    for name, call in calls.items():
        messages = []
        for rid in (theirs, missing):
            with pytest.raises(RunNotFoundError) as caught:
                call(alice, rid)
            messages.append(str(caught.value).replace(str(rid), "ID"))
        assert messages[0] == messages[1], name
    # nothing of bob's run changed, and bob (and the admin view) still has it whole
    run = bob.get_run(theirs)
    assert (run["status"], run["achieved"], run["quality"]) == ("running", 1, None)
    assert list(bob.iter_records(theirs)) == [{"who": "secret title"}]
    assert history.count_records(theirs) == 1
    bob.delete_run(theirs)
    assert history.list_runs() == []


def test_recovery_marks_every_users_dead_runs(history: History) -> None:
    run_id = new_run(history.scoped("carol"), "c")
    history.db.execute_sql(f"UPDATE run SET worker = 'nowhere-host:1' WHERE id = {run_id}")
    history.db.execute_sql(f"UPDATE run SET updated_at = '2000-01-01 00:00:00' WHERE id = {run_id}")
    assert history.scoped("dave").recover_interrupted() == 1
    assert history.get_run(run_id)["status"] == "interrupted"


def test_saved_templates_are_per_user_plus_the_shared_ones(history: History) -> None:
    store = TemplateStore(history)
    alice, bob = store.scoped("alice"), TemplateStore(history.scoped("bob"))
    assert (alice.owner, bob.owner, store.owner) == ("alice", "bob", None)
    assert store.save("shared", "for all", {"x": {"type": "string"}}, []) == 1
    assert alice.save("pets", "alice's", {"pet": {"type": "string"}}, []) == 1
    assert bob.save("pets", "bob's", {"pet": {"type": "integer"}}, []) == 2  # versions count per name for all
    assert [(t["name"], t["description"]) for t in alice.list()] == [("pets", "alice's"), ("shared", "for all")]
    assert [(t["name"], t["description"]) for t in bob.list()] == [("pets", "bob's"), ("shared", "for all")]
    assert alice.get("pets")["owner"] == "alice" and alice.get("shared")["owner"] is None
    with pytest.raises(Exception, match="no saved version 2 of template 'pets'"):
        alice.get("pets", 2)
    assert [t["description"] for t in store.list() if t["name"] == "pets"] == ["bob's"]  # admin: latest of all
    bob.mark_used("pets", 1)  # not bob's: nothing happens
    alice.mark_used("pets", 1)
    assert alice.get("pets")["use_count"] == 1
