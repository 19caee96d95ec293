"""`synth-gradio templates`: list, show, save, import and export templates from the command line.

A saved template is the same object the Template Builder saves and the app's JSON export writes:
{name, description, schema, examples}. Saving under an existing name adds a version; built-in
names are refused with a sentence that says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from synth_gradio.cli_checks import int_range
from synth_gradio.errors import InputError
from synth_gradio.studio import BackendConfig, Studio
from synth_gradio.studio.sources import read_text_file


def add_template_commands(sub: Any) -> None:
    t = sub.add_parser("templates", help="list, show, save, import or export templates")
    tsub = t.add_subparsers(dest="action", required=True)
    tsub.add_parser("list")
    for action, helped in (("show", "print a template's JSON schema"), ("export", "write a template as JSON")):
        cmd = tsub.add_parser(action, help=helped)
        cmd.add_argument("name")
        cmd.add_argument("--version", type=int_range(1), default=None, help="a saved version (default: latest)")
        if action == "export":
            cmd.add_argument("--out", help="the file to write (default: print it)")
    save = tsub.add_parser("save", help="save a JSON schema as a template (a new version under an existing name)")
    save.add_argument("name")
    save.add_argument("--schema", required=True, help="JSON schema file for one record")
    save.add_argument("--description", default="")
    imported = tsub.add_parser("import", help="save a template file ({name, description, schema, examples})")
    imported.add_argument("file")
    imported.add_argument("--name", help="save under this name instead of the file's")


def add_describe_command(sub: Any) -> argparse.ArgumentParser:
    d = sub.add_parser(
        "describe", help="draft a record schema from a description in words (--backend: a capable model adds fields)"
    )
    d.add_argument("text", help='what the records are, e.g. "500 customer complaints for a telecom company"')
    d.add_argument("--out", help="the JSON schema file to write (default: print it)")
    d.add_argument("--save", metavar="NAME", help="also save the draft as a template of this name")
    return d


def describe_command(args: argparse.Namespace, studio: Studio, backend: BackendConfig | None = None) -> int:
    """Print (or write) the draft and what was assumed; the record count goes to stderr as a hint."""
    model = studio.backend(backend) if backend is not None else None
    try:
        draft = studio.describe(args.text, model)
    finally:
        if model is not None:
            model.close()
    text = json.dumps(draft.schema, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    if args.save:
        saved = studio.catalog.save({"name": args.save, "description": args.text[:200], "schema": draft.schema})
        print(f"saved as template {saved['name']!r} v{saved['version']}", file=sys.stderr)
    for note in draft.notes:
        print(f"note: {note}", file=sys.stderr)
    if draft.n:
        print(f"the description asks for {draft.n} records: generate with -n {draft.n}", file=sys.stderr)
    return 0


def templates_command(args: argparse.Namespace, studio: Studio) -> int:
    if args.action == "list":
        for t in studio.catalog.list():
            version = f"v{t['version']}" if t["version"] else "built-in"
            print(f"{t['name']:22s} {version:9s} {t['description']}")
        return 0
    if args.action == "show":
        print(json.dumps(studio.catalog.get(args.name, args.version)["schema"], indent=2, ensure_ascii=False))
        return 0
    if args.action == "export":
        text = studio.catalog.export_json(args.name, args.version)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            print(f"wrote template {args.name} to {args.out}")
        else:
            print(text)
        return 0
    if args.action == "save":
        schema = read_text_file(args.schema, "schema file")  # the catalog parses and checks it
        data: dict[str, Any] | str = {"name": args.name, "description": args.description, "schema": schema}
    else:
        try:
            data = json.loads(read_text_file(args.file, "template file"))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{args.file} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
            ) from None
        if args.name and isinstance(data, dict):
            data = {**data, "name": args.name}
    saved = studio.catalog.save(data)
    print(f"saved template {saved['name']} version {saved['version']}")
    return 0
