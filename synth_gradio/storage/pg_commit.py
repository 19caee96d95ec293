"""A batch commit in one statement on PostgreSQL: the run's counters and the records in one round trip.

Why: through a client-server connection each statement costs a round trip, and the plain path
(BEGIN, UPDATE, SELECT MAX, INSERT, COMMIT) made PostgreSQL commit about half as fast as SQLite.
One statement is one transaction (the connection is in autocommit mode), so the batch is still
all or nothing. The records' positions continue after the run's last stored record.
"""

from __future__ import annotations

from typing import Any

from peewee import Database

UPDATE = (
    'UPDATE "run" SET "achieved" = %s, "candidates" = %s, "reject_counts_json" = %s, "tokens" = %s, '
    '"duration_s" = %s, "status" = %s, "error" = %s, "updated_at" = %s WHERE "id" = %s'
)
INSERT = (
    'INSERT INTO "record" ("run_id", "idx", "data") '
    'SELECT upd."id", COALESCE((SELECT MAX("idx") FROM "record" WHERE "run_id" = %s), -1) + v.ord, v.data '
    "FROM upd, unnest(%s::text[]) WITH ORDINALITY AS v(data, ord) RETURNING 1"
)
COUNTERS = ("achieved", "candidates", "reject_counts_json", "tokens", "duration_s", "status", "error", "updated_at")


def commit_batch(db: Database, run_id: int, owner: str | None, counters: dict[str, Any], data: list[str]) -> bool:
    """Store the counters and append `data` (JSON texts); False when no such run is visible to `owner`."""
    update, params = UPDATE, [counters[name] for name in COUNTERS] + [run_id]
    if owner is not None:
        update += ' AND "owner" = %s'
        params.append(owner)
    sql = f'WITH upd AS ({update} RETURNING "id"), ins AS ({INSERT}) SELECT COUNT(*) FROM upd'
    return bool(db.execute_sql(sql, (*params, run_id, data)).fetchone()[0])
