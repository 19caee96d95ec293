"""SQL CREATE TABLE (PostgreSQL, MySQL, SQLite) -> record schemas, with sqlglot as the parser.

Types: integer kinds and SERIAL -> integer within the type's range; NUMERIC(p,s)/DECIMAL -> number
bounded by its precision; VARCHAR(n)/CHAR(n) -> string with maxLength; TEXT -> string; BOOLEAN;
DATE, TIME, TIMESTAMP(TZ) -> strings with formats; UUID -> uuid; JSON -> string; ENUM(...) -> enum.
Constraints: NOT NULL -> required (others become [type, "null"]); CHECK with IN, BETWEEN or
comparisons -> enum or min/max; UNIQUE and PRIMARY KEY -> unique; SERIAL and AUTO_INCREMENT ->
`x-sequence` ids the engine assigns; FOREIGN KEY / REFERENCES -> `x-foreign-key` values drawn from
the parent table's generated keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.model import Schema, load_schema

DIALECTS = ("postgres", "mysql", "sqlite")
_INT_RANGES = {
    "TINYINT": (-128, 127),
    "UTINYINT": (0, 255),
    "SMALLINT": (-32768, 32767),
    "USMALLINT": (0, 65535),
    "MEDIUMINT": (-8388608, 8388607),
    "INT": (-2147483648, 2147483647),
    "UINT": (0, 4294967295),
    "BIGINT": (-(2**63), 2**63 - 1),
    "UBIGINT": (0, 2**64 - 1),
    "SMALLSERIAL": (1, 32767),
    "SERIAL": (1, 2147483647),
    "BIGSERIAL": (1, 2**63 - 1),
}
_SERIAL = {"SERIAL", "SMALLSERIAL", "BIGSERIAL"}
_FORMATS = {
    "DATE": "date",
    "TIME": "time",
    "TIMETZ": "time",
    "TIMESTAMP": "date-time",
    "TIMESTAMPTZ": "date-time",
    "TIMESTAMPLTZ": "date-time",
    "DATETIME": "date-time",
    "UUID": "uuid",
}
_TEXT = {
    "TEXT",
    "MEDIUMTEXT",
    "LONGTEXT",
    "TINYTEXT",
    "JSON",
    "JSONB",
    "NAME",
    "CHAR",
    "NCHAR",
    "VARCHAR",
    "NVARCHAR",
    "BPCHAR",
}


@dataclass
class Table:
    name: str
    schema: Schema
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict[str, str]] = field(default_factory=list)  # column, table, ref_column

    @property
    def parents(self) -> list[str]:
        return sorted({fk["table"] for fk in self.foreign_keys if fk["table"] != self.name})


def _parse(text: str, dialect: str | None) -> tuple[list[Any], str]:
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # its "falling back to Command" notes
    dialects = [dialect] if dialect else list(DIALECTS)
    first_error: Exception | None = None
    for name in dialects:
        try:
            statements = [s for s in sqlglot.parse(text, read=name) if s is not None]
        except (ParseError, TokenError) as exc:
            first_error = first_error or exc
            continue
        # A dialect that does not understand a CREATE TABLE keeps it as an opaque Command.
        if any(isinstance(s, exp.Command) and str(s.this).upper() == "CREATE" for s in statements):
            first_error = first_error or ParseError(f"not valid {name} CREATE TABLE syntax")
            continue
        return statements, name
    raise SchemaError(_describe(first_error, text), "$.sql")


def _describe(exc: Exception | None, text: str) -> str:
    errors = getattr(exc, "errors", None) or []
    if errors:
        err = errors[0]
        line, col = err.get("line"), err.get("col")
        desc = err.get("description", "syntax error")
        context = (err.get("highlight") or "").strip()
        return f"cannot parse the SQL at line {line}, column {col}: {desc}" + (
            f" (near {context!r})" if context else ""
        )
    return f"cannot parse the SQL: {str(exc).splitlines()[0] if exc else 'unknown error'}"


def _literal(node: Any) -> Any:
    from sqlglot import exp

    if isinstance(node, exp.Neg):
        value = _literal(node.this)
        return -value if isinstance(value, int | float) else value
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        number = float(node.this)
        return int(number) if number.is_integer() else number
    if isinstance(node, exp.Boolean):
        return node.this
    return None


def _explicit(node: dict[str, Any], bound: str) -> None:
    """A CHECK bound is a real business limit, not just the storage type's range."""
    remaining = [b for b in node.get("x-type-bounds", []) if b != bound]
    if remaining:
        node["x-type-bounds"] = remaining
    else:
        node.pop("x-type-bounds", None)


