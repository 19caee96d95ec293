"""configure_logging: the one place the app and the CLI set up logging (format, level, masking)."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from synth_gradio.logs.filters import ContextFilter, RedactFilter
from synth_gradio.logs.formats import formatter_for

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Held at WARNING or above whatever the level: HTTP clients log a line per request (burying the run's
# events), and peewee logs every SQL statement at DEBUG with its parameters, which are record contents.
QUIET = ("httpx", "httpcore", "urllib3", "huggingface_hub", "filelock", "peewee")
log = logging.getLogger(__name__)


class SynthHandler(logging.StreamHandler):
    """Marks the handler this package installed, so configuring again replaces it, never doubles it."""


def configure_logging(
    log_format: str | None = None,
    level: str | None = None,
    *,
    default_level: str = "INFO",
    stream: TextIO | None = None,
) -> logging.Handler:
    """Install one masking handler on the root logger; calling it again replaces the previous one.

    `log_format` and `level` win over SYNTH_LOG_FORMAT and SYNTH_LOG_LEVEL; without either, text at
    `default_level` (JSON defaults to INFO: asking for JSON means wanting the run events). A value
    the environment gets wrong falls back to the default with a warning: logging never stops a start.
    """
    env = os.environ
    problems = []
    name = (log_format or env.get("SYNTH_LOG_FORMAT") or "text").strip().lower()
    if name not in FORMATS:
        problems.append(f"SYNTH_LOG_FORMAT={name!r} is not text or json; using text")
        name = "text"
    chosen = (level or env.get("SYNTH_LOG_LEVEL") or ("INFO" if name == "json" else default_level)).strip().upper()
    if chosen not in LEVELS:
        problems.append(f"SYNTH_LOG_LEVEL={chosen!r} is not one of {', '.join(LEVELS)}; using {default_level}")
        chosen = default_level
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, SynthHandler)]:
        root.removeHandler(old)
        old.close()
    handler = SynthHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(formatter_for(name))
    root.addHandler(handler)
    root.setLevel(chosen)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(chosen), logging.WARNING))
    for problem in problems:
        log.warning(problem)
    return handler
