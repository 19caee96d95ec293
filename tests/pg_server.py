"""A real, throw-away PostgreSQL server for the tests and the storage benchmark.

Debian's `postgresql` package provides initdb and pg_ctl; the cluster lives in a temporary folder,
listens on a free port of 127.0.0.1 and keeps its unix socket in that folder. PostgreSQL refuses to
run as root, so under root the server runs as the `postgres` user (or `nobody`).

`start()` returns a PgServer or raises PgUnavailable with the reason; the fixtures turn that reason
into a skip, so PostgreSQL tests are never passed silently.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "synth"
PASSWORD = "pg-test-Secret-7"  # planted in error-message tests: it must never be echoed


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be started here (not installed, or it failed to start)."""


@dataclass
class PgServer:
    folder: Path
    port: int
    bin_dir: Path
    run_as: int | None  # uid the server runs as (None: this user)

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its URL."""
        import psycopg2

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url(name)

    def stop(self) -> None:
        _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"], self.run_as)
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _server_user() -> int | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
    raise PgUnavailable("running as root and there is no `postgres` or `nobody` user to run the server as")


def _run(cmd: list[str], uid: int | None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    extra: dict[str, object] = {}
    if uid is not None:
        extra = {"user": uid, "group": pwd.getpwuid(uid).pw_gid, "extra_groups": []}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, cwd="/", **extra)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(settings: dict[str, str] | None = None) -> PgServer:
    """initdb in a new temporary folder and start the server; `settings` are extra `-c` options."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PgUnavailable("PostgreSQL is not installed (no pg_ctl; `apt-get install postgresql` provides it)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        raise PgUnavailable("the psycopg2 driver is not installed (pip install -r requirements.txt)") from None
    uid = _server_user()
    # Under root the server's user must reach the folder: /tmp, not a private TMPDIR. A short path
    # also keeps the unix socket's name within its 107-character limit.
    base = "/tmp" if os.path.isdir("/tmp") else None
    folder = Path(tempfile.mkdtemp(prefix="synth-pg-", dir=base))
    os.chmod(folder, 0o755)
    (folder / "pwfile").write_text(PASSWORD + "\n")
    if uid is not None:
        os.chown(folder, uid, -1)
        os.chown(folder / "pwfile", uid, -1)
    init = _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            USER,
            f"--pwfile={folder / 'pwfile'}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-instructions",
        ],
        uid,
        timeout=120,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PgUnavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-300:]}")
    options = {"listen_addresses": "127.0.0.1", "unix_socket_directories": str(folder), **(settings or {})}
    last = ""
    for _ in range(3):  # the free port can be taken between the check and the start
        port = _free_port()
        opts = " ".join([f"-p {port}", *(f"-c {k}={v}" for k, v in options.items())])
        log = folder / "server.log"
        started = _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(folder / "data"),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                opts,
                "start",
            ],
            uid,
            timeout=90,
        )
        if started.returncode == 0:
            return PgServer(folder, port, bin_dir, uid)
        last = log.read_text(errors="replace")[-300:] if log.exists() else started.stderr[-300:]
    shutil.rmtree(folder, ignore_errors=True)
    raise PgUnavailable(f"the server did not start: {last.strip()}")


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the whole session (fsync off: test data need no durability)."""
    try:
        server = start({"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"})
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return pg_server.create_database()