def _apply_check(props: dict[str, Any], check: Any) -> None:
    """CHECK (col IN (...)), (col BETWEEN a AND b), (col >= x AND col < y) -> enum / bounds."""
    from sqlglot import exp

    for cond in check.find_all(exp.In, exp.Between, exp.GT, exp.GTE, exp.LT, exp.LTE):
        column = cond.this if isinstance(cond.this, exp.Column) else None
        if column is None or column.name not in props:
            continue
        node = props[column.name]
        if isinstance(cond, exp.In):
            values = [_literal(v) for v in cond.expressions]
            if values and all(v is not None for v in values):
                node["enum"] = values
                node.pop("maxLength", None)
        elif isinstance(cond, exp.Between):
            low, high = _literal(cond.args.get("low")), _literal(cond.args.get("high"))
            if isinstance(low, int | float):
                node["minimum"] = low
                _explicit(node, "minimum")
            if isinstance(high, int | float):
                node["maximum"] = high
                _explicit(node, "maximum")
        else:
            bound = _literal(cond.expression)
            if not isinstance(bound, int | float):
                continue
            key = {exp.GT: "exclusiveMinimum", exp.GTE: "minimum", exp.LT: "exclusiveMaximum", exp.LTE: "maximum"}[
                type(cond)
            ]
            node[key] = bound


def _type_node(dtype: Any, enums: dict[str, list[Any]]) -> dict[str, Any]:
    """The JSON schema for one SQL data type (user-defined ENUM types come from CREATE TYPE)."""
    type_name = dtype.this.name if dtype is not None else "TEXT"
    params = [p.name if hasattr(p, "name") else p.sql() for p in (dtype.expressions if dtype is not None else [])]
    if type_name == "ARRAY" and dtype.expressions:
        return {"type": "array", "items": _type_node(dtype.expressions[0], enums), "minItems": 0, "maxItems": 4}
    if type_name == "USERDEFINED":
        custom = str(getattr(dtype.args.get("kind"), "name", dtype.args.get("kind")) or "").lower()
        if custom in enums:
            return {"type": "string", "enum": list(enums[custom])}
        return {"type": "string"}
    if type_name in _INT_RANGES or type_name.startswith("INT"):
        low, high = _INT_RANGES.get(type_name, _INT_RANGES["INT"])
        return {"type": "integer", "minimum": low, "maximum": high, "x-type-bounds": ["minimum", "maximum"]}
    if type_name in ("DECIMAL", "NUMERIC", "MONEY", "FLOAT", "DOUBLE", "REAL", "UDECIMAL"):
        node: dict[str, Any] = {"type": "number"}
        if type_name in ("DECIMAL", "NUMERIC", "UDECIMAL") and params:
            precision = int(params[0])
            scale = int(params[1]) if len(params) > 1 else 0
            limit = 10 ** (precision - scale) - 10**-scale if scale else 10**precision - 1
            node.update(
                minimum=0 if type_name == "UDECIMAL" else -limit,
                maximum=limit,
                **{"x-type-bounds": ["minimum", "maximum"]},
            )
            if scale:
                node["x-decimals"] = scale  # not multipleOf: 0.01 multiples fail float checks (266.96 / 0.01)
            else:
                node["type"] = "integer"
        return node
    if type_name in ("BOOLEAN", "BIT"):
        return {"type": "boolean"}
    if type_name in _FORMATS:
        return {"type": "string", "format": _FORMATS[type_name]}
    if type_name == "ENUM":
        return {"type": "string", "enum": [_literal(p) for p in dtype.expressions]}
    node = {"type": "string"}
    if type_name in ("VARCHAR", "CHAR", "NVARCHAR", "NCHAR", "BPCHAR") and params and params[0].isdigit():
        node["maxLength"] = int(params[0])
    if type_name in ("JSON", "JSONB"):
        node["description"] = "a JSON document as text"
    return node


