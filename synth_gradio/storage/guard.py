"""Every database call goes through here: a busy database is waited out, other failures become one
StorageError sentence that names the database and the likely cause (never a traceback or a password).

Why retry at all: SQLite's busy timeout covers most waits, but several writers at once can still
see SQLITE_BUSY, and PostgreSQL may report a deadlock or a dropped connection; all of these succeed
when the transaction is simply run again.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from peewee import Database, ImproperlyConfigured, PeeweeException, SqliteDatabase

from synth_gradio.errors import StorageError

T = TypeVar("T")
BUSY_WAIT_S = 90.0  # give up on a database that stays locked for this long
SQLITE_CAUSES = {
    5: "another process kept it locked for too long; try again when the other runs finish",
    6: "another process kept it locked for too long; try again when the other runs finish",
    8: "the file is read-only; check its permissions",
    10: "a disk input/output error occurred; check the disk and that the file is still there",
    11: "the file is damaged; restore it from a backup or move it away to start a new history",
    13: "the disk is full; free some space",
    14: "the file cannot be opened; check that its folder exists and is writable",
    26: "the file is not a history database; choose another path",
}
SQLITE_TEXT = {
    "locked": 5,
    "busy": 5,
    "readonly": 8,
    "disk i/o": 10,
    "malformed": 11,
    "disk is full": 13,
    "unable to open": 14,
    "not a database": 26,
}
PG_CAUSES = {
    "53100": "the server's disk is full",
    "53200": "the server is out of memory",
    "53300": "the server has too many connections; lower the number of workers or raise max_connections",
    "42501": "the database user may not use these tables; grant it the privileges",
    "57P01": "the server was shut down",
    "25006": "the server is read-only (a standby); point the URL at the primary",
}
PG_RETRY = {"40P01", "40001", "55P03", "57P01"}  # deadlock, serialization, lock wait, admin shutdown


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind `exc`; a failed ROLLBACK (code 1) never hides the real one."""
    codes = []
    for err in _chain(exc):
        code = getattr(err, "sqlite_errorcode", None)
        if code is None:
            text = str(err).lower()
            code = next((c for needle, c in SQLITE_TEXT.items() if needle in text), None)
        if code is not None:
            codes.append(code & 0xFF)
    specific = [c for c in codes if c != 1]
    return specific[0] if specific else (codes[0] if codes else None)


def pg_code(exc: BaseException) -> str | None:
    return next((err.pgcode for err in _chain(exc) if getattr(err, "pgcode", None)), None)


def _connection_lost(exc: BaseException) -> bool:
    text = " ".join(str(err) for err in _chain(exc)).lower()
    return any(
        s in text for s in ("server closed the connection", "connection already closed", "terminating connection")
    )


def transient(db: Database, exc: BaseException) -> bool:
    """Will the same transaction probably succeed if run again?"""
    if isinstance(db, SqliteDatabase):
        return sqlite_code(exc) in (5, 6)
    return pg_code(exc) in PG_RETRY or _connection_lost(exc)


def describe(db: Database, exc: BaseException) -> str:
    """The likely cause of a database failure, in words."""
    if isinstance(exc, ImproperlyConfigured):
        return "the PostgreSQL driver is missing; install it with `pip install psycopg2-binary`"
    if isinstance(db, SqliteDatabase):
        cause = SQLITE_CAUSES.get(sqlite_code(exc) or 0)
    else:
        cause = PG_CAUSES.get(pg_code(exc) or "")
        if cause is None and _connection_lost(exc):
            cause = "the connection to the server was lost; check that the server is running"
        elif cause is None and "connection to server" in str(exc):  # reconnecting failed
            cause = connect_cause(exc, "", None)
    return cause or (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@contextlib.contextmanager
def leased(db: Database, where: str) -> Iterator[None]:
    """For a pooled database: this thread holds a connection for the call and gives it back after,
    unless it was already holding one (a call inside another, or inside a transaction)."""
    from playhouse.pool import MaxConnectionsExceeded, PooledDatabase

    if not isinstance(db, PooledDatabase) or not db.is_closed():
        yield
        return
    try:
        db.connect()
    except MaxConnectionsExceeded:
        raise StorageError(
            f"all {db._max_connections} connections to the history database {where} stayed busy for "
            f"{db._wait_timeout:.0f} s; raise SYNTH_DB_POOL_SIZE (and the server's max_connections) or run fewer "
            "jobs at once"
        ) from None
    try:
        yield
    finally:
        if not db.is_closed() and not db.in_transaction():
            db.close()  # back to the pool


def retrying(db: Database, where: str, fn: Callable[[], T], what: str = "use") -> T:
    """fn(), run again while the database is busy; any other database failure is a StorageError."""
    deadline = time.monotonic() + BUSY_WAIT_S
    delay = 0.02
    while True:
        try:
            with leased(db, where):
                return fn()
        except PeeweeException as exc:
            if db.in_transaction():
                raise  # an enclosing transaction decides (and retries as a whole)
            if transient(db, exc) and time.monotonic() < deadline:
                if not isinstance(db, SqliteDatabase) and _connection_lost(exc):
                    _close_quietly(db)
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 1.0)
                continue
            raise StorageError(f"cannot {what} the history database {where}: {describe(db, exc)}") from None


def transaction(db: Database, where: str, fn: Callable[[], T], what: str = "write to") -> T:
    """fn() in one transaction (IMMEDIATE on SQLite), retried as a whole while the database is busy."""

    def once() -> T:
        with db.atomic():
            return fn()

    return retrying(db, where, once, what)


def _close_quietly(db: Database) -> None:
    with contextlib.suppress(Exception):  # the connection is already gone; the next call opens a new one
        db.close()


def connect_cause(exc: BaseException, database: str, password: str | None) -> str:
    """Why a PostgreSQL connection failed, in words, without the password."""
    text = str(exc)
    low = text.lower()
    if isinstance(exc, ImproperlyConfigured):
        return "the PostgreSQL driver is missing; install it with `pip install psycopg2-binary`"
    if "password authentication failed" in low or "no password supplied" in low:
        return "the user name or password is wrong (check the URL in SYNTH_DATABASE_URL)"
    if "does not exist" in low and "database" in low:
        return f"the database {database!r} does not exist; create it first (for example `createdb {database}`)"
    if "role" in low and "does not exist" in low:
        return "that user does not exist on the server; check the user name in the URL"
    if "connection refused" in low or "is the server running" in low:
        return "the server is not running or does not accept connections there; check the host and port"
    if "translate host name" in low or "name or service not known" in low or "name resolution" in low:
        return "the host name cannot be resolved; check the host in the URL"
    if "timeout expired" in low or "timed out" in low:
        return "no answer in time; check the host, the port and any firewall between"
    first = (text.strip().splitlines() or [type(exc).__name__])[0]
    return first.replace(password, "***") if password else first
