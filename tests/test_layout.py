"""The package's shape: the public API, the direction of imports and module sizes."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import synth_gradio

PACKAGE = Path(synth_gradio.__file__).parent
PUBLIC = [
    "Backend",
    "BackendConfig",
    "BackendError",
    "BatchResult",
    "Capabilities",
    "Completion",
    "CompletionRequest",
    "ExecutorChoice",
    "ExportError",
    "Field",
    "GenerationParams",
    "GenerationRequest",
    "History",
    "InputError",
    "ResolvedSchema",
    "RunHandle",
    "Schema",
    "SchemaError",
    "Settings",
    "StorageError",
    "Studio",
    "SynthError",
    "Template",
    "available_kinds",
    "builtin_names",
    "create_backend",
    "generate",
    "generate_records",
    "get_template",
    "load_schema",
    "write_records",
]
# Which layers a package may import from (besides itself, errors, settings, logs and symbols: stdlib-only,
# cross-cutting).
ALLOWED = {
    "storage": set(),
    "tables": set(),  # reading real tables: one file, a folder, a workbook, a SQLite file
    "schema": {"quality", "tables"},  # quality: the plausibility word lists the priors share
    "quality": {"export", "tables"},
    "export": set(),
    "backends": set(),
    "learn": {"tables"},
    "engine": {"backends", "schema", "quality", "storage", "learn", "tables"},
    "studio": {"engine", "backends", "schema", "quality", "storage", "export", "learn", "tables"},
    "ui": {"studio", "backends", "schema", "quality", "export", "errors", "tables"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_public_api_is_locked() -> None:
    assert sorted(synth_gradio.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(synth_gradio, name) is not None


def test_layers_import_only_downwards() -> None:
    problems = []
    for layer, allowed in ALLOWED.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for module in imports_of(path):
                if not module.startswith("synth_gradio."):
                    continue
                target = module.split(".")[1]
                if target not in {layer, "errors", "settings", "logs", "symbols"} | allowed:
                    problems.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert problems == []
    assert not any(m.startswith("synth_gradio") for m in imports_of(PACKAGE / "symbols.py"))  # a leaf


def test_tables_is_a_bottom_layer() -> None:
    """tables/ needs only the standard library, pandas, numpy and the error types, so every layer can use it."""
    outside = set()
    for path in (PACKAGE / "tables").rglob("*.py"):
        for module in imports_of(path):
            top = module.split(".")[0]
            if top == "synth_gradio":
                if module != "synth_gradio.errors" and not module.startswith("synth_gradio.tables"):
                    outside.add(module)
            elif top not in sys.stdlib_module_names | {"__future__", "pandas", "numpy"}:
                outside.add(module)
    assert outside == set()


def test_gradio_is_imported_only_under_ui() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.parent.name != "ui" and any(m.split(".")[0] in {"gradio", "gradio_client"} for m in imports_of(path))
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = sorted(len(p.read_text().splitlines()) for p in PACKAGE.rglob("*.py"))
    assert sizes[-1] <= 400
    assert sizes[len(sizes) // 2] <= 120


def test_distributions_package_has_no_import_cycle() -> None:
    """schema/distributions/ modules import each other one way, and none needs schema/model.py to load."""
    package = PACKAGE / "schema" / "distributions"
    prefix = "synth_gradio.schema.distributions."
    graph = {  # the package itself is its __init__
        path.stem: {m.removeprefix(prefix) for m in imports_of(path) if m.startswith(prefix)}
        | ({"__init__"} if prefix[:-1] in imports_of(path) else set())
        for path in package.glob("*.py")
    }
    state: dict[str, str] = {}

    def cycle_from(name: str, chain: list[str]) -> list[str] | None:
        if state.get(name) == "open":
            return [*chain, name]
        if state.get(name) == "done":
            return None
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            found = cycle_from(target, [*chain, name])
            if found:
                return found
        state[name] = "done"
        return None

    assert [c for name in sorted(graph) if (c := cycle_from(name, []))] == []
    for path in package.glob("*.py"):
        top = ast.parse(path.read_text(encoding="utf-8")).body  # module level, outside `if TYPE_CHECKING`
        loaded = {n.module for n in top if isinstance(n, ast.ImportFrom)}
        assert "synth_gradio.schema.model" not in loaded, path.name
    assert not list((PACKAGE / "schema").glob("dist*.py")), "the dist*.py modules live in schema/distributions/"
