"""SQL DDL -> schemas for three dialects, and two-table generation with foreign keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeBackend

from synth_gradio.engine.multitable import generate_tables
from synth_gradio.errors import SchemaError
from synth_gradio.schema.ddl import order_tables, parse_ddl

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_each_dialect_gives_tables_keys_and_foreign_keys(dialect: str) -> None:
    tables = parse_ddl((FIXTURES / f"shop_{dialect}.sql").read_text())
    assert [t.name for t in order_tables(tables)] == ["customers", "orders"]
    customers, orders = tables
    assert customers.primary_key == ["id"]
    props = customers.schema.json_schema["properties"]
    assert props["id"]["x-sequence"] and props["id"]["unique"]
    assert props["email"]["unique"] and "email" in customers.schema.json_schema["required"]
    assert orders.foreign_keys == [{"column": "customer_id", "table": "customers", "ref_column": "id"}]
    assert orders.schema.json_schema["properties"]["customer_id"]["x-foreign-key"] == {
        "table": "customers",
        "column": "id",
    }


def test_postgres_types_and_constraints() -> None:
    customers, orders = parse_ddl((FIXTURES / "shop_postgres.sql").read_text())
    p = customers.schema.json_schema["properties"]
    assert p["email"] == {"type": "string", "maxLength": 120, "unique": True, "description": "login email"}
    assert p["balance"]["minimum"] == 0 and p["balance"]["maximum"] == 99999999.99 and p["balance"]["x-decimals"] == 2
    assert p["tier"]["enum"] == ["free", "pro", None] and p["tier"]["type"] == ["string", "null"]
    assert (p["age"]["minimum"], p["age"]["maximum"]) == (18, 99)
    assert p["active"]["type"] == "boolean"
    assert p["created_at"]["format"] == "date-time" and p["uid"]["format"] == "uuid"
    assert set(customers.schema.json_schema["required"]) == {
        "id",
        "email",
        "full_name",
        "balance",
        "active",
        "created_at",
    }
    t = orders.schema.json_schema["properties"]["total"]
    assert t["exclusiveMinimum"] == 0 and t["maximum"] == 5000


def test_mysql_enum_comment_and_table_unique_key() -> None:
    customers, _ = parse_ddl((FIXTURES / "shop_mysql.sql").read_text())
    p = customers.schema.json_schema["properties"]
    assert p["tier"]["enum"] == ["free", "pro", "enterprise"]
    assert p["full_name"]["description"] == "customer full name"
    assert p["id"]["minimum"] == 0


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("CREATE TABLE t (\n  a INT\n  b TEXT\n);", "line 3"),
        ("SELECT 1;", "no CREATE TABLE"),
        ("", "the SQL is empty"),
        ("CREATE TABLE o (id INT PRIMARY KEY, c INT REFERENCES missing(id));", "references missing"),
    ],
)
def test_bad_ddl_is_a_clear_error(sql: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        parse_ddl(sql)


def test_two_tables_child_keys_exist_in_the_parent() -> None:
    tables = parse_ddl((FIXTURES / "shop_sqlite.sql").read_text())
    events = list(generate_tables(tables, {"customers": 7, "orders": 40}, FakeBackend([]), seed=3))
    results = events[-1][2]
    customers, orders = results["customers"].records, results["orders"].records
    assert len(customers) == 7 and len(orders) == 40
    assert [c["id"] for c in customers] == list(range(1, 8))
    ids = {c["id"] for c in customers}
    assert all(o["customer_id"] in ids for o in orders)
    assert all(o["amount"] > 0 for o in orders)


def test_postgres_dump_style_types_arrays_and_identity() -> None:
    sql = """
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE TABLE public.users (
        user_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username character varying(40) NOT NULL,
        tags text[],
        current_mood mood,
        CONSTRAINT users_username_key UNIQUE (username),
        CONSTRAINT positive_score CHECK (score > 0),
        score double precision
    );
    CREATE TABLE public.posts (id bigint NOT NULL, author integer NOT NULL, PRIMARY KEY (id),
        FOREIGN KEY (author) REFERENCES public.users(user_id) ON DELETE CASCADE);
    """
    users, posts = parse_ddl(sql)
    p = users.schema.json_schema["properties"]
    assert p["user_id"]["x-sequence"] and p["username"]["unique"]
    assert p["tags"]["type"] == ["array", "null"] and p["tags"]["items"] == {"type": "string"}
    assert p["current_mood"]["enum"] == ["sad", "ok", "happy", None]
    assert p["score"]["exclusiveMinimum"] == 0
    assert posts.schema.json_schema["properties"]["id"]["x-sequence"]  # integer primary keys are engine ids
    assert posts.foreign_keys == [{"column": "author", "table": "users", "ref_column": "user_id"}]
