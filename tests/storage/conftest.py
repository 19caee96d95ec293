"""Every storage test that takes `history` (or `db_target`) runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_server import pg_server, pg_url  # noqa: F401 - fixtures

from synth_gradio.storage.history import History


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty history database: a SQLite path, or a PostgreSQL URL (skipped if no server)."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def history(db_target: str) -> History:
    h = History(db_target)
    yield h
    h.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_target(request: pytest.FixtureRequest, tmp_path: Path):
    """A maker of new, empty databases of one kind (for tests that need several)."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_server").create_database
    count = iter(range(1_000_000))
    return lambda: str(tmp_path / f"history-{next(count)}.db")
