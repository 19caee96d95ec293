"""Schema sources, resolved in one place for every interface.

A schema comes from a built-in or saved template (with its version), JSON text, a JSON file, SQL
DDL (one table of it) or a reference table (inferred). The result says which template and version
were used, so runs record them and saved templates count their use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth_gradio.errors import InputError
from synth_gradio.schema.ddl import Table, order_tables, parse_ddl
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.studio.catalog import Catalog


@dataclass(frozen=True)
class ResolvedSchema:
    schema: Schema
    template: str | None = None
    version: int | None = None  # saved templates only; built-ins have no version
    learned: Any = None  # a joint model fitted on a reference table (synth_gradio.learn.LearnedModel)


def read_text_file(path: str | Path, what: str) -> str:
    """A UTF-8 file's text, or an InputError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} not found: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {what} {path}: {exc}") from None


def resolve(
    catalog: Catalog,
    *,
    template: str | None = None,
    version: int | None = None,
    text: str | None = None,
    file: str | Path | None = None,
    ddl: str | None = None,
    table: str | None = None,
    reference: str | Path | None = None,
    learn_from: str | Path | None = None,
    seed: int = 0,
) -> ResolvedSchema:
    """Exactly one source -> the schema, and the template and version it came from.

    A reference table as the source gives its inferred schema and a joint model learned from it;
    `learn_from` learns that model for a schema from any other source.
    """
    others = [template, text and text.strip(), file, ddl]
    if reference and not any(others):
        from synth_gradio.studio.learning import learn

        schema, model = learn(reference, None, seed=seed)  # checks the file before inferring from it
        return ResolvedSchema(schema, learned=model)
    resolved = _resolve(catalog, template, version, text, file, ddl, table, reference)
    if learn_from is None:
        return resolved
    from synth_gradio.studio.learning import learn

    schema, model = learn(learn_from, resolved.schema, seed=seed)
    return ResolvedSchema(schema, resolved.template, resolved.version, learned=model)


def _resolve(
    catalog: Catalog,
    template: str | None,
    version: int | None,
    text: str | None,
    file: str | Path | None,
    ddl: str | None,
    table: str | None,
    reference: str | Path | None,
) -> ResolvedSchema:
    text = text if text and text.strip() else None
    given = [name for name, value in (("template", template), ("schema text", text), ("schema file", file),
             ("SQL", ddl), ("reference table", reference)) if value]  # fmt: skip
    if len(given) != 1:
        if not given:
            raise InputError("choose a template, or give a JSON schema, a SQL CREATE TABLE or a reference table")
        raise InputError(f"give one schema source, not {' and '.join(given)}")
    if template:
        schema, resolved_version = catalog.resolve(template, version)
        return ResolvedSchema(schema, template, resolved_version)
    if text:
        return ResolvedSchema(load_schema(text))
    if file:
        return ResolvedSchema(load_schema(read_text_file(file, "schema file")))
    if ddl:
        return ResolvedSchema(pick_table(parse_ddl(ddl), table).schema)
    from synth_gradio.schema.infer import infer_schema

    return ResolvedSchema(infer_schema(reference))


def pick_table(tables: list[Table], name: str | None) -> Table:
    """The named table of a SQL file, or its first table in dependency order."""
    ordered = order_tables(tables)
    if not name or not name.strip():
        return ordered[0]
    for t in ordered:
        if t.name == name.strip():
            return t
    raise InputError(f"no table {name!r}; the SQL defines {', '.join(t.name for t in ordered)}")


def for_records(
    catalog: Catalog, template: str | None, schema: Schema | dict[str, Any] | str | None, reference: Any, seed: int
) -> ResolvedSchema:
    """generate_records' source: a template or schema, learned from `reference` when one is given."""
    if schema is None:
        if template is None and reference is not None:
            return resolve(catalog, reference=reference, seed=seed)
        return resolve(catalog, template=template, learn_from=reference, seed=seed)
    loaded = schema if isinstance(schema, Schema) else load_schema(schema)
    if reference is None:
        return ResolvedSchema(loaded)
    from synth_gradio.studio.learning import learn

    learned_schema, model = learn(reference, loaded, seed=seed)
    return ResolvedSchema(learned_schema, learned=model)
