"""Export one dataset, whole or as three split parts, from any record source.

The caller passes `read`, which opens a fresh iterator over the records each time it is called,
so this module knows nothing about where runs are stored and never holds all records at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from synth_gradio.export.splits import SPLITS, split_path, split_records
from synth_gradio.export.writers import write_records

Reader = Callable[[], Iterable[dict[str, Any]]]


def _part(read: Reader, part: str, ratios: tuple[float, float, float], seed: int) -> Iterator[dict[str, Any]]:
    # A generator, so the source is opened only when the writer starts reading this part.
    yield from split_records(read(), part, ratios, seed)


def export_dataset(
    read: Reader,
    out: str | Path,
    schema: dict[str, Any],
    *,
    metadata: dict[str, Any],
    split: tuple[float, float, float] | None = None,
    seed: int = 0,
    neutralize_formulas: bool = True,
) -> dict[Path, int]:
    """Write the records to `out` (or to `stem.part.suffix` per split part); returns file -> records.

    With a split, `read` is called once per part and each part's metadata says which part it is,
    with the ratios and seed that reproduce it.
    """
    out = Path(out)
    if split is None:
        return {out: write_records(read(), out, schema, metadata=metadata, neutralize_formulas=neutralize_formulas)}
    written: dict[Path, int] = {}
    for part in SPLITS:
        path = split_path(out, part)
        part_meta = {**metadata, "split": {"part": part, "ratios": list(split), "seed": seed}}
        written[path] = write_records(
            _part(read, part, split, seed), path, schema, metadata=part_meta, neutralize_formulas=neutralize_formulas
        )
    return written
