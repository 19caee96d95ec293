"""Templates from the command line: save a schema, export it, import it under another name, use it."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import cli

SCHEMA = {
    "title": "Badge",
    "type": "object",
    "properties": {"badge_id": {"type": "integer", "minimum": 1, "maximum": 10**6, "unique": True},
                   "level": {"type": "string", "enum": ["bronze", "silver", "gold"]}},
    "required": ["badge_id", "level"],
}  # fmt: skip


def test_a_template_saved_from_the_cli_is_listed_exported_imported_and_used(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    schema = tmp_path / "badge.json"
    schema.write_text(json.dumps(SCHEMA))
    saved = cli("templates", "save", "badges", "--schema", str(schema), "--description", "loyalty badges", db=db)
    assert saved.returncode == 0 and "saved template badges version 1" in saved.stdout, saved.stderr
    again = cli("templates", "save", "badges", "--schema", str(schema), db=db)
    assert "version 2" in again.stdout
    listed = cli("templates", "list", db=db).stdout
    assert any(line.startswith("badges") and "v2" in line for line in listed.splitlines())

    out = tmp_path / "exported.json"
    assert cli("templates", "export", "badges", "--version", "1", "--out", str(out), db=db).returncode == 0
    exported = json.loads(out.read_text())
    assert exported["name"] == "badges" and exported["description"] == "loyalty badges"
    assert set(exported["schema"]["properties"]) == {"badge_id", "level"}

    other = tmp_path / "other.db"  # another machine's history
    imported = cli("templates", "import", str(out), "--name", "badges_copy", db=other)
    assert imported.returncode == 0 and "badges_copy version 1" in imported.stdout, imported.stderr
    made = tmp_path / "made.jsonl"
    run = cli("generate", "--template", "badges_copy", "-n", "5", "--seed", "1", "--out", str(made), db=other)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in made.read_text().splitlines()]
    assert len(rows) == 5 and all(r["level"] in {"bronze", "silver", "gold"} for r in rows)


def test_bad_template_input_exits_2_with_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps(SCHEMA))
    cases = [
        (("templates", "import", str(broken)), "not valid JSON"),
        (("templates", "import", str(broken), "--name", "x"), "not valid JSON"),
        (("templates", "save", "customer_data", "--schema", str(schema)), "built-in template"),
        (("templates", "save", "ok", "--schema", str(tmp_path / "missing.json")), "missing.json"),
        (("templates", "export", "nothing_here"), "nothing_here"),
    ]
    for args, needle in cases:
        got = cli(*args, db=db)
        assert got.returncode == 2 and needle in got.stderr, (args, got.stderr)
        assert "Traceback" not in got.stderr


def test_describe_drafts_a_schema_saves_it_and_says_what_to_do_with_bad_words(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    out = tmp_path / "draft.json"
    done = cli("describe", "500 customer complaints for a telecom company", "--out", str(out), "--save", "telco", db=db)
    assert done.returncode == 0, done.stderr
    draft = json.loads(out.read_text())
    assert {"complaint_id", "category", "message"} <= set(draft["properties"])
    assert "generate with -n 500" in done.stderr and "saved as template 'telco' v1" in done.stderr
    assert any(line.startswith("telco") for line in cli("templates", "list", db=db).stdout.splitlines())
    empty = cli("describe", "  ", db=db)
    assert empty.returncode == 2 and "Describe the records you need" in empty.stderr
