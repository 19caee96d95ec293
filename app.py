"""python app.py: the synth_gradio web app (local browser, Colab share link or HuggingFace Space).

Flags and environment: --host (SYNTH_HOST), --port (SYNTH_PORT), --share (SYNTH_SHARE),
--auth user:pass (SYNTH_AUTH), --mcp (SYNTH_MCP=1: every named endpoint also becomes an MCP tool at
/gradio_api/mcp/). With no configuration it runs on the bundled offline model.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from synth_gradio.settings import Settings
from synth_gradio.studio import Studio


def on_colab() -> bool:
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def on_spaces() -> bool:
    return "SPACE_ID" in os.environ


def spaces_db_notice(settings: Settings) -> tuple[Settings, str]:
    """On a Space, keep history under /data (persistent storage) or warn that it is temporary."""
    if not on_spaces() or os.environ.get("SYNTH_DB_PATH"):
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
    p.add_argument("--auth", default=env.get("SYNTH_AUTH", ""), help="user:password required to open the app")
    p.add_argument(
        "--mcp",
        action="store_true",
        default=env.get("SYNTH_MCP", "").lower() in ("1", "true", "yes"),
        help="also serve every named endpoint as an MCP tool at /gradio_api/mcp/ (needs gradio[mcp])",
    )
    return p.parse_args(argv)


def launch_options(args: argparse.Namespace, settings: Settings) -> dict:
    auth = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        if not user or not password:
            raise SystemExit("--auth needs user:password")
        auth = (user, password)
    db = Path(settings.db_path).expanduser().resolve()
    # Exactly what must never be served: the history database with its WAL files, and .env. Not the
    # folders that hold them: a database under /tmp would otherwise block every download.
    blocked = [str(db), f"{db}-wal", f"{db}-shm", f"{db}-journal", str(Path(".env").resolve())]
    return {
        "server_name": args.host,
        "server_port": args.port,
        "share": args.share or on_colab(),
        "auth": auth,
        "blocked_paths": blocked,
        "max_file_size": "50mb",
        "footer_links": ["api", "gradio"],
        "mcp_server": bool(getattr(args, "mcp", False)),
    }


def create(settings: Settings | None = None):
    """Build the app (for tests, notebooks and Spaces)."""
    from synth_gradio.ui.app import build_app

    settings, notice = spaces_db_notice(settings or Settings.from_env())
    demo = build_app(Studio(settings), notice=notice)
    demo.queue(default_concurrency_limit=8)
    return demo


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    settings, _ = spaces_db_notice(Settings.from_env())
    demo = create(settings)
    demo.launch(**launch_options(args, settings))


if __name__ == "__main__":
    main()
