"""Learning several related tables (or one table of sequences) and running them as one job.

The user gives files (a folder, a workbook, a SQLite file or several tables) and, optionally, the
keys (`orders.customer_id=customers.id`) and sequences (`visits.patient_id:visit_date`); what is
not given is found from names and values (learn.relations) and shown for confirmation. Each output
table becomes a stored run of one group, in parent-first order, whose structured rows come from
one related sample; free-text columns are written by the model as in any run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from synth_gradio.errors import InputError, SynthError
from synth_gradio.learn.keys import detect, has_self_links, parse_steps
from synth_gradio.learn.periods import with_periods
from synth_gradio.learn.related import fit_related
from synth_gradio.learn.relations import SERIES, Relations, parse_key
from synth_gradio.learn.relmodel import RelatedModel
from synth_gradio.learn.relrows import TableRows, with_context
from synth_gradio.schema.ddl import Table
from synth_gradio.schema.infer import table_properties
from synth_gradio.schema.model import load_schema
from synth_gradio.studio.agree import PROBE_ROWS
from synth_gradio.studio.learning import agreed, text_examples
from synth_gradio.tables import read_tables

PROBE_ENTITIES = 60  # top-level entities drawn once to check each table's inferred schema against
DETECTION_ROWS = 50  # rows on each side before a table's detection test is run (fewer: too noisy to read)


@dataclass
class LearnedTables:
    """The fitted model, the relations it was fitted with, and one inferred schema per output table."""

    model: RelatedModel
    relations: Relations
    tables: list[Table] = field(default_factory=list)

    def describe(self) -> list[str]:
        return [*self.relations.describe(), self.counted(), *self.model.notes]

    def counted(self) -> str:
        """What N (-n) counts: the top-level table's rows (a panel's entities), said before the run."""
        if series := self.model.series:
            length = self.model.plans[series].rows
            return (
                f"N counts steps of the series {series}: {length:,} in the reference; N up to that is one new "
                "history from its start, more makes histories of the same calendar one after another"
            )
        plan = self.model.plans[self.model.main]
        what = f"{plan.merge_into} entities (distinct {plan.key})" if plan.merge_into else f"{plan.name} rows"
        return f"N (top-level entities) counts {what}: {plan.rows:,} in the reference; the other tables grow with it"


def relations_for(
    frames: dict[str, pd.DataFrame], keys: list[str] | tuple[str, ...] = (), sequences: list[str] | tuple[str, ...] = ()
) -> Relations:
    """What the user gave, completed by what is found: given links and sequences replace found ones."""
    found = detect(frames)
    links = [parse_key(k, frames) for k in keys] or found.links
    steps = [parse_steps(s, frames) for s in sequences] or found.steps
    primary = dict(found.keys)
    for link in links:
        primary.setdefault(link.parent, link.key)
    return Relations(primary, links, steps)


def is_related(frames: dict[str, pd.DataFrame], relations: Relations) -> bool:
    """Whether the input is more than one flat table: several tables, or steps per entity."""
    return len(frames) > 1 or bool(relations.steps) or bool(relations.links) or has_self_links(frames, relations)


def _schema(name: str, frame: pd.DataFrame, fixed: set[str], required_keys: set[str]) -> Any:
    """A table's inferred schema; keys and order columns keep only their type, since generated ones are new."""
    props: dict[str, Any] = {}
    found = table_properties(frame)
    for column in map(str, frame.columns):
        node = found[column]
        if column in fixed:
            kind = node.get("type", "string")
            node = {"type": kind, "description": node.get("description", f"{column} (a key or an order)")}
            if column in required_keys:
                node["unique"] = True
        props[column] = node
    required = [str(c) for c in frame.columns if not frame[c].isna().any()]
    return load_schema({"title": name, "type": "object", "properties": props, "required": required})