def _column(col: Any, props: dict[str, Any], required: list[str], table: Table, enums: dict[str, list[Any]]) -> None:
    from sqlglot import exp

    name = col.name
    node = _type_node(col.args.get("kind"), enums)
    not_null = unique = False
    for constraint in col.constraints:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
            not_null = True
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            not_null = unique = True
            table.primary_key.append(name)
        elif isinstance(kind, exp.UniqueColumnConstraint):
            unique = True
        elif isinstance(kind, exp.AutoIncrementColumnConstraint | exp.GeneratedAsIdentityColumnConstraint):
            node["x-sequence"] = True
        elif isinstance(kind, exp.CheckColumnConstraint):
            props[name] = node
            _apply_check(props, kind)
        elif isinstance(kind, exp.Reference):
            _reference(kind, [name], table)
        elif isinstance(kind, exp.CommentColumnConstraint):
            node["description"] = _literal(kind.this) or ""
    dtype = col.args.get("kind")
    if dtype is not None and dtype.this.name in _SERIAL:
        node["x-sequence"] = True
    if unique or node.get("x-sequence"):
        node["unique"] = True
    comment = col.comments[0].strip() if col.comments else ""
    if comment and "description" not in node:
        node["description"] = comment
    if not not_null and not node.get("x-sequence"):
        node["type"] = [node["type"], "null"] if isinstance(node["type"], str) else node["type"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
    else:
        required.append(name)
    props[name] = node


def _reference(ref: Any, columns: list[str], table: Table) -> None:
    target = ref.this
    ref_table = target.this.name if hasattr(target, "this") and target.this is not None else target.name
    ref_cols = [c.name for c in target.expressions] if hasattr(target, "expressions") else []
    for i, column in enumerate(columns):
        table.foreign_keys.append(
            {"column": column, "table": ref_table, "ref_column": ref_cols[i] if i < len(ref_cols) else ""}
        )


def parse_ddl(text: str, dialect: str | None = None) -> list[Table]:
    """Every CREATE TABLE in `text`, in order, as record schemas with keys and foreign keys."""
    from sqlglot import exp

    if not text or not text.strip():
        raise SchemaError("the SQL is empty; paste one or more CREATE TABLE statements", "$.sql")
    statements, _ = _parse(text, dialect)
    tables: list[Table] = []
    enums: dict[str, list[Any]] = {}
    for statement in statements:
        if isinstance(statement, exp.Create) and str(statement.args.get("kind", "")).upper() == "TYPE":
            dtype = statement.args.get("expression")
            if dtype is not None and dtype.this.name == "ENUM":
                enums[statement.this.name.lower()] = [_literal(v) for v in dtype.expressions]
    for statement in statements:
        if not isinstance(statement, exp.Create) or str(statement.args.get("kind", "")).upper() != "TABLE":
            continue
        schema_expr = statement.this
        if not isinstance(schema_expr, exp.Schema):
            raise SchemaError("CREATE TABLE ... AS SELECT has no column list to generate from", "$.sql")
        table = Table(name=schema_expr.this.name, schema=None)  # type: ignore[arg-type]
        props: dict[str, Any] = {}
        required: list[str] = []
        for item in schema_expr.expressions:
            if isinstance(item, exp.ColumnDef):
                _column(item, props, required, table, enums)
        for item in schema_expr.expressions:
            _table_constraint(item, props, required, table)
        if not props:
            raise SchemaError(f"table {table.name} has no columns", "$.sql")
        if len(table.primary_key) == 1 and props.get(table.primary_key[0], {}).get("type") == "integer":
            props[table.primary_key[0]]["x-sequence"] = True  # ids are assigned in order, never by the model
        for fk in table.foreign_keys:
            if fk["column"] in props:
                props[fk["column"]]["x-foreign-key"] = {"table": fk["table"], "column": fk["ref_column"]}
                props[fk["column"]].pop("unique", None) if fk["column"] not in table.primary_key else None
        raw = {"title": table.name, "type": "object", "properties": props, "required": list(dict.fromkeys(required))}
        table.schema = load_schema(raw)
        tables.append(table)
    if not tables:
        raise SchemaError("no CREATE TABLE statement found", "$.sql")
    names = {t.name for t in tables}
    for t in tables:
        for fk in t.foreign_keys:
            if fk["table"] not in names:
                raise SchemaError(f"table {t.name} references {fk['table']}, which is not defined in this SQL", "$.sql")
            parent = next(p for p in tables if p.name == fk["table"])
            fk["ref_column"] = fk["ref_column"] or (parent.primary_key[0] if parent.primary_key else "id")
            t.schema.json_schema["properties"][fk["column"]]["x-foreign-key"]["column"] = fk["ref_column"]
    return tables


def _table_constraint(item: Any, props: dict[str, Any], required: list[str], table: Table) -> None:
    from sqlglot import exp

    target = item.args.get("kind") if isinstance(item, exp.Constraint) else item
    for node in [target, *(item.expressions if isinstance(item, exp.Constraint) else [])]:
        if isinstance(node, exp.PrimaryKey):
            cols = [c.name for c in node.expressions]
            table.primary_key.extend(cols)
            for c in cols:
                if c in props:
                    props[c]["type"] = props[c]["type"][0] if isinstance(props[c]["type"], list) else props[c]["type"]
                    if len(cols) == 1:
                        props[c]["unique"] = True
                    if c not in required:
                        required.append(c)
        elif isinstance(node, exp.ForeignKey):
            _reference(node.args["reference"], [c.name for c in node.expressions], table)
        elif isinstance(node, exp.UniqueColumnConstraint) and getattr(node, "this", None) is not None:
            cols = [c.name for c in getattr(node.this, "expressions", [])]
            if len(cols) == 1 and cols[0] in props:
                props[cols[0]]["unique"] = True
        elif isinstance(node, exp.CheckColumnConstraint | exp.Check):
            _apply_check(props, node)


def order_tables(tables: list[Table]) -> list[Table]:
    """Parents before children (foreign keys); a cycle is an error naming the tables."""
    by_name = {t.name: t for t in tables}
    done: list[Table] = []
    visiting: set[str] = set()

    def visit(t: Table) -> None:
        if t in done:
            return
        if t.name in visiting:
            raise SchemaError(f"foreign keys form a cycle through {t.name}; generate those tables separately", "$.sql")
        visiting.add(t.name)
        for parent in t.parents:
            visit(by_name[parent])
        visiting.discard(t.name)
        done.append(t)

    for t in tables:
        visit(t)
    return done
