"""Exports of stored runs, written only when someone asks for a format.

Files for downloads go to one folder per Studio (made on the first request), so a finished run
costs nothing until a user picks a format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from synth_gradio.errors import InputError
from synth_gradio.export import EXPORT_FORMATS, export_dataset, format_for, run_metadata
from synth_gradio.storage.history import History


class Exporter:
    def __init__(self, history: History, folder: Path | None = None) -> None:
        self.history = history
        self._root = folder
        self._folder: Path | None = None

    @property
    def folder(self) -> Path | None:
        """Where download files went so far (None until the first one)."""
        return self._folder

    def export(
        self,
        run_id: int,
        out: str | Path,
        *,
        split: tuple[float, float, float] | None = None,
        seed: int = 0,
        neutralize_formulas: bool = True,
    ) -> dict[Path, int]:
        """Write a run (or its three split parts) to `out`; returns file -> records written."""
        format_for(out)
        run = self.history.get_run(run_id)
        return export_dataset(
            lambda: self.history.iter_records(run["id"]),
            out,
            run["schema"],
            metadata=run_metadata(run),
            split=split,
            seed=seed,
            neutralize_formulas=neutralize_formulas,
        )

    def download(self, run_id: int, fmt: str = "csv") -> Path:
        """Write the run in `fmt` to a new file for a download; returns its path."""
        fmt = (fmt or "csv").lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        run = self.history.get_run(run_id)
        if self._folder is None:
            if self._root is not None:
                self._root.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="synth_export_", dir=self._root))
        slug = "".join(c if c.isalnum() else "_" for c in (run["template"] or run["title"] or "records"))[:40]
        folder = Path(tempfile.mkdtemp(dir=self._folder))  # one folder per file: names repeat across requests
        path = folder / f"run{run['id']}_{slug}.{fmt}"
        self.export(run["id"], path)
        return path