def learn_tables(
    paths: str | Path | list[str | Path],
    keys: list[str] | tuple[str, ...] = (),
    sequences: list[str] | tuple[str, ...] = (),
    *,
    seed: int = 0,
) -> LearnedTables:
    """Read, relate, check and learn the tables; every problem is one sentence naming table and column."""
    frames = read_tables(paths)
    relations = relations_for(frames, keys, sequences)
    model = fit_related(frames, relations, seed=seed)
    probe = model.sample(PROBE_ENTITIES, seed)  # one related sample for every table's schema check
    tables = []
    for name in model.tables:
        plan = model.plans[name]
        frame = frames[name]
        entities = {s.entity for s in relations.steps if s.table == name}
        fixed = {
            plan.key,
            plan.order,
            *entities,
            *plan.self_links,
            *(x.column for x in relations.links if x.child == name),
        }
        fixed -= {None}
        fks = [
            {"column": x.column, "table": x.parent, "ref_column": x.key}
            for x in relations.links
            if x.child == name and x.parent in model.tables
        ]
        schema = _schema(name, frame, fixed, {plan.key} if plan.key else set())
        learned = [c for c in plan.columns if c not in fixed]
        schema = agreed(schema, probe.get(name, [])[:PROBE_ROWS], learned, model.notes.append)
        free = [c for c in model.free_text(name) if c not in fixed]
        schema = text_examples(schema, free, frame, partial(_drawn, model, name), seed)
        tables.append(Table(name, schema, [plan.key] if plan.key else [], fks))
    return LearnedTables(model, relations, tables)


def _drawn(model: RelatedModel, table: str, n: int, seed: int) -> list[dict[str, Any]]:
    """n rows of one table from a small related sample (structured values for its text examples)."""
    rows: list[dict[str, Any]] = []
    for attempt in range(3):  # a child table may get no rows from a few entities
        rows = model.sample(max(n, 4) * (attempt + 1), seed + attempt).get(table, [])
        if len(rows) >= n:
            break
    return rows[:n]


def table_rows(learned: LearnedTables, n: int, seed: int) -> dict[str, TableRows]:
    """One related sample of n top-level entities, split into each table's row source."""
    if n < 1:
        raise InputError("-n (top-level entities) must be at least 1")
    sample = with_context(learned.model, learned.model.sample(n, seed))
    return {name: TableRows(learned.model, name, n, seed, rows) for name, rows in sample.items()}


