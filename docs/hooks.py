"""MkDocs hook: pages pull their text from the README and their reference from the code itself.

`{{ readme: Title }}` is replaced by the README section under `## Title` (one source for both), and
`{{ cli_reference }}`, `{{ python_reference }}` and `{{ endpoints_reference }}` by references built
from the argument parser, the public API's docstrings and the app's named endpoints, so the site
cannot drift from the code. A missing section is an error, so `mkdocs build --strict` catches it.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_README = re.compile(r"\{\{ readme: (.+?) \}\}")


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = _README.sub(lambda m: readme_section(m.group(1)), markdown)
    for placeholder, build in (
        ("{{ cli_reference }}", cli_reference),
        ("{{ python_reference }}", python_reference),
        ("{{ endpoints_reference }}", endpoints_reference),
    ):
        if placeholder in markdown:
            markdown = markdown.replace(placeholder, build())
    return markdown


def readme_section(title: str) -> str:
    """The README's text under `## title`, up to the next `## ` heading (sub-headings move up one level)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if match is None:
        raise ValueError(f"README.md has no section '## {title}'")
    return re.sub(r"^###", "##", match.group(1).strip(), flags=re.M)


def cli_reference() -> str:
    """Every command and subcommand's help, as the parser prints it."""
    from synth_gradio.cli import build_parser

    parser = build_parser()
    parts = [_usage("synth-gradio", parser)]
    for name, sub in _subparsers(parser).items():
        parts.append(_usage(f"synth-gradio {name}", sub))
        for inner, leaf in _subparsers(sub).items():
            parts.append(_usage(f"synth-gradio {name} {inner}", leaf, level="###"))
    return "\n\n".join(parts)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _usage(title: str, parser: argparse.ArgumentParser, level: str = "##") -> str:
    parser.prog = title
    return f"{level} `{title}`\n\n```text\n{parser.format_help().strip()}\n```"


def python_reference() -> str:
    """The public API (`synth_gradio.__all__`): each name's signature and docstring; Studio's methods too."""
    import synth_gradio

    parts = []
    for name in sorted(synth_gradio.__all__):
        obj = getattr(synth_gradio, name)
        parts.append(_entry(name, obj, "##"))
        if name == "Studio":
            for method, fn in inspect.getmembers(obj, inspect.isfunction):
                if not method.startswith("_"):
                    parts.append(_entry(f"Studio.{method}", fn, "###"))
    return "\n\n".join(parts)


def _entry(name: str, obj: object, level: str) -> str:
    try:
        signature = f"{name}{inspect.signature(obj)}" if callable(obj) else name
    except (TypeError, ValueError):
        signature = name
    doc = inspect.getdoc(obj) or ""
    return f"{level} `{name}`\n\n```python\n{signature}\n```\n\n{doc}".strip()


def endpoints_reference() -> str:
    """The app's named endpoints with their parameters and outputs, as gradio_client sees them."""
    import tempfile

    from synth_gradio import Settings, Studio
    from synth_gradio.ui.app import build_app

    with tempfile.TemporaryDirectory() as tmp:
        info = build_app(Studio(Settings(db_path=Path(tmp) / "docs.db"))).get_api_info()
    parts = []
    for name, endpoint in sorted(info["named_endpoints"].items()):
        rows = [
            f"- `{p['parameter_name']}`: {p.get('description') or p.get('label', '')}" for p in endpoint["parameters"]
        ]
        outputs = ", ".join(f"`{r.get('label')}`" for r in endpoint["returns"]) or "none"
        body = endpoint.get("description") or ""
        parts.append(f"## `{name}`\n\n{body}\n\n" + ("\n".join(rows) or "No parameters.") + f"\n\nReturns: {outputs}")
    return "\n\n".join(parts)
