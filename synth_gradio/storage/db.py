"""The Peewee database handle, opened at start-up (never at import time): a SQLite file or a URL.

A SQLite path opens with WAL, a busy timeout and write transactions that begin IMMEDIATE (a
deferred transaction that reads and then writes is refused at once under WAL when another writer
got in first: "database is locked"). A URL such as postgresql://user:pass@host:5432/synth goes
through peewee's playhouse.db_url as a pool (PooledPostgresqlDatabase): a process holds at most
`pool_size` connections (SYNTH_DB_POOL_SIZE, default 10) whatever the number of its threads; each
database call leases one and gives it back (storage.guard.leased); a caller that finds all of them
busy waits up to POOL_WAIT_S, then gets one sentence. Nothing here ever puts a password into a message.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from synth_gradio.errors import StorageError
from synth_gradio.storage.guard import connect_cause, retrying

# busy_timeout first: switching a new file to WAL takes a lock that another process may hold.
PRAGMAS = {"busy_timeout": 10_000, "journal_mode": "wal", "foreign_keys": 1, "synchronous": "normal"}
CONNECT_TIMEOUT_S = 10
POOL_SIZE = 10
POOL_WAIT_S = 30  # how long a call waits for a free pooled connection
STALE_S = 300  # a pooled connection idle this long is closed rather than reused


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


def redact(url: str) -> str:
    """The URL without its password, in the address or the query (what messages and `History.path` show)."""
    parts = urlsplit(url)
    if parts.password is not None:
        netloc = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}@{netloc}" if user else netloc)
    if "password" in parts.query.lower():
        query = [
            (k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(query, safe="*"))
    return parts.geturl()


def open_database(target: str | Path, pool_size: int = POOL_SIZE) -> Database:
    """The database for a SQLite path (":memory:" works) or a database URL, connected."""
    if is_url(target):
        return _open_url(str(target), pool_size)
    return _open_sqlite(target)


def _open_sqlite(path: str | Path) -> SqliteDatabase:
    path = str(path)
    if path != ":memory:":
        try:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder for the history database {path}: {exc}") from None
        path = str(Path(path).expanduser())
    db = SqliteDatabase(path, pragmas=PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE")
    retrying(db, path, lambda: db.connect(reuse_if_open=True), what="open")
    return db


def _open_url(url: str, pool_size: int = POOL_SIZE) -> Database:
    from playhouse.db_url import connect

    shown = redact(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme.startswith("sqlite"):
        return _open_sqlite(parts.path[1:] or ":memory:")  # sqlite:///rel.db, sqlite:////abs.db
    if not scheme.startswith("postgres"):
        raise StorageError(f"SYNTH_DATABASE_URL {shown} is not supported: use postgresql://user:password@host:5432/db")
    try:
        where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    except ValueError:
        raise StorageError(f"the database URL {shown} has a port that is not a number") from None
    if not parts.path.strip("/"):
        raise StorageError(f"the database URL {shown} names no database: end it with /DBNAME (for example /synth)")
    if pool_size < 1:
        raise StorageError(f"SYNTH_DB_POOL_SIZE is {pool_size}; it must be at least 1")
    try:
        options = {} if "connect_timeout" in parts.query else {"connect_timeout": CONNECT_TIMEOUT_S}
        pooled = parts._replace(scheme="postgresql+pool" if "+" not in scheme else scheme).geturl()
        if "max_connections" not in parts.query:
            options.update(max_connections=pool_size, stale_timeout=STALE_S, timeout=POOL_WAIT_S)
        db = connect(pooled, unquote_password=True, unquote_user=True, **options)
    except Exception as exc:  # a malformed URL; its text may hold the password, so it is not repeated
        raise StorageError(f"the database URL {shown} cannot be read ({type(exc).__name__})") from None
    if not isinstance(db, PostgresqlDatabase):
        raise StorageError(f"SYNTH_DATABASE_URL {shown} is not supported: use postgresql://user:password@host:5432/db")
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:
        password = unquote(parts.password or "") or dict(parse_qsl(parts.query)).get("password")
        cause = connect_cause(exc, parts.path.strip("/"), password)
        raise StorageError(f"cannot connect to the PostgreSQL history database at {where}: {cause}") from None
    return db


def is_pooled(db: Database) -> bool:
    from playhouse.pool import PooledDatabase

    return isinstance(db, PooledDatabase)
