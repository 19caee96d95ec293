"""Logging for the app and the CLI: human-readable text by default, JSON lines on request.

Library code only calls `logging.getLogger(__name__)` and passes event fields through `extra`
(`event`, `run_id`, counts, waits); interfaces call `configure_logging` once at start-up. Every
handler it installs masks secrets (keys, tokens, URL passwords), and no log call carries record
contents or prompts. This package imports only the standard library, so every layer may use it.
"""

from __future__ import annotations

from synth_gradio.logs.context import current_context, log_context
from synth_gradio.logs.redact import redact, redact_value
from synth_gradio.logs.setup import FORMATS, configure_logging

__all__ = ["FORMATS", "configure_logging", "current_context", "log_context", "redact", "redact_value"]
