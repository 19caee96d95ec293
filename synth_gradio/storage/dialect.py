"""The frozen migration SQL is SQLite's; this gives each step the same meaning on PostgreSQL.

Only column types differ between the two for what the migrations use:
- INTEGER NOT NULL PRIMARY KEY (SQLite's rowid alias, numbered by the database) -> SERIAL;
- DATETIME -> TIMESTAMP, REAL (SQLite's 8-byte float) -> DOUBLE PRECISION;
- VARCHAR(255) -> TEXT: SQLite never enforces the length, so a long title stored today must keep
  fitting on PostgreSQL too.
Identifiers are quoted lower case in every step, so matching upper-case type words is safe.
"""

from __future__ import annotations

import re

from peewee import Database, SqliteDatabase

POSTGRES_TYPES = [
    (re.compile(r"\bINTEGER NOT NULL PRIMARY KEY\b"), "SERIAL NOT NULL PRIMARY KEY"),
    (re.compile(r"\bDATETIME\b"), "TIMESTAMP"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bVARCHAR\(255\)"), "TEXT"),
]


def for_postgres(sql: str) -> str:
    for pattern, replacement in POSTGRES_TYPES:
        sql = pattern.sub(replacement, sql)
    return sql


def run_sql(db: Database, sql: str) -> None:
    """Execute one frozen migration statement in the database's own dialect."""
    db.execute_sql(sql if isinstance(db, SqliteDatabase) else for_postgres(sql))
