"""Several tables with foreign keys: parents first, children draw their keys from the parents.

Each table is an ordinary run: `run_table(request)` streams its batches. The application facade
passes a function that stores the run and wires its Stop signal; a plain Backend runs each table
through engine.generate without storing anything. The driver only orders the tables, passes the
parent keys down, and collects one dataset per table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.backends.base import Backend
from synth_gradio.engine.run import generate
from synth_gradio.engine.types import BatchResult, GenerationRequest
from synth_gradio.errors import InputError
from synth_gradio.schema.ddl import Table, order_tables

TableRunner = Callable[[GenerationRequest], Iterator[BatchResult]]


@dataclass
class TableResult:
    table: str
    records: list[dict[str, Any]] = field(default_factory=list)
    last: BatchResult | None = None


def generate_tables(
    tables: list[Table],
    counts: dict[str, int],
    run_table: TableRunner | Backend,
    *,
    default_n: int = 10,
    seed: int | None = None,
    learned: dict[str, Any] | None = None,
    **request_options: Any,
) -> Iterator[tuple[str, BatchResult, dict[str, TableResult]]]:
    """Yield (table, batch result, results so far) while generating every table in dependency order.

    A table that does not complete (failed or stopped) ends the job; the tables before it are kept.
    `learned`: per table, rows drawn with their parents (learn.relrows.TableRows): the table gets as
    many records as it has rows, its keys come from the rows, and rows whose parent's record was not
    stored are dropped first, so every foreign key points at a stored parent.
    """
    learned = learned or {}
    if not callable(run_table):
        backend = run_table
        run_table = lambda request: generate(request, backend)  # noqa: E731
    unknown = sorted(set(counts) - {t.name for t in tables})
    if unknown:
        raise InputError(
            f"--count names unknown tables: {', '.join(unknown)}; tables are {', '.join(t.name for t in tables)}"
        )
    results: dict[str, TableResult] = {}
    for index, table in enumerate(order_tables(tables)):
        pools: dict[str, list[Any]] = {}
        rows = learned.get(table.name)
        for fk in table.foreign_keys:
            if rows is not None:
                parent = results.get(fk["table"])
                if parent is not None:
                    rows.restrict(fk["column"], {r.get(fk["ref_column"]) for r in parent.records})
                continue
            parent = results.get(fk["table"])
            keys = [
                r[fk["ref_column"]] for r in (parent.records if parent else []) if r.get(fk["ref_column"]) is not None
            ]
            if parent is not None and not keys:
                raise InputError(
                    f"table {fk['table']} produced no {fk['ref_column']} values for {table.name}.{fk['column']}"
                )
            pools[fk["column"]] = keys
        request = GenerationRequest(
            schema=table.schema,
            n=len(rows.rows) if rows is not None else counts.get(table.name, default_n),
            learned=rows,
            seed=None if seed is None else seed + index,
            title=table.name,
            key_pools=pools,
            **request_options,
        )
        result = results.setdefault(table.name, TableResult(table.name))
        for batch in run_table(request):
            result.records.extend(batch.accepted)
            result.last = batch
            yield table.name, batch, results
        if result.last is None or result.last.status != "completed":
            return  # a parent that failed leaves its children without keys: stop here, keep what exists
        if rows is not None and hasattr(rows, "in_row_order"):
            result.records[:] = rows.in_row_order(result.records)
