"""The documentation site builds with --strict, and its references come from the code itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import synth_gradio

ROOT = Path(__file__).resolve().parents[1]


def test_the_documentation_site_builds_and_covers_every_command_and_public_name(tmp_path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    tutorials = {f"tutorials/{name}/index.html" for name in ("first-dataset", "describe", "learn-from-data",
                 "related-tables", "quality-privacy", "api-mcp-cli")}  # fmt: skip
    assert tutorials | {"reference/cli/index.html", "guide/quality/index.html"} <= pages
    cli = (site / "reference/cli/index.html").read_text()
    for command in ("generate", "templates save", "templates import", "quality", "history", "resume", "ddl"):
        assert f"synth-gradio {command}" in cli, command
    python = (site / "reference/python/index.html").read_text()
    assert all(name in python for name in synth_gradio.__all__)
    endpoints = (site / "reference/endpoints/index.html").read_text()
    assert "/generate_related" in endpoints and "Newest records" in endpoints
    related = (site / "tutorials/related-tables/index.html").read_text()
    assert "--key" in related and "{{" not in related  # the README section was pulled in
    assert not re.search(
        r"\{\{ (readme|cli_reference|python_reference)", "".join(p.read_text() for p in site.rglob("*.html"))
    )
