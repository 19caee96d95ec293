"""synth_gradio.export stands alone: it imports nothing from the engine, storage, backends or UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import synth_gradio

PACKAGE = Path(synth_gradio.__file__).parent
ALLOWED = ("synth_gradio.errors", "synth_gradio.export")


def _allowed(name: str) -> bool:
    return any(name == a or name.startswith(a + ".") for a in ALLOWED)


# synth_gradio/__init__.py imports the whole library, so the parent package is stood in for by an
# empty one: what is then loaded is what synth_gradio.export itself pulls in.
PROBE = f"""
import sys, types
parent = types.ModuleType("synth_gradio")
parent.__path__ = [{str(PACKAGE)!r}]
sys.modules["synth_gradio"] = parent
import synth_gradio.export
print(sorted(m for m in sys.modules if m.startswith("synth_gradio.")))
print(sorted(m for m in ("pandas", "pyarrow", "openpyxl") if m in sys.modules))
"""


def test_importing_export_loads_only_errors_and_itself() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded, heavy = (eval(line) for line in done.stdout.splitlines())
    assert "synth_gradio.export.writers" in loaded and "synth_gradio.errors" in loaded
    assert [m for m in loaded if not _allowed(m)] == []
    assert heavy == []  # pyarrow and openpyxl load on the first write in their format


def test_no_module_of_the_package_imports_other_synth_gradio_modules() -> None:
    found = []
    for path in sorted((PACKAGE / "export").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["(relative)"]
            found += [(path.name, n) for n in names if n.startswith("synth_gradio") or n == "(relative)"]
    assert found, "the scan found no imports at all"
    assert [(f, n) for f, n in found if not _allowed(n)] == []
