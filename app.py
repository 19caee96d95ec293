"""python app.py: the synth_gradio web app (local browser, Colab share link or HuggingFace Space).

Flags and environment: --host (SYNTH_HOST), --port (SYNTH_PORT), --share (SYNTH_SHARE),
--auth user:pass[,user2:pass2...] (SYNTH_AUTH), --users-file FILE (SYNTH_USERS_FILE: one user:password
a line), --admin USER (SYNTH_ADMIN: sees every user's runs), --mcp (SYNTH_MCP=1: every named endpoint
also becomes an MCP tool at /gradio_api/mcp/). With logins, each user sees only their own runs.
With no configuration it runs on the bundled offline model.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from synth_gradio.errors import SynthError
from synth_gradio.logs import FORMATS, configure_logging
from synth_gradio.settings import Settings
from synth_gradio.studio import Studio
from synth_gradio.ui.access import check_admins, credentials

log = logging.getLogger("synth_gradio.app")


def on_colab() -> bool:
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def on_spaces() -> bool:
    return "SPACE_ID" in os.environ


def spaces_db_notice(settings: Settings) -> tuple[Settings, str]:
    """On a Space, keep history under /data (persistent storage) or warn that it is temporary."""
    if not on_spaces() or os.environ.get("SYNTH_DB_PATH") or settings.database_url:
        return settings, ""
    data = Path("/data")
    if data.is_dir() and os.access(data, os.W_OK):
        return Settings(**{**settings.__dict__, "db_path": data / "synth_gradio" / "history.db"}), ""
    return (
        settings,
        "This Space has no persistent storage: the run history is lost when the Space restarts. Download your results.",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    p = argparse.ArgumentParser(description="synth_gradio web app")
    p.add_argument("--host", default=env.get("SYNTH_HOST", "0.0.0.0" if on_spaces() else "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(env.get("SYNTH_PORT", env.get("GRADIO_SERVER_PORT", "7860"))))
    p.add_argument(
        "--share",
        action="store_true",
        default=env.get("SYNTH_SHARE", "").lower() in ("1", "true", "yes"),
        help="public share link (on by default on Colab); anyone with the link can use the app: add --auth",
    )
    p.add_argument(
        "--auth",
        default=env.get("SYNTH_AUTH", ""),
        help="logins, user:password[,user2:password2...]; each user sees only their own runs",
    )
    p.add_argument(
        "--users-file",
        default=env.get("SYNTH_USERS_FILE") or None,
        help="a file of logins, one user:password a line (# starts a comment)",
    )
    p.add_argument(
        "--admin",
        action="append",
        default=[a for a in env.get("SYNTH_ADMIN", "").split(",") if a.strip()],
        help="a user who sees every user's runs (repeat for several; SYNTH_ADMIN: comma separated)",
    )
    p.add_argument(
        "--mcp",
        action="store_true",
        default=env.get("SYNTH_MCP", "").lower() in ("1", "true", "yes"),
        help="also serve every named endpoint as an MCP tool at /gradio_api/mcp/ (needs gradio[mcp])",
    )
    p.add_argument("--log-format", choices=FORMATS, default=None, help="text or json lines (SYNTH_LOG_FORMAT)")
    return p.parse_args(argv)


MCP_WITH_LOGINS = (
    "with logins on, every MCP tool call is refused (Gradio's MCP server cannot carry a user's login); "
    "for an agent, run a second instance with --mcp and no --auth, reachable only by that agent's machine"
)


def logins(args: argparse.Namespace) -> tuple[list[tuple[str, str]], frozenset[str]]:
    """(user, password) pairs and admin names from the flags; a clear sentence (never a password) if wrong."""
    try:
        users = credentials(args.auth, getattr(args, "users_file", None))
        return users, check_admins(getattr(args, "admin", None) or [], users)
    except SynthError as exc:
        raise SystemExit(f"error: {exc}") from None


def launch_options(args: argparse.Namespace, settings: Settings, demo: Any = None) -> dict:
    """demo.launch's options; with the built `demo`, also the check that serves each user only their files."""
    users, _ = logins(args)
    db = Path(settings.db_path).expanduser().resolve()
    # Exactly what must never be served: the history database with its WAL files, and .env. Not the
    # folders that hold them: a database under /tmp would otherwise block every download.
    blocked = [str(db), f"{db}-wal", f"{db}-shm", f"{db}-journal", str(Path(".env").resolve())]
    extra = {}
    if demo is not None:
        from synth_gradio.ui.app import server_options

        extra = server_options(demo)
    return extra | {
        "server_name": args.host,
        "server_port": args.port,
        "share": args.share or on_colab(),
        "auth": users or None,
        "blocked_paths": blocked,
        "max_file_size": "50mb",
        "footer_links": ["api", "gradio"],
        "mcp_server": bool(getattr(args, "mcp", False)),
    }


def create(settings: Settings | None = None, *, auth: bool = False, admins: frozenset[str] = frozenset()):
    """Build the app (for tests, notebooks and Spaces). `auth`: it is launched with logins, so each
    user sees only their own runs; `admins` see everyone's."""
    from synth_gradio.ui.app import build_app

    settings, notice = spaces_db_notice(settings or Settings.from_env())
    demo = build_app(Studio(settings), notice=notice, auth=auth, admins=admins)
    demo.queue(default_concurrency_limit=8)
    return demo


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(args.log_format)  # SYNTH_LOG_FORMAT / SYNTH_LOG_LEVEL; secrets are masked
    settings, _ = spaces_db_notice(Settings.from_env())
    users, admins = logins(args)
    if users:
        log.info(
            "logins on: %d users, each sees only their own runs; admins: %s",
            len(users),
            ", ".join(sorted(admins)) or "none",
        )
    if users and getattr(args, "mcp", False):
        log.warning(MCP_WITH_LOGINS)
    demo = create(settings, auth=bool(users), admins=admins)
    demo.launch(**launch_options(args, settings, demo))


if __name__ == "__main__":
    main()