def finish(
    learned: LearnedTables, events: Iterator[tuple[str, Any, dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Drive a related job to its end: {table: records}; a table that did not complete raises SynthError."""
    results: dict[str, Any] = {}
    for _, _, results in events:  # noqa: B007 - the last results are used below
        pass
    for table in learned.tables:
        done = results.get(table.name)
        if done is None or done.last is None or done.last.status != "completed":
            error = done.last.error if done and done.last else "not started"
            raise SynthError(f"table {table.name} did not complete: {error}; what was made stays stored")
    return {name: r.records for name, r in results.items()}


def find_relations(paths: Any) -> tuple[Relations, dict[str, int]]:
    """What would be learned from these files, for the user to confirm: relations and rows per table."""
    frames = read_tables(paths)
    return relations_for(frames), {name: len(frame) for name, frame in frames.items()}


def key_lines(relations: Relations) -> tuple[str, str]:
    """The links and sequences as the --key and --sequence texts (one per line), for editing."""
    keys = "\n".join(f"{x.child}.{x.column}={x.parent}.{x.key}" for x in relations.links)
    steps = "\n".join(
        (f"{s.table}." if s.entity == SERIES else f"{s.table}.{s.entity}") + (f":{s.order}" if s.order else "")
        for s in relations.steps
    )
    return keys, steps


def family_quality(history: Any, group_id: str, references: Any) -> dict[str, Any]:
    """A related job against its real tables: each table's fidelity and the structure between them.

    The relations are the ones the job was learned with (stored with its runs), so the real files
    are read only for their rows.
    """
    from synth_gradio.quality.compare import compare_reference
    from synth_gradio.quality.families import family_report

    runs = history.list_runs(group_id=group_id, limit=1000)
    if not runs:
        raise InputError(f"there is no job {group_id}; a related run's job id is printed when it ends")
    made = {r["title"]: pd.DataFrame(list(history.iter_records(r["id"]))) for r in runs}
    stored = history.get_learned(runs[0]["id"])
    if not stored or "relations" not in stored[0].get("model", {}):
        raise InputError(f"job {group_id} was not learned from related tables; use quality with one run's id")
    relations = Relations.from_dict(stored[0]["model"]["relations"])
    real = read_tables(references)
    missing = sorted(set(made) - set(real))
    if missing:
        raise InputError(f"the reference files have no table {', '.join(missing)}; give the files the job learned from")
    links = [(x.child, x.column, x.parent, x.key) for x in relations.links if x.parent in made]
    steps = [(s.table, s.entity, s.order) for s in relations.steps]
    ordered = [with_periods(frames, relations) for frames in (real, made)]  # a year and quarter make a date
    report = family_report(*ordered, links, steps, dict(relations.keys))
    report["tables"] = {}
    for name, frame in made.items():
        kept = _compared_columns(real[name], frame, _key_columns(relations, name))
        compared = compare_reference(real[name][kept], frame[kept]) if len(frame) and kept else None
        compared = compared or {"overall": {"score": None}}
        report["tables"][name] = {
            "rows": len(frame),
            "real_rows": len(real[name]),
            "score": compared["overall"]["score"],
            **_detection(real[name][kept], frame[kept]),
        }
    report["group_id"] = group_id
    return report


def _detection(real: pd.DataFrame, made: pd.DataFrame) -> dict[str, Any]:
    """A classifier's ROC AUC telling the table's generated rows from its real ones (0.5: it cannot),
    and what gave them away; none where either side is too small or nothing can be compared."""
    from synth_gradio.quality.detection import detection_report  # scikit-learn, loaded when asked

    if real.shape[1] == 0 or min(len(real), len(made)) < DETECTION_ROWS:
        return {"detection_auc": None, "telling": []}
    try:
        found = detection_report(real, made, seed=0)
    except InputError:  # only free text or identifiers left to compare
        return {"detection_auc": None, "telling": []}
    return {"detection_auc": found["auc"], "telling": [t["sentence"] for t in found["telling"]]}


def _key_columns(relations: Relations, table: str) -> set[str]:
    """A table's keys, links and entity columns: generated anew, so their values are not compared."""
    keys = {relations.keys.get(table)} | {s.entity for s in relations.steps if s.table == table}
    keys |= {x.column for x in relations.links if x.child == table} | {
        x.key for x in relations.links if x.parent == table
    }
    return {k for k in keys if k}


def _compared_columns(real: pd.DataFrame, made: pd.DataFrame, keys: set[str]) -> list[str]:
    """Columns whose values can match: not keys (generated anew) nor texts every real row has its own
    of (an airline's name), which a category's shares score 0 however well they are written."""
    own = [c for c in real.columns if c in made.columns and c not in keys]
    return [c for c in own if pd.api.types.is_numeric_dtype(real[c]) or real[c].nunique() < real[c].notna().sum()]


def family_lines(report: dict[str, Any]) -> list[str]:
    """A related job's quality as sentences: per table, keys, each target's worst case, privacy per entity."""
    lines = [f"job {report['group_id']}: {len(report['tables'])} tables against the reference"]
    for name, table in report["tables"].items():
        similar = (
            "no column to compare (keys and texts only)"
            if table["score"] is None
            else f"similarity {table['score']} / 100"
        )
        told = table.get("detection_auc")  # reports stored before have none
        told = (
            "" if told is None else f", a classifier tells its rows from real ones at AUC {told:.2f} (0.5: it cannot)"
        )
        lines.append(f"{name}: {table['rows']:,} rows (real {table['real_rows']:,}), {similar}{told}")
        lines += [f"  {sentence}" for sentence in table.get("telling", [])[:2]]
    lines.append(
        f"foreign keys valid: {report['foreign_keys_valid']}; primary keys unique: {report['primary_keys_unique']}"
    )
    for name, found in report["targets"].items():
        if found["worst"] is not None:
            verdict = "meets" if found["passes"] else "misses"
            lines.append(f"{name}: worst {found['worst']} ({verdict} the target {found['target']})")
    for table, seq in report["sequences"].items():
        privacy, close = seq["privacy"], seq["privacy"]["close_share"]
        closer = (  # one real entity (a series), or too few to say how close real ones sit to each other
            "too few real entities to compare how close"
            if close is None
            else f"{close} of entities closer to a real one than real ones are to each other"
        )
        lines.append(f"{table}: {privacy['sequence_copies']} whole sequences copied; {closer}")
    return lines
